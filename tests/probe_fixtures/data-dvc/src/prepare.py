"""Reads the raw table through the DVC API at a tagged revision."""
import dvc.api
import pandas as pd

# mlaudit-expect: data.versioning
with dvc.api.open("data/raw.csv", rev="v1.0") as fh:
    df = pd.read_csv(fh)
params = dvc.api.params_show()  # mlaudit-ok: data.versioning
