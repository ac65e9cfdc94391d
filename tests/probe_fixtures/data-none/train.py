from datasets import load_dataset
import wandb

ds = load_dataset("imdb", revision="main")  # mlaudit-ok: data.versioning
wandb.log_artifact("model.pkl", type="model")  # mlaudit-ok: data.versioning
