import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("data/customers.csv")
model = LogisticRegression(max_iter=200).fit(df[["tenure_months"]], df["churned"])
