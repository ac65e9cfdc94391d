import mlflow
import mlflow.sklearn
import pandas as pd
import yaml
from sklearn.linear_model import LogisticRegression

with open("config/train.yaml") as fh:
    cfg = yaml.safe_load(fh)

df = pd.read_parquet("data/prepared/customers.parquet")
with mlflow.start_run() as run:
    model = LogisticRegression(**cfg["model"]).fit(df[["tenure_months"]], df["churned"])
    mlflow.sklearn.log_model(model, "model")
mlflow.register_model(f"runs:/{run.info.run_id}/model", cfg["registry"]["name"])
