#!/bin/sh
set -e
# papermill notebooks/train.ipynb out.ipynb   (old way) mlaudit-ok: notebooks.prototype_in_production
echo "papermill runs next"  # mlaudit-ok: notebooks.prototype_in_production
for nb in notebooks/*.ipynb; do jupyter nbconvert --to notebook --execute "$nb"; done  # mlaudit-expect: notebooks.prototype_in_production
# mlaudit-expect: notebooks.prototype_in_production
jupyter nbconvert \
    --execute --to notebook --inplace notebooks/features.ipynb
find notebooks -name '*.ipynb' -exec jupyter execute {} \;  # mlaudit-expect: notebooks.prototype_in_production
conda run -n ml --no-capture-output python -m papermill a.ipynb b.ipynb  # mlaudit-expect: notebooks.prototype_in_production
pip install papermill nbconvert  # mlaudit-ok: notebooks.prototype_in_production
jupyter nbconvert --to script notebooks/train.ipynb  # mlaudit-ok: notebooks.prototype_in_production
