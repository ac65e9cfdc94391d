from invoke import task


@task
def retrain(c):
    c.run("papermill notebooks/train.ipynb runs/train.ipynb")  # mlaudit-expect: notebooks.prototype_in_production
