"""Scoring arithmetic.

ML Test Score (Breck et al. 2017, §VI.A and Table V): half a point for a test run by hand with
documented results, a full point when a system runs it automatically; each section sums its tests;
the final score is the minimum of the four section sums; Table V's bands are open on the left and
closed on the right. Percentage rubrics: severity-weighted, partial counts half, and whatever was not
scored (not observable, not applicable, error) leaves the denominator instead of counting as a pass.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from mlaudit.checks.loader import load_rubric_file
from mlaudit.checks.schema import Band, EvidenceClass, Rubric, Severity, Status
from mlaudit.result import CheckResult
from mlaudit.scores import points_for, score_rubric
from mlaudit.scores.rubric import band_for

MTS = load_rubric_file(ROOT / "rubrics" / "ml-test-score.yaml").rubric
BANDS = MTS.bands

RESEARCH = "More of a research project than a productionized system."
HOLES = "Not totally untested, but it is worth considering the possibility of serious holes in reliability."
FIRST_PASS = "There's been first pass at basic productionization, but additional investment may be needed."
REASONABLE = "Reasonably tested, but it's possible that more of those tests and procedures may be automated."
STRONG = "Strong levels of automated testing and monitoring, appropriate for mission-critical systems."
EXCEPTIONAL = "Exceptional levels of automated testing and monitoring."


def result(section: str, status: Status | str, evidence_class: EvidenceClass | str | None = None, *,
           scoring: str = "ml-test-score", severity: Severity | str = Severity.medium, n: int = 0) -> CheckResult:
    """A CheckResult as evaluate() builds it: points and weight from points_for."""
    status, severity = Status(status), Severity(severity)
    ev = EvidenceClass(evidence_class) if evidence_class else None
    points, max_points, weight = points_for(scoring, status, ev, severity)
    return CheckResult.model_validate({
        "check": f"r/{section}-{n}", "rubric": "r", "section": section, "status": status.value,
        "points": points, "max_points": max_points, "weight": weight, "title": f"{section} {n}",
        "severity": severity.value, "evidence_class": ev.value if ev else None, "message": "m"})


def many(section: str, *specs: tuple[str, str | None], **kw) -> list[CheckResult]:
    return [result(section, status, ev, n=i, **kw) for i, (status, ev) in enumerate(specs)]


AUTO = ("pass", "automated")
DOC = ("partial", "documented")
IMPL = ("partial", "implemented")
ABSENT = ("fail", "absent")
UNSEEN = ("not_observable", "not_observable")


# -- Table V bands ------------------------------------------------------------------------
def test_bands_are_table_v():
    assert [(b.gt, b.le) for b in BANDS] == [(None, 0), (0, 1), (1, 2), (2, 3), (3, 5), (5, None)]
    assert [b.text for b in BANDS] == [RESEARCH, HOLES, FIRST_PASS, REASONABLE, STRONG, EXCEPTIONAL]


@pytest.mark.parametrize(("score", "text"), [
    (0, RESEARCH), (0.0, RESEARCH),
    (0.5, HOLES), (1.0, HOLES),            # (0, 1]: exactly 1 is still in the second band
    (1.5, FIRST_PASS), (2, FIRST_PASS),    # (1, 2]
    (2.5, REASONABLE), (3, REASONABLE),    # (2, 3]
    (3.5, STRONG), (4, STRONG), (5, STRONG),  # (3, 5]
    (5.5, EXCEPTIONAL), (7, EXCEPTIONAL),  # > 5
])
def test_band_for_table_v(score, text):
    assert band_for(score, BANDS) == text


def test_band_for_without_bands_or_outside_them():
    assert band_for(3, []) is None
    assert band_for(3, [Band(gt=5, text="high")]) is None
    assert band_for(5, [Band(gt=5, text="high")]) is None  # open on the left
    assert band_for(5.01, [Band(gt=5, text="high")]) == "high"


# -- points_for ---------------------------------------------------------------------------
@pytest.mark.parametrize(("status", "evidence_class", "points"), [
    ("pass", "automated", 1.0),           # "a full point ... run automatically on a repeated basis"
    ("pass", "documented", 0.5),          # "half a point ... executed manually, results documented"
    ("partial", "documented", 0.5),
    ("pass", "implemented", 0.0),         # exists, but nothing shows it runs
    ("partial", "implemented", 0.0),
    ("fail", "absent", 0.0),
    ("fail", None, 0.0),
    ("not_observable", "not_observable", 0.0),
    ("not_applicable", None, 0.0),
    ("error", None, 0.0),
])
def test_points_for_ml_test_score(status, evidence_class, points):
    ev = EvidenceClass(evidence_class) if evidence_class else None
    for severity in Severity:  # severity never changes ML Test Score points
        assert points_for("ml-test-score", Status(status), ev, severity) == (points, 1.0, 1.0)


@pytest.mark.parametrize(("severity", "weight"), [
    ("critical", 10.0), ("high", 7.5), ("medium", 5.0), ("low", 2.5), ("info", 0.0)])
def test_points_for_percentage_weights_by_severity(severity, weight):
    sev = Severity(severity)
    assert points_for("percentage", Status.passed, None, sev) == (1.0, 1.0, weight)
    assert points_for("percentage", Status.partial, None, sev) == (0.5, 1.0, weight)
    assert points_for("percentage", Status.fail, None, sev) == (0.0, 1.0, weight)


def test_points_for_percentage_ignores_evidence_class():
    for ev in [None, *EvidenceClass]:
        assert points_for("percentage", Status.passed, ev, Severity.high) == (1.0, 1.0, 7.5)


def test_points_for_ml_test_score_no_points_without_a_passing_status():
    earned = {(status.value, ev.value): points_for("ml-test-score", status, ev, Severity.high)[0]
              for status in (Status.fail, Status.error, Status.not_observable, Status.not_applicable)
              for ev in (EvidenceClass.automated, EvidenceClass.documented)}
    assert earned == {key: 0.0 for key in earned}


# -- ML Test Score ------------------------------------------------------------------------
def test_ml_test_score_sums_sections_and_takes_the_minimum():
    results = (many("data", AUTO, AUTO, DOC, ABSENT)        # 1 + 1 + 0.5 + 0  = 2.5
               + many("model", DOC, DOC, IMPL)              # 0.5 + 0.5 + 0    = 1
               + many("infra", AUTO, AUTO, AUTO)            # 3
               + many("monitor", AUTO, DOC, ABSENT, UNSEEN))  # 1 + 0.5 + 0 + 0 = 1.5
    score = score_rubric(MTS, results)

    assert [(s.id, s.score, s.max, s.checks) for s in score.sections] == [
        ("data", 2.5, 4.0, 4), ("model", 1.0, 3.0, 3), ("infra", 3.0, 3.0, 3), ("monitor", 1.5, 4.0, 4)]
    assert score.score == 1.0
    assert score.minimum_sections == ["model"]
    assert score.band == HOLES  # exactly 1.0 is in (0, 1]
    assert score.max_score == 4.0
    assert score.scoring == "ml-test-score" and score.id == "ml-test-score"
    assert score.counts == {"pass": 6, "partial": 5, "fail": 2, "not_observable": 1}


def test_ml_test_score_ties_name_every_minimum_section_in_rubric_order():
    results = many("data", AUTO, AUTO) + many("model", DOC, DOC) + many("infra", AUTO, DOC, ABSENT) + many(
        "monitor", DOC, DOC, DOC, DOC)
    score = score_rubric(MTS, results)
    assert [s.score for s in score.sections] == [2.0, 1.0, 1.5, 2.0]
    assert score.score == 1.0
    assert score.minimum_sections == ["model"]

    tied = many("data", DOC, DOC) + many("model", AUTO) + many("infra", AUTO, AUTO) + many("monitor", AUTO)
    score = score_rubric(MTS, tied)
    assert score.score == 1.0
    assert score.minimum_sections == ["data", "model", "monitor"]


def test_ml_test_score_half_points_add_up_exactly():
    results = many("data", *[DOC] * 7) + many("model", *[DOC] * 7) + many("infra", *[DOC] * 7) + many(
        "monitor", *[DOC] * 6, AUTO)
    score = score_rubric(MTS, results)
    assert [s.score for s in score.sections] == [3.5, 3.5, 3.5, 4.0]
    assert score.score == 3.5
    assert score.minimum_sections == ["data", "model", "infra"]
    assert score.band == STRONG


def test_ml_test_score_not_observable_scores_zero_and_is_counted():
    results = many("data", AUTO, UNSEEN, UNSEEN) + many("model", AUTO) + many("infra", AUTO) + many(
        "monitor", AUTO, UNSEEN)
    score = score_rubric(MTS, results)

    assert all(r.points == 0.0 and r.max_points == 1.0 for r in results if r.status is Status.not_observable)
    assert [(s.score, s.max) for s in score.sections] == [(1.0, 3.0), (1.0, 1.0), (1.0, 1.0), (1.0, 2.0)]
    assert score.counts["not_observable"] == 3
    assert "(out of 3/1/1/2)" in score.denominator
    assert "3 of 7 tests are not observable from the repository and score 0." in score.denominator


def test_ml_test_score_a_section_with_nothing_observable_sets_the_score_to_zero():
    results = many("data", AUTO, AUTO) + many("model", AUTO) + many("infra", AUTO) + many("monitor", UNSEEN, UNSEEN)
    score = score_rubric(MTS, results)
    assert score.score == 0.0
    assert score.minimum_sections == ["monitor"]
    assert score.band == RESEARCH


def test_ml_test_score_all_28_automated_is_7_and_exceptional():
    results = [r for s in ("data", "model", "infra", "monitor") for r in many(s, *[AUTO] * 7)]
    score = score_rubric(MTS, results)
    assert [(s.score, s.max, s.checks) for s in score.sections] == [(7.0, 7.0, 7)] * 4
    assert score.score == 7.0 and score.max_score == 7.0
    assert score.minimum_sections == ["data", "model", "infra", "monitor"]
    assert score.band == EXCEPTIONAL
    assert score.denominator.endswith("0 of 28 tests are not observable from the repository and score 0.")


def test_ml_test_score_nothing_observable_at_all_is_zero_not_none():
    results = [r for s in ("data", "model", "infra", "monitor") for r in many(s, *[UNSEEN] * 7)]
    score = score_rubric(MTS, results)
    assert score.score == 0.0
    assert score.band == RESEARCH
    assert score.counts == {"not_observable": 28}


# -- percentage ---------------------------------------------------------------------------
PCT = Rubric.model_validate({
    "id": "pct", "title": "Pct", "version": "1", "scoring": "percentage", "description": "d",
    "references": {"p": {"title": "P", "url": "https://example.com"}},
    "sections": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}],
    "checks": [{"id": "a-1", "section": "a", "title": "t", "rationale": "r", "remediation": "r",
                "sources": [{"ref": "p", "section": "1"}],
                "otherwise": {"status": "not_observable", "message": "m"}}],
})


def pct(section: str, status: str, severity: str, n: int) -> CheckResult:
    return result(section, status, scoring="percentage", severity=severity, n=n)


def test_percentage_weights_by_severity():
    results = [pct("a", "pass", "high", 0), pct("a", "fail", "low", 1)]
    score = score_rubric(PCT, results)
    assert score.score == 75.0  # 7.5 / (7.5 + 2.5)
    assert score.max_score == 100.0
    assert score.band is None

    results = [pct("a", "pass", "low", 0), pct("a", "fail", "critical", 1)]
    assert score_rubric(PCT, results).score == 20.0  # 2.5 / 12.5


def test_percentage_partial_is_half():
    assert score_rubric(PCT, [pct("a", "partial", "medium", 0)]).score == 50.0
    results = [pct("a", "pass", "high", 0), pct("a", "partial", "medium", 1), pct("b", "fail", "low", 2)]
    score = score_rubric(PCT, results)
    assert score.score == 66.7  # (7.5 + 2.5) / 15, rounded to one decimal
    assert [(s.id, s.score, s.max, s.checks) for s in score.sections] == [("a", 80.0, 100.0, 2), ("b", 0.0, 100.0, 1)]


@pytest.mark.parametrize("left_out", ["not_observable", "not_applicable", "error"])
def test_percentage_leaves_unscored_statuses_out_of_the_denominator(left_out):
    base = [pct("a", "pass", "high", 0), pct("a", "fail", "low", 1)]
    extra = [pct("a", left_out, "critical", 2), pct("b", left_out, "high", 3), pct("b", left_out, "low", 4)]
    score = score_rubric(PCT, base + extra)
    assert score.score == 75.0  # as if they were not there: neither passes nor failures
    assert score.counts == {"pass": 1, "fail": 1, left_out: 3}
    assert score.denominator.startswith("2 of 5 checks scored, weighted by severity; the other 3 ")
    assert "not counted as passes" in score.denominator


def test_percentage_unscored_results_are_not_passes():
    score = score_rubric(PCT, [pct("a", "fail", "high", 0), pct("a", "not_observable", "critical", 1),
                              pct("a", "not_applicable", "critical", 2), pct("a", "error", "critical", 3)])
    assert score.score == 0.0


def test_percentage_with_nothing_scored_is_none():
    score = score_rubric(PCT, [pct("a", "not_observable", "high", 0), pct("b", "not_applicable", "medium", 1),
                               pct("b", "error", "low", 2)])
    assert score.score is None
    assert score.band is None
    assert score.denominator.startswith("0 of 3 checks scored")
    assert score_rubric(PCT, []).score is None


def test_percentage_info_checks_weigh_nothing():
    assert score_rubric(PCT, [pct("a", "fail", "info", 0)]).score is None
    results = [pct("a", "pass", "medium", 0), pct("a", "fail", "info", 1)]
    score = score_rubric(PCT, results)
    assert score.score == 100.0
    assert score.denominator.startswith("1 of 2 checks scored")


def test_percentage_has_no_minimum_sections():
    score = score_rubric(PCT, [pct("a", "pass", "high", 0), pct("b", "fail", "high", 1)])
    assert score.score == 50.0
    assert score.minimum_sections == []
    assert [s.score for s in score.sections] == [100.0, 0.0]


def test_percentage_bands_apply_when_a_rubric_has_them():
    banded = PCT.model_copy(update={"bands": [Band(le=50, text="low"), Band(gt=50, text="high")]})
    assert score_rubric(banded, [pct("a", "pass", "high", 0), pct("a", "fail", "high", 1)]).band == "low"
    assert score_rubric(banded, [pct("a", "pass", "high", 0)]).band == "high"
    assert score_rubric(banded, [pct("a", "not_observable", "high", 0)]).band is None


# -- what would raise the score -------------------------------------------------------------
def steps(score) -> list[tuple[str, str, float, int]]:
    return [(s.check, s.action.split(":")[0].split(" ")[0], s.gain, s.effort) for s in score.next_steps]


def test_next_steps_come_from_the_section_that_sets_the_score_cheapest_first():
    results = (many("data", AUTO, AUTO, AUTO) + many("infra", AUTO, AUTO, AUTO) + many("monitor", AUTO, AUTO, AUTO)
               + many("model", ABSENT, UNSEEN, DOC, IMPL, AUTO))
    score = score_rubric(MTS, results)
    assert score.minimum_sections == ["model"]
    # implemented but not run: a line of CI, worth the full point; documented by hand: half a point
    # for automating it; not observable: attest it if the team does it. Absent (building it) is left out.
    assert steps(score) == [("r/model-3", "run", 1.0, 1), ("r/model-2", "run", 0.5, 2), ("r/model-1", "attest", 1.0, 3)]
    assert all(s.check.startswith("r/model-") for s in score.next_steps)


def test_next_steps_name_each_tied_section_since_each_must_rise():
    tied = many("data", DOC, DOC) + many("model", AUTO, ABSENT) + many("infra", AUTO, UNSEEN) + many("monitor", AUTO, AUTO)
    score = score_rubric(MTS, tied)
    assert score.minimum_sections == ["data", "model", "infra"]
    assert [s.check for s in score.next_steps] == ["r/data-0", "r/model-1", "r/infra-1"]


def test_next_steps_skip_suppressed_and_not_applicable_checks_and_full_marks():
    results = many("data", AUTO) + many("infra", AUTO) + many("monitor", AUTO) + many(
        "model", AUTO, ("not_applicable", None), ABSENT)
    results[-1].suppressed = True
    assert score_rubric(MTS, results).next_steps == []


def test_next_steps_for_a_percentage_rubric_are_the_largest_gains_for_the_effort():
    results = [pct("a", "fail", "critical", 0), pct("a", "partial", "high", 1), pct("b", "pass", "high", 2),
               pct("b", "fail", "low", 3)]
    score = score_rubric(PCT, results)
    # total weight 27.5: the critical fail could add 36.4 points, the high partial 13.6 for less work
    assert [(s.check, s.gain, s.effort) for s in score.next_steps] == [
        ("r/a-0", 36.4, 3), ("r/a-1", 13.6, 2), ("r/b-3", 9.1, 3)]
