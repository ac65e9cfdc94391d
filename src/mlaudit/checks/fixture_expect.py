"""What a check fixture expects: the status its folder name starts with, and an optional
`expected.yaml` that adds evidence locations and statuses for other checks of the same rubric.

    <fixtures>/<rubric id>/<check id>/<status>[-what it shows]/   a small repository
        expected.yaml      (optional, not committed into the fixture's repository)
            <check id>: <status>
            <check id>: {status: <status>, evidence: ["train.py:12", "eda.ipynb cell 3, line 2"]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mlaudit.checks.schema import Rubric, Status
from mlaudit.yamlsource import YamlSyntaxError, load_yaml

EXPECTED = "expected.yaml"
STATUSES = tuple(s.value for s in Status)
_CELL = re.compile(r"^(?P<path>.+?) cell (?P<cell>\d+)(?:, line (?P<line>\d+))?$")
_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)$")


@dataclass(frozen=True)
class Place:
    """An evidence location that must be reported, written as the report prints it."""

    text: str
    path: str
    line: int | None = None
    cell: int | None = None

    def matches(self, evidence) -> bool:
        return (evidence.path == self.path and (self.line is None or evidence.line == self.line)
                and (self.cell is None or evidence.cell == self.cell))


def parse_place(text: str) -> Place:
    m = _CELL.match(text)
    if m:
        return Place(text, m["path"], int(m["line"]) if m["line"] else None, int(m["cell"]))
    m = _LINE.match(text)
    if m:
        return Place(text, m["path"], int(m["line"]))
    return Place(text, text)


@dataclass(frozen=True)
class Expectation:
    check: str  # "<rubric>/<check>"
    status: str | None  # None only while reading: the folder name gives the status of its own check
    evidence: tuple[Place, ...] = ()


def status_of_folder(name: str) -> str | None:
    """`fail-no-seed` → fail. The status is the whole name or the part before the first `-`
    (statuses use underscores, so `not_applicable-foo` is unambiguous)."""
    head = name.split("-", 1)[0]
    return head if head in STATUSES else None


def read_expectations(folder: Path, rubric: Rubric, check_id: str) -> tuple[list[Expectation], list[str]]:
    """(expectations, problems). The folder's own check comes first."""
    problems: list[str] = []
    from_name = status_of_folder(folder.name)
    entries: dict[str, Expectation] = {}
    path = folder / EXPECTED
    if path.is_file():
        entries = _read_file(path, rubric, problems)
    own = entries.pop(check_id, None) or Expectation(check_id, None)
    if own.status is None:
        if from_name is None:
            problems.append(f"{folder}: the folder name does not start with a status ({', '.join(STATUSES)}) "
                            f"and {EXPECTED} does not give one for `{check_id}`; rename it, e.g. `fail-{folder.name}`")
            return [], problems
        own = Expectation(check_id, from_name, own.evidence)
    elif from_name is not None and own.status != from_name:
        problems.append(f"{path}: says `{check_id}` is `{own.status}` but the folder name says `{from_name}`; "
                        "make them agree")
    for other in entries.values():
        if other.status is None:
            problems.append(f"{path}: `{other.check}` needs a `status`; only the folder's own check takes it "
                            "from the folder name")
    return [own, *entries.values()], problems


def _read_file(path: Path, rubric: Rubric, problems: list[str]) -> dict[str, Expectation]:
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        problems.append(f"{path}:{exc.line or 1}: {exc} (fix the YAML syntax at that line)")
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}:1: cannot read: {exc}")
        return {}
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        problems.append(f"{path}:1: expected a mapping from check ids to statuses")
        return {}
    known = {c.id for c in rubric.checks}
    out: dict[str, Expectation] = {}
    for key, value in doc.data.items():
        line = doc.line_of((key,)) or 1
        short = str(key).removeprefix(f"{rubric.id}/")
        if short not in known:
            problems.append(f"{path}:{line}: {key}: no check `{key}` in rubric `{rubric.id}`")
            continue
        spec = {"status": value} if isinstance(value, str) else value
        if not isinstance(spec, dict) or set(spec) - {"status", "evidence"}:
            problems.append(f"{path}:{line}: {key}: give a status, or `{{status: ..., evidence: [path:line, ...]}}`")
            continue
        status = spec.get("status")
        if status is not None and status not in STATUSES:
            problems.append(f"{path}:{line}: {key}: status `{status}` is not one of {', '.join(STATUSES)}")
            continue
        places = spec.get("evidence") or []
        if not isinstance(places, list) or not all(isinstance(p, str) and p.strip() for p in places):
            problems.append(f"{path}:{line}: {key}.evidence: a list of locations such as `train.py:12`")
            continue
        full = f"{rubric.id}/{short}"
        out[full] = Expectation(full, status, tuple(parse_place(p.strip()) for p in places))
    return out
