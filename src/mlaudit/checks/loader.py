"""Loading rubric files: YAML → pydantic → lints, every problem as `file:line: what (fix)`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from mlaudit.checks.schema import Check, EvidenceClass, Rubric, Status
from mlaudit.errors import ConfigError
from mlaudit.probes.registry import ProbeSpec, all_probes
from mlaudit.resources import rubrics_dir
from mlaudit.yamlsource import YamlDoc, YamlSyntaxError, load_yaml

EARNING = frozenset({EvidenceClass.automated, EvidenceClass.documented})


@dataclass(frozen=True)
class LoadedRubric:
    rubric: Rubric
    path: Path
    builtin: bool

    def check(self, check_id: str) -> Check | None:
        short = check_id.split("/", 1)[-1]
        return next((c for c in self.rubric.checks if c.id == short), None)


def _fmt_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


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
        return "give a full http(s) URL"
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
        problems.append(f"{path}:{doc.line_of(loc) or 1}: {_fmt_loc(loc)}: {msg}" + (f" ({hint})" if hint else ""))
    return problems


def _suggest(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f"did you mean `{close[0]}`?" if close else "run `mlaudit probe --list` for the probe names"


def lint(rubric: Rubric, path: Path, doc: YamlDoc, probes: dict[str, ProbeSpec]) -> list[str]:
    """Problems pydantic cannot see: names that must exist, rules that can never fire."""
    problems: list[str] = []

    def at(loc: tuple, message: str) -> None:
        problems.append(f"{path}:{doc.line_of(loc) or 1}: {_fmt_loc(loc)}: {message}")

    sections = {s.id for s in rubric.sections}
    seen: dict[str, int] = {}
    for i, check in enumerate(rubric.checks):
        base = ("checks", i)
        if check.id in seen:
            at(base + ("id",), f"duplicate check id `{check.id}` (first at checks[{seen[check.id]}])")
        seen.setdefault(check.id, i)
        if check.section not in sections:
            at(base + ("section",), f"unknown section `{check.section}`; sections are {sorted(sections)}")
        for j, src in enumerate(check.sources):
            if src.ref not in rubric.references:
                at(base + ("sources", j, "ref"), f"unknown reference `{src.ref}`; "
                   + _suggest(src.ref, list(rubric.references)).replace("run `mlaudit probe --list` for the probe names",
                                                                         "add it under `references:`"))
        used = {}
        for j, use in enumerate(check.probe_uses()):
            spec = probes.get(use.id)
            if spec is None:
                at(base + ("probes", j), f"unknown probe `{use.id}`; {_suggest(use.id, sorted(probes))}")
                continue
            used[use.id] = spec
            for param in use.params:
                if param not in spec.params:
                    at(base + ("probes", j, "params", param),
                       f"probe `{use.id}` takes no parameter `{param}`; it takes {sorted(spec.params) or 'none'}")
        typos = len(used) < len(check.probes)  # an unknown name in `probes:` was reported above
        for j, rule in enumerate(check.rules):
            for probe_id, wanted in rule.wanted().items():
                loc = base + ("rules", j, "when", probe_id)
                if probe_id not in probes:
                    at(loc, f"unknown probe `{probe_id}`; {_suggest(probe_id, sorted(probes))}")
                    continue
                if probe_id not in used:
                    if not typos:
                        at(loc, f"probe `{probe_id}` is not listed in this check's `probes`; add it there")
                    continue
                impossible = wanted - used[probe_id].outcomes
                if impossible == wanted:
                    at(loc, f"probe `{probe_id}` never answers {sorted(o.value for o in impossible)}; "
                       f"it answers {sorted(o.value for o in used[probe_id].outcomes)}")
            for probe_id in rule.evidence or []:
                if probe_id not in used:
                    at(base + ("rules", j, "evidence"), f"evidence from `{probe_id}`, which this check does not use")
        if not check.probes and check.otherwise.status not in (Status.not_observable, Status.not_applicable):
            at(base + ("otherwise", "status"), "a check with no probes can only be `not_observable` "
               "(or `not_applicable`); without evidence mlaudit must not score it")
        if rubric.scoring == "ml-test-score":
            outcomes = [(("rules", j), r) for j, r in enumerate(check.rules)] + [(("otherwise",), check.otherwise)]
            for where, rule in outcomes:
                if rule.status in (Status.passed, Status.partial) and rule.evidence_class is None:
                    at(base + where + ("status",), "in an ML Test Score rubric a passing status needs "
                       "`evidence_class` (automated = 1 point, documented = 0.5)")
                if rule.status not in (Status.passed, Status.partial) and rule.evidence_class in EARNING:
                    at(base + where + ("evidence_class",), f"`{rule.status.value}` cannot be "
                       f"`{rule.evidence_class.value}`: only pass or partial earn points")
    for k, band in enumerate(rubric.bands):
        if band.gt is None and band.le is None and len(rubric.bands) > 1:
            at(("bands", k), "a band needs `gt`, `le` or both")
    return problems


def load_rubric_file(path: Path, *, builtin: bool = False) -> LoadedRubric:
    try:
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
    try:
        rubric = Rubric.model_validate(doc.data)
    except ValidationError as exc:
        raise ConfigError(str(path), _validation_problems(path, doc, exc)) from None
    problems = lint(rubric, path, doc, all_probes())
    if problems:
        raise ConfigError(str(path), problems)
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
        sources += [(p, False) for p in rubric_files(location)]
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
