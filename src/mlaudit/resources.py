"""Where the bundled rubrics and report templates are.

In a wheel they sit inside the package (see pyproject's force-include); in a source checkout
or an editable install they sit at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    checkout = _PACKAGE.parents[1] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"mlaudit is installed without its {name}/ folder (looked in {inside} and {checkout})")


def rubrics_dir() -> Path:
    return _bundled("rubrics")


def templates_dir() -> Path:
    return _bundled("report_templates")


def ci_templates_dir() -> Path:
    """The starter config and CI snippets `mlaudit init` writes and prints (inside the package)."""
    return _PACKAGE / "ci_templates"
