import nbformat
from nbclient import NotebookClient


def render(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb).execute()  # mlaudit-ok: notebooks.prototype_in_production
