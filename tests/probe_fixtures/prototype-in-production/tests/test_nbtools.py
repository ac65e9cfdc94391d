from mylib.nbtools import run_notebook


def test_notebook_runs(nb):
    run_notebook(nb)
