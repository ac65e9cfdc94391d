"""What the code-scanning formats (SARIF, GitLab Code Quality) write alike about a finding: the
file as the repository's top level names it, the line a viewer can show, and text it can carry."""

from __future__ import annotations

import re

from mlaudit.compare.findings import Finding

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def repo_path(path: str, prefix: str) -> str:
    """The path relative to the git repository's top level (the scanned folder may be below it)."""
    if path in ("", "."):
        return prefix.rstrip("/") or "."
    return prefix + path.removeprefix("./")


def start_line(f: Finding) -> int:
    """The file line to show: 1 for a check about the repository, or for a notebook (a line inside a
    cell is no line of the .ipynb file)."""
    if not f.located or f.cell is not None or not f.line:
        return 1
    return max(1, f.line)


def clean(value):
    """Every string without control characters or lone surrogates: JSON could carry them, no viewer shows them."""
    if isinstance(value, str):
        return _UNSAFE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value
