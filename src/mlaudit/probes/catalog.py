"""Importing this module registers every built-in probe."""

from mlaudit.probes import ci, data, notebooks, seeds, splits, tests  # noqa: F401
