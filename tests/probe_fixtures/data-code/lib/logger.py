"""A logger integration: it hands the caller's artifact to wandb, it versions nothing itself."""
import wandb


class Logger:
    def use_artifact(self, artifact, artifact_type=None):
        return wandb.run.use_artifact(artifact, type=artifact_type)  # mlaudit-ok: data.versioning

    def log_checkpoint(self, path):
        art = wandb.Artifact(name=f"model-{wandb.run.id}", type="model")  # mlaudit-ok: data.versioning
        art.add_file(path)
        self.experiment.use_artifact("x:latest")  # mlaudit-ok: data.versioning
