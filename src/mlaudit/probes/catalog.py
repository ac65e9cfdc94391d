"""Importing this module registers every built-in probe."""

from mlaudit.probes import (  # noqa: F401
    ci, components, data, dead_code, deps, duplication, git_history, hyperparameters, leakage, notebooks,
    paths, prototype, results, secrets, seeds, splits, tests, thresholds,
)
