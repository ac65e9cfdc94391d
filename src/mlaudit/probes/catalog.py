"""Importing this module registers every built-in probe."""

from mlaudit.probes import (  # noqa: F401
    ci, data, dead_code, duplication, hyperparameters, leakage, notebooks, paths, prototype, seeds,
    splits, tests, thresholds,
)
