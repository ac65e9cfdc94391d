import joblib
import pandas as pd
import yaml
from sklearn.linear_model import LogisticRegression

params = yaml.safe_load(open("params.yaml"))["train"]
df = pd.read_csv("data/customers.csv")
model = LogisticRegression(**params).fit(df[["tenure_months"]], df["churned"])
joblib.dump(model, "models/churn.joblib")
