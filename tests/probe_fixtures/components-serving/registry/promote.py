import mlflow
from mlflow.tracking import MlflowClient

result = mlflow.register_model("runs:/abc/model", "churn")  # mlaudit-expect: serving.present
MlflowClient().transition_model_version_stage("churn", result.version, "Production")
