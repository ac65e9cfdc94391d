"""Findings as CI tools count them: one per place a problem shows, each with a stable fingerprint.

A check that fails with evidence gives one finding per evidence item; a check that fails for
what is absent (no tests, no schema) gives one finding for the whole repository, placed on the
repository's anchor file so that SARIF and GitLab have a real file to show it on.

The fingerprint is what a baseline compares, so it must survive unrelated edits: it hashes the
check, the path and the finding's own text (the source line, else the evidence message, with
whitespace normalised and numbers blanked), never the line number. When the same text occurs
twice in a file, the occurrence number tells them apart.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from mlaudit.checks.schema import Severity, Status
from mlaudit.renderers.ordering import SEVERITY_RANK, STATUS_RANK
from mlaudit.result import CheckResult, ScanResult

FINGERPRINT_VERSION = "mlaudit/v1"
GATE_STATUSES = {"fail": frozenset({Status.fail, Status.error}),
                 "partial": frozenset({Status.fail, Status.error, Status.partial})}
HISTORY_PROBES = frozenset({"git.review", "git.cochange"})
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")


def history_only(r: CheckResult) -> bool:
    """Decided by the git history alone (code review): about how the team works, not the files."""
    return bool(r.probes) and all(p in HISTORY_PROBES for p in r.probes)


@dataclass(frozen=True)
class Finding:
    check: str
    rubric: str
    title: str
    status: Status
    severity: Severity
    message: str  # what is wrong here: the evidence's message, or the check's for an absence
    path: str  # the repository-relative file it is shown on
    line: int | None
    cell: int | None
    commit: str | None
    excerpt: str | None
    located: bool  # False: the check is about the repository as a whole, shown on the anchor file
    fingerprint: str
    history: bool = False  # decided by the git history (review, co-changed tests), not by the files

    @property
    def where(self) -> str:
        if not self.located:
            return "(repository)"
        if self.cell is not None:
            return f"{self.path} cell {self.cell}" + (f", line {self.line}" if self.line else "")
        return f"{self.path}:{self.line}" if self.line else self.path


def _context(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def text_key(text: str) -> str:
    """A finding's text as fingerprints read it: whitespace normalised, numbers blanked."""
    return _context(_NUMBER.sub("N", text))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "backslashreplace")).hexdigest()[:32]


def _raw(r: CheckResult, anchor: str) -> list[tuple[dict, tuple[str, ...]]]:
    """(fields, what identifies it) for each problem the check shows."""
    base = dict(check=r.check, rubric=r.rubric, title=r.title, status=r.status, severity=r.severity)
    live = [e for e in r.evidence if e.suppression is None]
    if not live:
        return [(dict(base, message=r.message, path=anchor, line=None, cell=None, commit=None, excerpt=None,
                      located=False, history=history_only(r)), (r.check, "(repository)"))]
    out = []
    # Evidence from the git history (a commit pushed without review, a change without its test)
    # is one finding per check: every new commit would otherwise be a "new" finding, and a pull
    # request's own commits are unreviewed by definition until it merges.
    if any(e.commit for e in live):
        # ...and the check's other evidence was shown because of that history: it goes with it.
        # (A check whose files also changed for the worse is caught in compare(), by its probes.)
        base["history"] = True
        out.append((dict(base, message=r.message, path=anchor, line=None, cell=None, commit=None, excerpt=None,
                         located=False), (r.check, "(history)")))
    for e in live:
        if e.commit:
            continue
        if e.path is None:
            key = (r.check, "(repository)", _context(_NUMBER.sub("N", e.message)))
            out.append((dict(base, message=e.message, path=anchor, line=None, cell=None, commit=None,
                             excerpt=None, located=False), key))
            continue
        # Numbers are blanked in the line too: bumping `torch<2.9` to `torch<2.10`, or a test size
        # from 0.2 to 0.25, leaves the same problem at the same place.
        key = (r.check, e.path, "" if e.cell is None else "cell", text_key(e.excerpt if e.excerpt else e.message))
        out.append((dict(base, message=e.message, path=e.path, line=e.line, cell=e.cell, commit=None,
                         excerpt=e.excerpt, located=True), key))
    return out


def status_finding(r: CheckResult, anchor: str) -> Finding:
    """The check as a whole, for a check whose evidence is history but whose files made it worse."""
    return Finding(check=r.check, rubric=r.rubric, title=r.title, status=r.status, severity=r.severity,
                   message=r.message, path=anchor, line=None, cell=None, commit=None, excerpt=None, located=False,
                   fingerprint=_digest(FINGERPRINT_VERSION, r.check, "(status)"))


def findings(result: ScanResult, statuses: frozenset[Status] = GATE_STATUSES["partial"]) -> list[Finding]:
    """Every problem in the scan, worst first; suppressed checks and findings left out."""
    anchor = result.target.anchor or "."
    seen: Counter = Counter()
    out = []
    for r in result.results:
        if r.suppressed or r.status not in statuses:
            continue
        for fields, key in _raw(r, anchor):
            seen[key] += 1
            out.append(Finding(**fields, fingerprint=_digest(FINGERPRINT_VERSION, *key, str(seen[key]))))
    return sorted(out, key=lambda f: (STATUS_RANK[f.status], SEVERITY_RANK[f.severity], f.check, f.path,
                                      f.line or 0))
