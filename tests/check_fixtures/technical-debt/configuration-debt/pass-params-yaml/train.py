import joblib
import pandas as pd
import yaml
from sklearn.ensemble import GradientBoostingClassifier

with open("params.yaml") as f:
    params = yaml.safe_load(f)["train"]

df = pd.read_csv("data/train.csv")
model = GradientBoostingClassifier(**params)
model.fit(df.drop(columns="churned"), df["churned"])
joblib.dump(model, "model.joblib")
