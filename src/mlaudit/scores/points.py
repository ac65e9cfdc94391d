"""Points for one check, by the rubric's scoring model."""

from __future__ import annotations

from mlaudit.checks.schema import EvidenceClass, Severity, Status

# ML Test Score §VI.A: "half a point ... for executing the test manually, with the results
# documented and distributed. A full point ... if there is a system in place to run that test
# automatically on a repeated basis." Anything less earns nothing.
ML_TEST_SCORE_POINTS = {EvidenceClass.automated: 1.0, EvidenceClass.documented: 0.5}

# Percentage rubrics weigh checks by risk, as Scorecard does (Critical 10 ... Low 2.5).
SEVERITY_WEIGHT = {Severity.critical: 10.0, Severity.high: 7.5, Severity.medium: 5.0,
                   Severity.low: 2.5, Severity.info: 0.0}
STATUS_FRACTION = {Status.passed: 1.0, Status.partial: 0.5, Status.fail: 0.0}

SCORED = frozenset({Status.passed, Status.partial, Status.fail})


def weighed(results: list) -> tuple[list, float]:
    """A percentage rubric's denominator: the checks that count (scored, weighted, not suppressed)
    and their total weight."""
    scored = [r for r in results if r.status in SCORED and r.weight > 0 and not r.suppressed]
    return scored, sum(r.weight * r.max_points for r in scored)


def points_for(scoring: str, status: Status, evidence_class: EvidenceClass | None,
               severity: Severity) -> tuple[float, float, float]:
    """(points, max_points, weight)."""
    if scoring == "ml-test-score":
        earned = ML_TEST_SCORE_POINTS.get(evidence_class, 0.0) if status in (Status.passed, Status.partial) else 0.0
        return earned, 1.0, 1.0
    return STATUS_FRACTION.get(status, 0.0), 1.0, SEVERITY_WEIGHT[severity]
