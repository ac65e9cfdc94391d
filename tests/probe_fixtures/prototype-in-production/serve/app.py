import import_ipynb  # mlaudit-expect: notebooks.prototype_in_production
from ipynb.fs.defs.features import build_features  # mlaudit-expect: notebooks.prototype_in_production
from flask import Flask

import nbformat  # mlaudit-ok: notebooks.prototype_in_production

app = Flask(__name__)


@app.route("/predict")
def predict():
    nb = nbformat.read("notebooks/train.ipynb", as_version=4)  # mlaudit-ok: notebooks.prototype_in_production
    return build_features(nb)
