"""Committed results of a run: what the ML Test Score's half point ("documented") needs to see."""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass

from mlaudit.probes.context import ProbeContext, is_test_path
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

# Evaluation results a run writes and a team commits. Checks narrow this with their own globs
# (a test report, a validation report) so one kind of result never vouches for another test.
DEFAULT_GLOBS = [
    "metrics.json", "metrics.yaml", "metrics.csv", "scores.json", "evaluation.json", "eval_results.json",
    "results/*.json", "results/*.csv", "results/*.md", "reports/*.html", "reports/*.md", "reports/*.json",
    "eval/*.json", "evaluation/*.json", "evaluation/*.csv",
]


# What a written result looks like; a glob such as `*validation*report*` must not match the code
# (`validation_report.py`) that writes one.
REPORT_SUFFIXES = frozenset({".json", ".csv", ".tsv", ".md", ".html", ".htm", ".xml", ".txt", ".yaml", ".yml",
                             ".png", ".svg", ".pdf"})


@dataclass
class Artifact:
    path: str
    line: int | None
    what: str
    current: bool | None  # None: the age could not be checked
    why: str


def _md5(ctx: ProbeContext, path: str) -> str | None:
    f = ctx.repo.get(path)
    if f is None or f.is_symlink:
        return None
    try:
        return hashlib.md5(ctx.repo.read_bytes(f)).hexdigest()  # noqa: S324 (DVC's own content id)
    except OSError:
        return None


def _in_repo(base: str, path: str) -> str | None:
    """A dvc.lock path (relative to its dvc.yaml's folder) as a path in the scan, or None outside it."""
    joined = posixpath.normpath(posixpath.join(base, path))
    return None if joined.startswith("../") or joined == ".." or posixpath.isabs(joined) else joined


def _freshness(ctx: ProbeContext, base: str, deps: list) -> tuple[bool | None, str]:
    """Whether the stage's recorded run used the Python code now in the tree."""
    code = [d for d in deps if isinstance(d, dict) and str(d.get("path", "")).endswith(".py") and d.get("md5")]
    if not code:
        return None, "no code dependency recorded, so its age cannot be checked"
    stale, unknown = [], []
    for d in code:
        path = _in_repo(base, str(d["path"]))
        now = _md5(ctx, path) if path else None
        if now is None:
            unknown.append(str(d["path"]))
        elif now != str(d["md5"]):
            stale.append(path)
    if stale:
        return False, f"code changed since the run: {', '.join(stale)}"
    if unknown:
        return None, f"cannot check {', '.join(unknown)} (not in the scanned files)"
    return True, f"dvc.lock matches the current {', '.join(_in_repo(base, str(d['path'])) or '' for d in code)}"


def _paths(entries: object) -> set[str]:
    """`metrics:` lists plain paths or one-key mappings `{path: {cache: false}}`."""
    out: set[str] = set()
    for e in entries if isinstance(entries, list) else []:
        if isinstance(e, str):
            out.add(e)
        elif isinstance(e, dict):
            out |= {str(k) for k in e}
    return out


def dvc_results(ctx: ProbeContext) -> list[Artifact]:
    """Metrics and plots recorded in dvc.lock: current when every code dependency still has the md5
    DVC recorded, so the numbers came from the code in the tree."""
    out = []
    for f in ctx.files("dvc.yaml"):
        lock = ctx.repo.get(f.path[: -len("dvc.yaml")] + "dvc.lock")
        spec, locked = ctx.store.yaml(f), ctx.store.yaml(lock) if lock else None
        if spec is None or not isinstance(spec.data, dict):
            continue
        wanted = _paths(spec.data.get("metrics"))
        for stage in (spec.data.get("stages") or {}).values() if isinstance(spec.data.get("stages"), dict) else []:
            if isinstance(stage, dict):
                wanted |= _paths(stage.get("metrics"))
        stages = locked.data.get("stages") if locked and isinstance(locked.data, dict) else None
        for name, stage in stages.items() if isinstance(stages, dict) else ():
            if not isinstance(stage, dict):
                continue
            outs = [o.get("path") for o in stage.get("outs") if isinstance(o, dict)] if isinstance(stage.get("outs"), list) else []
            hits = sorted(w for w in wanted if any(isinstance(o, str) and (w == o or w.startswith(o.rstrip("/") + "/"))
                                                   for o in outs))
            if not hits:
                continue
            deps = stage.get("deps") if isinstance(stage.get("deps"), list) else []
            current, why = _freshness(ctx, posixpath.dirname(f.path), deps)
            line = locked.lines.get(("stages", name))
            out.append(Artifact(lock.path, line, f"DVC stage `{name}` recorded {', '.join(hits)}", current, why))
    return out


