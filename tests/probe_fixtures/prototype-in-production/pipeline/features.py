from mylib.nbtools import refresh_features, run_notebook


def main(nb):
    refresh_features(nb)  # mlaudit-ok: notebooks.prototype_in_production
    return nb


def check_examples(nb):
    run_notebook(nb)  # a caller named for checking does not make run_notebook production
