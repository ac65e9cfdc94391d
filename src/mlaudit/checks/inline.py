"""`# mlaudit: ignore[<check or probe>] reason` comments, found without parsing any code.

Python facts keep no comments, so the comments are read from the files' bytes. That is cheap:
every code file is searched for the bytes `mlaudit` (tens of milliseconds for a thousand files,
and only the rare file that contains them is decoded). There a comment is told from a string by
Python's tokenizer, which lexes, never runs and never builds a tree, so text that merely mentions
the marker (a test's fixture string, a docstring) is not a suppression. Other text files (YAML,
requirements, Makefiles) are read only when they hold evidence, and there any `#` that starts a
comment counts.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from mlaudit.facts.notebook import code_cell_sources
from mlaudit.facts.store import FactStore
from mlaudit.repository import RepoFile

NEEDLE = b"mlaudit"
# The marker opens a comment, or follows another tool's (`# noqa  # mlaudit: ...`); quoted in prose
# (a backticked example in a docstring-like comment) it is text.
_MARKER = re.compile(r"(?:^|(?<=\s))#\s*mlaudit:\s*ignore(?![\w-])(?:\[(?P<ids>[^\]]*)\])?(?P<rest>.*)$")


@dataclass
class Marker:
    path: str
    line: int  # 1-based; in a notebook, within the cell
    cell: int | None
    ids: tuple[str, ...]
    reason: str
    comment_only: bool  # nothing but the comment on its line: it also covers the next line
    used: set[str] = field(default_factory=set)  # ids that suppressed at least one finding

    def covers(self, line: int | None) -> bool:
        return line is None or line == self.line or (self.comment_only and line == self.line + 1)


def _parse(comment: str) -> tuple[tuple[str, ...], str] | None:
    m = _MARKER.search(comment)
    if m is None:
        return None
    ids = tuple(i for i in re.split(r"[,\s]+", m.group("ids") or "") if i)
    reason = re.split(r"\s#", m.group("rest"), maxsplit=1)[0]  # another tool's comment may follow
    return ids, reason.strip().lstrip(":-–—").strip()


def _python_comments(source: str) -> list[tuple[int, str, bool]] | None:
    """(line, comment text, the line holds nothing else), or None when the source does not lex."""
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out.append((tok.start[0], tok.string, not tok.line[: tok.start[1]].strip()))
    except (tokenize.TokenError, SyntaxError):
        return None
    return out


def _hash_comments(source: str) -> list[tuple[int, str, bool]]:
    """Comments in a `#` language, approximately: a `#` at the start of a line or after a space,
    with no quote left open before it on the line."""
    out = []
    for n, line in enumerate(source.splitlines(), 1):
        if "mlaudit" not in line:
            continue
        quotes = {'"': 0, "'": 0}  # counted as we go: one pass per line, not one per `#`
        for i, ch in enumerate(line):
            if ch in quotes:
                quotes[ch] += 1
            elif ch == "#" and (i == 0 or line[i - 1] in " \t") and not (quotes['"'] % 2 or quotes["'"] % 2):
                out.append((n, line[i:], not line[:i].strip()))
                break
    return out


def markers_in(source: str, path: str, cell: int | None = None, *, python: bool = True) -> list[Marker]:
    if "mlaudit" not in source:
        return []
    comments = _python_comments(source) if python else None
    if comments is None:  # not Python, or Python that does not tokenize: an empty list is an answer
        comments = _hash_comments(source)
    out = []
    for line, text, alone in comments:
        parsed = _parse(text)
        if parsed is not None:
            out.append(Marker(path, line, cell, parsed[0], parsed[1], alone))
    return out


def _read(store: FactStore, f: RepoFile) -> str | None:
    """The file's text when it may hold a marker; None for the many that cannot."""
    if f.is_symlink or f.size > store.max_file_size:
        return None
    try:
        data = store.repo.read_bytes(f)
    except OSError:
        return None  # the fact store has already warned about it
    if NEEDLE not in data or b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _code_markers(store: FactStore, f: RepoFile) -> list[Marker]:
    text = _read(store, f)
    if text is None:
        return []
    if f.suffix == ".ipynb":
        return [m for index, source in code_cell_sources(text) for m in markers_in(source, f.path, index)]
    return markers_in(text, f.path)


def collect_markers(store: FactStore, evidence_paths: set[str]) -> list[Marker]:
    """Markers in every code file, and in the other text files that hold evidence."""
    out: list[Marker] = []
    code = store.code_files()
    for f in code:
        # Keyed by path too (a marker names its file): a history walk rereads only what changed.
        out += store.per_file(f"markers:{f.path}", f, lambda: _code_markers(store, f))
    others = evidence_paths - {f.path for f in code}
    for path in sorted(others):
        f = store.repo.get(path)
        text = _read(store, f) if f is not None else None
        if text is not None:
            out += markers_in(text, f.path, python=False)
    return out
