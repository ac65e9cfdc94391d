import pandas as pd
import torch
from sklearn.model_selection import train_test_split

torch.manual_seed(0)
df = pd.read_csv("data/train.csv")
train_df, test_df = train_test_split(df, test_size=0.2, stratify=df["churned"])
