import torch
from sklearn.model_selection import train_test_split

from schema import load_churn

torch.manual_seed(0)
df = load_churn("data/churn.csv")
train_df, test_df = train_test_split(df, test_size=0.2)
X_train = torch.tensor(train_df[["tenure_months", "monthly_charges"]].values, dtype=torch.float32)
