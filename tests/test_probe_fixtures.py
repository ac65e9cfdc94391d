"""Every probe against annotated fixture repositories, Semgrep-style.

Each folder under probe_fixtures/ is a small repository. A line that carries
`# mlaudit-expect: <probe>[, <probe>...]` must be reported by that probe; a line with
`# mlaudit-ok: <probe>` must not be. A comment-only annotation line applies to the next code
line. In a notebook the annotation sits in the cell's source. Evidence a probe gives without a
line (a whole notebook cell, a whole file) matches an annotation anywhere in that cell or file.
Only the probes a folder's annotations name are checked in that folder, and every finding they
report must be expected: a missing finding and an extra one both fail.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import git

from mlaudit.scan import ScanOptions, run_probes

FIXTURES = Path(__file__).parent / "probe_fixtures"
ANNOTATION = re.compile(r"#\s*mlaudit-(expect|ok):\s*([a-z_.,\s]+?)\s*(?:#.*)?$")


@dataclass(frozen=True)
class Mark:
    kind: str  # expect | ok
    probe: str
    path: str
    cell: int | None
    line: int


def _marks_in(lines: list[str], path: str, cell: int | None) -> list[Mark]:
    marks = []
    pending: list[tuple[str, str]] = []
    for n, line in enumerate(lines, start=1):
        m = ANNOTATION.search(line)
        found = [(m.group(1), p.strip()) for p in m.group(2).split(",") if p.strip()] if m else []
        if found and line.lstrip().startswith("#"):
            pending += found  # a comment-only annotation applies to the next code line
            continue
        for kind, probe in pending + found:
            marks.append(Mark(kind, probe, path, cell, n))
        pending = []
    return marks


def annotations(root: Path) -> list[Mark]:
    marks: list[Mark] = []
    for f in sorted(root.rglob("*")):
        if not f.is_file():
            continue
        rel = f.relative_to(root).as_posix()
        if f.suffix == ".ipynb":
            for index, cell in enumerate(json.loads(f.read_text())["cells"]):
                src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                marks += _marks_in(src.splitlines(), rel, index)
        else:
            try:
                marks += _marks_in(f.read_text(encoding="utf-8").splitlines(), rel, None)
            except UnicodeDecodeError:
                continue
    return marks


def _matches(mark: Mark, probe: str, e) -> bool:
    return (mark.probe == probe and mark.path == e.path and (e.cell is None or mark.cell == e.cell)
            and (e.line is None or mark.line == e.line))


@pytest.mark.parametrize("folder", sorted(p for p in FIXTURES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_probe_fixture(folder, tmp_path):
    repo = tmp_path / folder.name
    shutil.copytree(folder, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fixture")
    marks = annotations(repo)
    probes = sorted({m.probe for m in marks})
    assert probes, f"{folder.name} has no annotations"
    _, results = run_probes(repo, ScanOptions(use_cache=False), probes)

    problems = []
    for probe in probes:
        evidence = results[probe].evidence
        for mark in (m for m in marks if m.probe == probe):
            hit = any(_matches(mark, probe, e) for e in evidence)
            if mark.kind == "expect" and not hit:
                problems.append(f"missing: {probe} at {mark.path}:{mark.line} (cell {mark.cell})")
            if mark.kind == "ok" and hit:
                problems.append(f"false positive: {probe} at {mark.path}:{mark.line} (cell {mark.cell})")
        for e in evidence:
            if not any(m.kind == "expect" and _matches(m, probe, e) for m in marks):
                problems.append(f"unexpected: {probe} at {e.path}:{e.line} (cell {e.cell}): {e.detail}")
    assert not problems, "\n".join(problems)
