import pandas as pd
import torch
from sklearn.model_selection import train_test_split

torch.manual_seed(42)  # seeds torch, not the numpy generator train_test_split draws from

df = pd.read_csv("data/customers.csv")
train_df, test_df = train_test_split(df, test_size=0.2)
X_train = torch.tensor(train_df.drop(columns="churned").values, dtype=torch.float32)
model = torch.nn.Linear(X_train.shape[1], 1)
