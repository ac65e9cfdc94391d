"""Importing this module registers every built-in probe."""

from mlaudit.probes import (  # noqa: F401
    ci, data, dead_code, duplication, hyperparameters, leakage, notebook_hygiene, notebooks, paths, seeds,
    splits, tests, thresholds,
)
