# A helper module named for its tool; the project's own script calls it, so it is real use.
import wandb


def init_run(project):
    return wandb.init(project=project)  # mlaudit-expect: tracking.experiments
