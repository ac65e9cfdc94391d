import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("data/customers.csv")
model = LogisticRegression(max_iter=1000).fit(df.drop(columns="churned"), df["churned"])
# TODO: add an evidently drift report once the model is served
