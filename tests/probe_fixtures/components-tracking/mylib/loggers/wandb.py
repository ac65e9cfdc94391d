# An integration a library offers its users: no script of this repository calls it.
import wandb


class WandbLogger:
    def __init__(self, project):
        self.run = wandb.init(project=project)  # mlaudit-ok: tracking.experiments

    def log(self, metrics):
        self.run.log(metrics)
