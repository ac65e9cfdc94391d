"""Nightly pipeline: the training notebook is the pipeline (the prototype smell)."""
import papermill as pm


def main(date):
    pm.execute_notebook(  # mlaudit-expect: notebooks.prototype_in_production
        "notebooks/train.ipynb",
        f"runs/train-{date}.ipynb",
        parameters={"date": date},
    )
