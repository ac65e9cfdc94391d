"""The source line behind each finding, so a reader sees the code without leaving the report.

Excerpts are read after the checks, only for files that hold evidence, from the text the fact
store already decoded (notebooks: their cells' sources). A line that looks like a secret is never
copied: a report is shared more widely than the repository, and `secrets.committed` evidence is
left without excerpts altogether.
"""

from __future__ import annotations

import re

from mlaudit.facts.notebook import code_cell_sources
from mlaudit.facts.store import FactStore
from mlaudit.probes.secrets import Scan
from mlaudit.result import CheckResult

# Lines as the evidence counts them: str.splitlines() also breaks at form feeds, U+2028 and other
# separators a line number from a parser or an editor does not count.
_LINES = re.compile(r"\r\n|\r|\n")
MAX_CHARS = 160  # one screen line in the report; longer lines are cut with an ellipsis
NO_EXCERPT_PROBES = frozenset({"secrets.committed"})
_SECRET_SCANS = (Scan("quoted", False), Scan("config", False))


def _shorten(line: str) -> str | None:
    text = line.strip()
    if not text:
        return None
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1].rstrip() + "…"
    return text


def _looks_secret(line: str) -> bool:
    return any(scan.run(line) for scan in _SECRET_SCANS)


class _Sources:
    """Lines of evidence files, keyed by (path, cell), each file decoded once."""

    def __init__(self, store: FactStore):
        self._store = store
        self._lines: dict[tuple[str, int | None], list[str]] = {}
        self._read: set[str] = set()

    def line(self, path: str, cell: int | None, line: int) -> str | None:
        # No cap on files: an excerpt is part of a finding's fingerprint, so whether a line gets
        # one must not depend on how many other files hold evidence. Probes cap their evidence.
        if path not in self._read:
            self._read.add(path)
            self._load(path)
        lines = self._lines.get((path, cell))
        return lines[line - 1] if lines is not None and 0 < line <= len(lines) else None

    def _load(self, path: str) -> None:
        f = self._store.repo.get(path)
        if f is not None:
            for cell, lines in self._store.per_file(f"excerpt-lines{f.suffix}", f, lambda: _lines_of(self._store, f)):
                self._lines[(path, cell)] = lines


def _lines_of(store: FactStore, f) -> list[tuple[int | None, list[str]]]:
    """(cell or None, lines) of a file: a notebook's code cells, or the whole text."""
    text = store.text(f, keep=False)  # binary, too large or a symlink: None, already warned
    if text is None:
        return []
    if f.suffix == ".ipynb":
        return [(index, _LINES.split(source)) for index, source in code_cell_sources(text)]
    return [(None, _LINES.split(text))]


def add_excerpts(results: list[CheckResult], store: FactStore) -> None:
    sources = _Sources(store)
    for r in results:
        if NO_EXCERPT_PROBES & set(r.probes):
            continue
        for e in r.evidence:
            if e.path is None or not e.line or e.probe in NO_EXCERPT_PROBES:
                continue
            raw = sources.line(e.path, e.cell, e.line)
            if raw is not None and not _looks_secret(raw):
                e.excerpt = _shorten(raw)
