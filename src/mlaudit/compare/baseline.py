"""A change against its base: which findings it added, which it fixed, which it left as they were."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from mlaudit.compare.findings import HISTORY_PROBES, Finding, history_only, status_finding
from mlaudit.errors import MlauditError
from mlaudit.renderers.ordering import STATUS_RANK
from mlaudit.result import SCHEMA_VERSION, ScanResult


@dataclass
class Delta:
    source: str  # what the baseline is: a file or a revision, in words
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    unchanged: list[Finding] = field(default_factory=list)
    # How the team works (reviews, tests changed with code) as the git history shows it. Kept apart:
    # a branch's own commits are unreviewed until it merges, so they would make every change "worse".
    process: list[Finding] = field(default_factory=list)
    score_changes: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)  # rubric -> (base, now)


def compare(current: ScanResult, current_findings: list[Finding], base: ScanResult, base_findings: list[Finding],
            source: str) -> Delta:
    before = {f.fingerprint: f.status for f in base_findings if not f.history}
    now = {f.fingerprint for f in current_findings if not f.history}

    def new(f: Finding) -> bool:
        # Absent before, or there before with a milder status (partial then, fail now): worse either way.
        return f.fingerprint not in before or STATUS_RANK[f.status] < STATUS_RANK[before[f.fingerprint]]

    status_now = {r.check: r.status for r in current.results if not r.suppressed}

    def fixed(f: Finding) -> bool:
        # A check that got worse shows other evidence (a partial's hints give way to the failure):
        # what it showed before was superseded, not fixed.
        now_status = status_now.get(f.check)
        return f.fingerprint not in now and not (now_status is not None and STATUS_RANK[now_status] < STATUS_RANK[f.status])

    delta = Delta(source=source,
                  new=[f for f in current_findings if not f.history and new(f)],
                  fixed=[f for f in base_findings if not f.history and fixed(f)],
                  unchanged=[f for f in current_findings if not f.history and not new(f)],
                  process=[f for f in current_findings if f.history])
    worse = _worse_by_files(current, current_findings, base)
    delta.new += worse
    delta.process = [f for f in delta.process if f.check not in {w.check for w in worse}]
    base_scores = {r.id: r.score for r in base.rubrics}
    for r in current.rubrics:
        if r.id in base_scores and base_scores[r.id] != r.score:
            delta.score_changes[r.id] = (base_scores[r.id], r.score)
    return delta


def _worse_by_files(current: ScanResult, current_findings: list[Finding], base: ScanResult) -> list[Finding]:
    """Checks whose evidence is history (so kept apart above) but that also read the files: when one
    got worse and a file probe answers differently than at the baseline, the files made it worse
    (CI removed, tests deleted), and that is the change's doing."""
    in_history = {f.check for f in current_findings if f.history}
    before = {r.check: r for r in base.results if not r.suppressed}
    out = []
    for r in current.results:
        if r.check not in in_history or history_only(r):
            continue
        b = before.get(r.check)
        files_now = {p: o for p, o in r.probes.items() if p not in HISTORY_PROBES}
        files_then = {p: o for p, o in (b.probes if b else {}).items() if p not in HISTORY_PROBES}
        if (b is None or STATUS_RANK[r.status] < STATUS_RANK[b.status]) and files_now != files_then:
            out.append(status_finding(r, current.target.anchor or "."))
    return out


def load_baseline(path: Path) -> ScanResult:
    """A report saved with `--format json`; anything else is an error naming the file and the fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MlauditError(f"{path}: cannot read the baseline ({exc})") from None
    try:
        result = ScanResult.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise MlauditError(f"{path}: not an mlaudit JSON report ({where}: {first['msg']}); save one with "
                           "`mlaudit scan --format json -o baseline.json`") from None
    if result.schema_version != SCHEMA_VERSION:
        raise MlauditError(f"{path}: a report in JSON schema {result.schema_version!r}; this mlaudit reads "
                           f"{SCHEMA_VERSION!r} (save the baseline again with this version)")
    return result

