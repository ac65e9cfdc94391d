"""Executes every notebook to make sure it still runs: a test harness, not production."""
import glob

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

for path in glob.glob("notebooks/*.ipynb"):
    ExecutePreprocessor(timeout=600).preprocess(nbformat.read(path, as_version=4))  # mlaudit-ok: notebooks.prototype_in_production
