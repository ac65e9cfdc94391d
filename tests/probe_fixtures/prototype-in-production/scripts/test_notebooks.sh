#!/bin/sh
pytest --nbval notebooks/  # mlaudit-ok: notebooks.prototype_in_production
jupyter nbconvert --execute --to notebook notebooks/*.ipynb  # mlaudit-ok: notebooks.prototype_in_production
