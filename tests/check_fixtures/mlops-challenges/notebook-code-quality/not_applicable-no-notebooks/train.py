import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("data/churn.csv")
model = LogisticRegression(max_iter=300).fit(df[["tenure_months"]], df["churned"])
