import papermill as pm


def test_train_notebook_runs(tmp_path):
    pm.execute_notebook("notebooks/train.ipynb", tmp_path / "out.ipynb")  # mlaudit-ok: notebooks.prototype_in_production
