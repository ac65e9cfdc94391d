import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import ExecutePreprocessor


def refresh(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600)  # mlaudit-expect: notebooks.prototype_in_production
    client.execute()  # mlaudit-ok: notebooks.prototype_in_production
    return nb


def refresh_again(nb):
    ExecutePreprocessor(timeout=600).preprocess(nb)  # mlaudit-expect: notebooks.prototype_in_production
