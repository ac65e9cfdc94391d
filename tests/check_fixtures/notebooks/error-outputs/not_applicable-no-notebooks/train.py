import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("data/churn.csv")
model = LogisticRegression(max_iter=1000).fit(df.drop(columns="churned"), df["churned"])
