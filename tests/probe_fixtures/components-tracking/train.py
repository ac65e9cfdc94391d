import torch
from lightning.pytorch import Trainer
from lightning.pytorch.loggers import TensorBoardLogger
from transformers import TrainingArguments

from utils import wandb_utils

wandb_log = False
# wandb.init(project="commented-out")
print("call wandb.init() to log")  # a string is not a call

mlflow = {"run": 1}  # a local variable that happens to be called mlflow
mlflow.get("run")  # mlaudit-ok: tracking.experiments

if wandb_log:
    import wandb
    wandb.init(project="demo")  # mlaudit-expect: tracking.experiments


def main():
    logger = TensorBoardLogger("logs")  # mlaudit-expect: tracking.experiments
    args = TrainingArguments(output_dir="out", report_to="mlflow")  # mlaudit-expect: tracking.experiments
    wandb_utils.init_run("demo")
    with torch.profiler.profile(on_trace_ready=torch.profiler.tensorboard_trace_handler("./prof")):
        Trainer(logger=logger).fit(None)


if __name__ == "__main__":
    main()
