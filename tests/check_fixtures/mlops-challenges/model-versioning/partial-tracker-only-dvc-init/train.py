import joblib
import mlflow
import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_parquet("data/prepared/customers.parquet")
with mlflow.start_run():
    model = LogisticRegression(C=0.5, max_iter=300).fit(df[["tenure_months"]], df["churned"])
    mlflow.log_param("C", 0.5)
    mlflow.log_metric("train_accuracy", model.score(df[["tenure_months"]], df["churned"]))
    joblib.dump(model, "models/churn.joblib")
