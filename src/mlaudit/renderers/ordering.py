"""The order every renderer lists things in: the headline rubric first, findings worst first."""

from __future__ import annotations

from mlaudit.checks.schema import Severity, Status
from mlaudit.result import CheckResult, RubricScore

STATUS_RANK = {Status.fail: 0, Status.error: 1, Status.partial: 2, Status.not_observable: 3,
               Status.passed: 4, Status.not_applicable: 5}
SEVERITY_RANK = {Severity.critical: 0, Severity.high: 1, Severity.medium: 2, Severity.low: 3, Severity.info: 4}
PROBLEM = frozenset({Status.fail, Status.error, Status.partial})


def worst_first(results: list[CheckResult]) -> list[CheckResult]:
    """By status, then severity; among equals, a finding with a place to click before an absence."""
    return sorted(results, key=lambda r: (STATUS_RANK[r.status], SEVERITY_RANK[r.severity], not r.evidence, r.check))


def headline_first(scores: list[RubricScore]) -> list[RubricScore]:
    """The ML Test Score before the others: it is the paper's headline number, they give it context."""
    return sorted(scores, key=lambda s: s.scoring != "ml-test-score")


def location(e) -> str:
    """`path:line`, or `path cell N, line M` in a notebook: for anything with path, line and cell."""
    if e.path is None:
        return f"commit {e.commit[:10]}" if getattr(e, "commit", None) else "(repository)"
    if e.cell is not None:
        return f"{e.path} cell {e.cell}" + (f", line {e.line}" if e.line else "")
    return f"{e.path}:{e.line}" if e.line else e.path
