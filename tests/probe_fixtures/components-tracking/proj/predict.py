# The project re-exports mlflow from its config module: calls through it are mlflow calls.
from proj.config import mlflow


def best_run(experiment):
    # mlaudit-expect: tracking.experiments
    runs = mlflow.search_runs(experiment_names=[experiment])
    return runs.iloc[0]
