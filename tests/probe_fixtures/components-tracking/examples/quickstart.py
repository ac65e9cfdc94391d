import wandb

wandb.init(project="example")  # mlaudit-ok: tracking.experiments
