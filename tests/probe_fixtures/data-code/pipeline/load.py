"""Dataset versioning used for real: imports plus calls."""
import mlflow
import wandb
from clearml import Dataset
from datasets import load_dataset
from deltalake import DeltaTable


def load(spark, run_name):
    # mlaudit-expect: data.versioning
    imdb = load_dataset("imdb", revision="e6281661ce1c48d982bc483cf8a173c1bbeb5d31")
    latest = load_dataset("imdb")  # mlaudit-ok: data.versioning
    # a revision read from a variable may well be None at run time
    configured = load_dataset("imdb", revision=run_name)  # mlaudit-ok: data.versioning
    # mlaudit-expect: data.versioning
    mlflow.log_input(mlflow.data.from_pandas(imdb.to_pandas(), source="hf://imdb"), context="training")
    run = wandb.init(project="churn")
    raw = run.use_artifact("churn-raw:v3")  # mlaudit-expect: data.versioning
    # mlaudit-expect: data.versioning
    table = wandb.Artifact("churn-features", type="dataset")
    model = wandb.Artifact("churn-model", type="model")  # mlaudit-ok: data.versioning
    ds = Dataset.get(dataset_project="churn", dataset_name="raw")  # mlaudit-expect: data.versioning
    events = DeltaTable("s3://lake/events")  # mlaudit-expect: data.versioning
    # Databricks notebooks have `spark` without an import
    old = spark.read.format("delta").option("versionAsOf", 3).load("/lake/events")  # mlaudit-expect: data.versioning
    csv = spark.read.format("csv").load("/lake/raw.csv")  # mlaudit-ok: data.versioning
    return imdb, latest, configured, raw, table, model, ds, events, old, csv
