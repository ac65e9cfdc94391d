"""Package utilities. run_notebook is only called by the tests: a test helper living in the package."""
from nbclient import NotebookClient


def run_notebook(nb):
    NotebookClient(nb).execute()  # mlaudit-ok: notebooks.prototype_in_production


def refresh_features(nb):
    NotebookClient(nb).execute()  # mlaudit-expect: notebooks.prototype_in_production
