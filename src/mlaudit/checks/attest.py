"""Attestations: what a team states about a check, set beside what the scan saw.

The rules (docs/configuration.md says the same for users):
- An attestation scores as the paper says: `automated` 1 point, `documented` 0.5 in the ML Test
  Score; a pass in a percentage rubric, whatever the level. The check is then marked `attested`,
  never `observed`.
- The scan's own evidence wins when it is at least as strong: a check observed passing with an
  equal or better class keeps its observed result, and the attestation is shown as not needed.
- An attestation does not count, and is flagged, when it has expired (from its `expires` day
  on), when its evidence is a repository path that does not exist, or when the scan contradicts
  it: the check failed on findings that are not suppressed. Then the observed result stands, so
  a stale or wrong claim can never hide what the repository shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mlaudit.checks.schema import EvidenceClass, Status
from mlaudit.config_entries import Attest
from mlaudit.repository import Repository
from mlaudit.result import Attestation, CheckResult
from mlaudit.scores import points_for

_RANK = {EvidenceClass.automated: 2, EvidenceClass.documented: 1}


@dataclass
class PlacedAttest:
    entry: Attest
    path: str  # the config file, as shown in reports
    line: int


def evidence_exists(repo: Repository, evidence: str) -> bool:
    """A file or folder in the scanned inventory (so a git-ignored file does not count: no one
    reading the repository could open it). A `#fragment` names a place in the file."""
    p = evidence.split("#", 1)[0].strip().removeprefix("./").rstrip("/")
    if p in ("", "."):
        return True
    return repo.get(p) is not None or any(f.path.startswith(p + "/") for f in repo.files)


def _observed_suffices(r: CheckResult, level: EvidenceClass, scoring: str) -> bool:
    if scoring == "ml-test-score":
        return r.status in (Status.passed, Status.partial) and _RANK.get(r.evidence_class, 0) >= _RANK[level]
    return r.status is Status.passed


def apply_attestations(results: list[CheckResult], attests: list[PlacedAttest], scoring: dict[str, str],
                       repo: Repository, today: dt.date) -> None:
    """Sets each attested check's `attestation`, and its status and points when it applies."""
    by_check = {r.check: r for r in results}
    for placed in attests:
        a = placed.entry
        r = by_check.get(a.check)
        if r is None:
            continue  # names a check of a rubric not loaded; LoadedConfig.check_names reports it
        level = EvidenceClass(a.level)
        problems = []
        if a.expires is not None and today >= a.expires:
            problems.append("expired")
        if not a.evidence_is_url and not evidence_exists(repo, a.evidence):
            problems.append("evidence path missing")
        if r.status is Status.fail and any(e.suppression is None for e in r.evidence):
            problems.append("contradicted by the scan")
        applied = not problems and not _observed_suffices(r, level, scoring[r.rubric])
        r.attestation = Attestation(
            level=level, evidence=a.evidence, by=a.by, date=a.date.isoformat(),
            expires=a.expires.isoformat() if a.expires else None, note=a.note, path=placed.path, line=placed.line,
            applied=applied, problems=problems, observed_status=r.status, observed_evidence_class=r.evidence_class,
            observed_message=r.message)
        if applied:
            r.points, r.max_points, r.weight = points_for(scoring[r.rubric], Status.passed, level, r.severity)
            r.status, r.evidence_class, r.basis, r.suppressed = Status.passed, level, "attested", False
            r.message = f"Attested ({level.label}) by {a.by} on {a.date.isoformat()}."