def _newest_code_change(ctx: ProbeContext) -> int | None:
    times = [ctx.history.last_changed(f.path) for f in ctx.files("*.py") if not is_test_path(f.path)]
    return max((t for t in times if t is not None), default=None)


@probe("results.documented", outcomes={Outcome.true, Outcome.false, Outcome.not_observable},
       params={"globs": DEFAULT_GLOBS, "notebooks": False, "dvc": True})
def results_documented(ctx: ProbeContext) -> ProbeResult:
    """Are results of a run committed with the code, and no older than it?

    The ML Test Score gives half a point to a test "run manually, with the results documented
    and distributed". Counts, as the check's parameters say: metrics recorded by DVC in
    `dvc.lock` (current when every Python dependency of the stage still has the md5 DVC recorded);
    committed files matching `globs` (current when committed no earlier than the last change to
    non-test Python code); executed notebooks when `notebooks` is true. Only report-like files
    count (JSON, CSV, Markdown, HTML, XML, text, YAML, images, PDF), never code. A result whose age
    cannot be checked (no git history, a DVC dependency outside the scan) does not count: the answer
    is then not observable. Values: `artifacts`, `current`, `stale`, `age_unknown`.
    """
    found: list[Artifact] = []
    if ctx.params.get("dvc", True):
        found += dvc_results(ctx)
    globs = [str(g) for g in ctx.params.get("globs") or []]
    files = [f for f in ctx.files(*globs) if f.tracked and f.suffix in REPORT_SUFFIXES] if globs else []
    if files:
        newest_code = _newest_code_change(ctx) if ctx.history.available else None
        for f in files:
            if not ctx.history.available:
                found.append(Artifact(f.path, None, "committed results", None, f"age not checked: {ctx.history.reason}"))
                continue
            when = ctx.history.last_changed(f.path)
            current = newest_code is None or (when is not None and when >= newest_code)
            found.append(Artifact(f.path, None, "committed results", current,
                                  "committed after the last code change" if current else "code changed after it was committed"))
    if ctx.params.get("notebooks"):
        for f, facts in ctx.code():
            if facts.kind == "notebook" and any(c.outputs for c in facts.cells if c.cell_type == "code"):
                found.append(Artifact(f.path, None, "notebook with outputs", True, "outputs saved with the code that made them"))

    current = [a for a in found if a.current]
    unknown = [a for a in found if a.current is None]
    values = {"artifacts": len(found), "current": len(current), "stale": len(found) - len(current) - len(unknown),
              "age_unknown": len(unknown)}
    evidence = [Evidence(path=a.path, line=a.line, detail=f"{a.what}; {a.why}") for a in (current or found)[:30]]
    if current:
        return ProbeResult(outcome=Outcome.true, values=values, evidence=evidence)
    if unknown:  # a result of unknown age must not earn more than one known to be stale
        return ProbeResult(outcome=Outcome.not_observable, values=values, evidence=evidence,
                           message="committed results found, but whether they are newer than the code cannot be checked")
    message = "committed results are older than the code" if found else "no committed results found"
    return ProbeResult(outcome=Outcome.false, values=values, evidence=evidence, message=message)
