"""Loading rubric files: YAML → pydantic → lints, every problem as `file:line: what (fix)`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from mlaudit.checks.lints import duplicate_keys, fmt_loc, lint, url_hint
from mlaudit.checks.schema import Check, Rubric
from mlaudit.errors import ConfigError
from mlaudit.probes.registry import all_probes
from mlaudit.resources import rubrics_dir
from mlaudit.yamlsource import YamlDoc, YamlSyntaxError, load_yaml

__all__ = ["LoadedRubric", "lint", "load_rubric_file", "load_rubrics", "rubric_files"]


@dataclass(frozen=True)
class LoadedRubric:
    rubric: Rubric
    path: Path
    builtin: bool

    def check(self, check_id: str) -> Check | None:
        short = check_id.split("/", 1)[-1]
        return next((c for c in self.rubric.checks if c.id == short), None)


def _hint(err: dict) -> str:
    kind = err.get("type", "")
    loc = tuple(err.get("loc", ()))
    if kind == "extra_forbidden":
        return "remove it, or fix its spelling: docs/check-schema.md lists the keys"
    if kind == "missing" and loc:
        return f"add `{loc[-1]}:`"
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
        return "ids are lower-case words joined by hyphens, e.g. `data-1`"
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "url":
        return url_hint(err.get("input"))
    if kind == "too_short" and loc and loc[-1] == "sources":
        return "cite at least one reference: `- {ref: <id under references>, section: \"...\"}`"
    return ""


def _clean_loc(loc: tuple, data: object) -> tuple:
    """Pydantic puts the union member it tried into the location ('checks', 0, 'probes', 0,
    'ProbeUse', 'id'); keep only the parts that exist in the YAML, plus a final missing key."""
    out: list = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
            out.append(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            out.append(part)
        elif i == len(loc) - 1 and isinstance(node, dict):
            out.append(part)  # a missing or unknown key
    return tuple(out)


_PREFERRED = {"enum": 0, "missing": 1, "extra_forbidden": 1}


def _validation_problems(path: Path, doc: YamlDoc, exc: ValidationError) -> list[str]:
    by_loc: dict[tuple, dict] = {}
    for err in exc.errors():
        loc = _clean_loc(tuple(err["loc"]), doc.data)
        best = by_loc.get(loc)
        if best is None or _PREFERRED.get(err["type"], 9) < _PREFERRED.get(best["type"], 9):
            by_loc[loc] = {**err, "loc": loc}  # one message per place, the most useful of a union's
    problems = []
    for loc, err in by_loc.items():
        msg = f"unknown key `{loc[-1]}`" if err["type"] == "extra_forbidden" and loc else err["msg"]
        hint = _hint(err)
        problems.append(f"{path}:{doc.line_of(loc) or 1}: {fmt_loc(loc)}: {msg}" + (f" ({hint})" if hint else ""))
    return problems


# A rubric is a page or two of YAML; the limit keeps a hostile config (`rubrics: [/dev/zero]`)
# from exhausting memory.
MAX_RUBRIC_BYTES = 2_000_000


def load_rubric_file(path: Path, *, builtin: bool = False) -> LoadedRubric:
    try:
        if not path.is_file():
            raise ConfigError(str(path), [f"{path}: not a regular file; a rubric is a YAML file or a folder of them"])
        if path.stat().st_size > MAX_RUBRIC_BYTES:
            raise ConfigError(str(path), [f"{path}: {path.stat().st_size:,} bytes is over the "
                                          f"{MAX_RUBRIC_BYTES:,}-byte limit for a rubric file"])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), [f"{path}:1: not UTF-8 (byte {exc.start}); save the file as UTF-8"]) from None
    except OSError as exc:
        raise ConfigError(str(path), [f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        doc = load_yaml(text)
    except YamlSyntaxError as exc:
        raise ConfigError(str(path), [f"{path}:{exc.line or 1}: {exc} (fix the YAML syntax at that line)"]) from None
    if not isinstance(doc.data, dict):
        raise ConfigError(str(path), [f"{path}:1: a rubric file is a mapping with `id`, `title`, `checks`..."])
    repeated = [f"{path}:{line}: {fmt_loc(loc)}: duplicate key `{loc[-1]}` (first at line {first}); YAML keeps "
                "only the last, so merge the two" for line, loc, first in duplicate_keys(text)]
    try:
        rubric = Rubric.model_validate(doc.data)
    except ValidationError as exc:
        raise ConfigError(str(path), repeated + _validation_problems(path, doc, exc)) from None
    problems = repeated + lint(rubric, path, doc, all_probes())
    if problems:  # in file order, so an author can work down the file
        raise ConfigError(str(path), sorted(problems, key=lambda p: int(p[len(str(path)) + 1:].split(":", 1)[0])))
    return LoadedRubric(rubric, path, builtin)


def rubric_files(location: Path) -> list[Path]:
    if location.is_dir():
        return sorted(p for p in location.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [location]


def load_rubrics(extra: list[Path] | None = None, *, builtin: bool = True) -> list[LoadedRubric]:
    """Built-in rubrics, then the team's own. Every file is validated and the problems of all files are
    reported together (a file with schema errors is linted once they are fixed)."""
    loaded: list[LoadedRubric] = []
    problems: list[str] = []
    sources = ([(p, True) for p in rubric_files(rubrics_dir())] if builtin else [])
    for location in extra or []:
        if not location.exists():
            raise ConfigError(str(location), [f"{location}: no such rubric file or folder"])
        found = rubric_files(location)
        if not found:  # a folder named on purpose but holding no rubric is a mistake, not an empty rubric
            problems.append(f"{location}: no rubric files (*.yaml, *.yml) in this folder")
        sources += [(p, False) for p in found]
    for path, is_builtin in sources:
        try:
            loaded.append(load_rubric_file(path, builtin=is_builtin))
        except ConfigError as exc:
            problems += exc.problems
    reserved = {p.stem for p in rubric_files(rubrics_dir())}  # a team's rubric may not pose as a built-in one
    for lr in loaded:
        if not lr.builtin and lr.rubric.id in reserved:
            problems.append(f"{lr.path}:1: rubric id `{lr.rubric.id}` is mlaudit's own; give your rubric another id")
    ids: dict[str, Path] = {}
    for lr in loaded:
        if lr.rubric.id in ids:
            problems.append(f"{lr.path}:1: rubric id `{lr.rubric.id}` is already used by {ids[lr.rubric.id]}")
        ids.setdefault(lr.rubric.id, lr.path)
    if problems:
        raise ConfigError(str(sources[0][0]) if sources else "", problems)
    return loaded
