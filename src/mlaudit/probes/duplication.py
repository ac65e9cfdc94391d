"""Code copy-pasted between notebooks and scripts (Grotov et al. 2022; Sculley et al.'s glue code)."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe
from mlaudit.repository import RepoFile

MAX_LISTED_PER_GROUP = 5
MAX_PER_FILE_PAIR = 3  # beyond this, a file is largely a copy of another: one item says how much
_WHOLE_CELL = 10**9


class Occurrence(NamedTuple):
    path: str
    cell: int | None
    line: int
    end: int  # last line, for nesting; a whole cell ends "never"
    kind: str
    name: str | None
    lines: int
    file: RepoFile

    def where(self) -> str:
        if self.cell is None:
            return f"{self.path} line {self.line}"
        return f"{self.path} cell {self.cell}" + (f" line {self.line}" if self.kind == "function" else "")

    def what(self) -> str:
        if self.kind == "function":
            return f"function {self.name} ({self.lines} code lines)"
        return f"cell {self.cell} ({self.lines} code lines)"


def duplicate_groups(ctx: ProbeContext) -> tuple[list[list[Occurrence]], int]:
    """Groups of identical function bodies or cells found in two or more files, and how many code files were seen."""
    by_digest: dict[str, list[Occurrence]] = defaultdict(list)
    n_files = 0
    for f, facts in ctx.code(include_tests=False):
        n_files += 1
        py = facts.python
        ends = {(fn.cell, fn.line, fn.qualname): fn.end_line for fn in py.functions}
        for b in py.blocks:
            if b.kind not in ("function", "cell") or not b.digest:
                continue
            end = ends.get((b.cell, b.line, b.name), b.line) if b.kind == "function" else _WHOLE_CELL
            by_digest[b.digest].append(Occurrence(f.path, b.cell, b.line, end, b.kind, b.name, b.lines, f))
    groups = []
    for occs in by_digest.values():
        # A cell of nothing but imports declares what a notebook uses; repeating it is not copy-paste.
        # (Function digests leave the docstring out, so shared documentation is not a copy either.)
        if len({o.path for o in occs}) < 2 or occs[0].name == "imports-only":
            continue
        groups.append(sorted(occs, key=lambda o: (o.path, -1 if o.cell is None else o.cell, o.line)))
    return _drop_nested(groups), n_files


def _drop_nested(groups: list[list[Occurrence]]) -> list[list[Occurrence]]:
    """A function inside a copied cell (or a copied outer function) is the same copy: report the outer one."""
    spans: dict[tuple[str, int | None], list[tuple[int, int]]] = defaultdict(list)
    for g in groups:
        for o in g:
            spans[(o.path, o.cell)].append((o.line, o.end))

    def nested(o: Occurrence) -> bool:
        return any(start <= o.line and o.end <= end and (start, end) != (o.line, o.end)
                   for start, end in spans[(o.path, o.cell)])

    return [g for g in groups if not all(nested(o) for o in g)]


@probe("code.duplicated_cells", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def code_duplicated_cells(ctx: ProbeContext) -> ProbeResult:
    """Is code copy-pasted between notebooks and scripts?

    Compares function bodies and notebook code cells of six or more code lines, with blank
    lines, comments and indentation ignored. A group is a block found identical in two or more
    different files; once a group qualifies, its extra copies in the same file count too. A block
    repeated only inside one file is not counted: in notebooks that is usually a cell re-run on
    purpose after an earlier change, in modules sibling methods with the same body. Skipped:
    cells holding only imports and magics (each notebook declares what it uses); functions
    with fewer than six code lines once their docstring is set aside (two abstract methods
    sharing a docstring repeat documentation, not code); functions nested in a copied cell or
    function (the outer copy is the finding); test files.
    The first occurrence of a block, in path order, is the original; every later one is a copy.
    Evidence: one item per copy, naming the original (path, cell, line). When more than three
    blocks of one file copy the same other file, that file is largely a copy: one item, at its
    first copied block, says how many more there are. At most 5 copies of one block are listed.
    Not applicable with fewer than two non-test code files.
    Values: `groups`, `duplicates` (copies beyond the first, all counted), `unlisted` (copies
    beyond the 5 listed per group).
    """
    groups, n_files = duplicate_groups(ctx)
    pairs: dict[tuple[str, str], list[tuple[Occurrence, Occurrence]]] = defaultdict(list)
    duplicates = unlisted = 0
    for g in groups:
        copies = g[1:]
        duplicates += len(copies)
        unlisted += max(0, len(copies) - MAX_LISTED_PER_GROUP)
        for occ in copies[:MAX_LISTED_PER_GROUP]:
            pairs[(occ.path, g[0].path)].append((occ, g[0]))
    evidence = []
    for (path, _), found in sorted(pairs.items()):
        found.sort(key=lambda pair: (-1 if pair[0].cell is None else pair[0].cell, pair[0].line))
        shown = found if len(found) <= MAX_PER_FILE_PAIR else found[:1]
        for copy, first in shown:
            detail = f"{copy.what()} repeats {first.where()}"
            if first.kind == "function" and first.name != copy.name:
                detail += f" ({first.name})"
            if len(shown) < len(found):
                more = len(found) - 1
                detail += f"; {more} more blocks here repeat code from {first.path}"
            evidence.append(Evidence(path=path, line=copy.line if copy.kind == "function" else None,
                                     cell=copy.cell, detail=detail))
    evidence.sort(key=lambda e: (e.path, -1 if e.cell is None else e.cell, e.line or 0))
    values = {"groups": len(groups), "duplicates": duplicates, "unlisted": unlisted}
    if evidence:
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    if n_files >= 2:
        return ProbeResult(outcome=Outcome.false, values=values)
    return ProbeResult(outcome=Outcome.not_applicable, values=values, message="fewer than two non-test code files")
