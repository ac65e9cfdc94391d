"""Rubric scores. The ML Test Score exactly as the paper defines it; a weighted percentage else."""

from __future__ import annotations

from collections import Counter

from mlaudit.checks.schema import Band, Rubric, Status
from mlaudit.result import CheckResult, RubricScore, SectionScore
from mlaudit.scores.advice import next_steps
from mlaudit.scores.points import weighed


def band_for(score: float, bands: list[Band]) -> str | None:
    """Table V's bands are open on the left and closed on the right: 1.0 falls in (0, 1]."""
    for band in bands:
        if (band.gt is None or score > band.gt) and (band.le is None or score <= band.le):
            return band.text
    return None


def _fmt(x: float) -> str:
    return f"{x:g}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def score_rubric(rubric: Rubric, results: list[CheckResult]) -> RubricScore:
    # A suppressed check is counted apart: listing it under "fail" would say the opposite of what
    # the team decided, and under "pass" what the scan did not see.
    counts = dict(Counter(r.status.value for r in results if not r.suppressed))
    if rubric.scoring == "ml-test-score":
        score = _ml_test_score(rubric, results, counts)
    else:
        score = _percentage(rubric, results, counts)
    score.attested = sum(r.basis == "attested" for r in results)
    score.suppressed = sum(r.suppressed for r in results)
    if score.attested:
        score.denominator = (score.denominator.rstrip(".") + f". {_plural(score.attested, 'check is', 'checks are')} "
                             "scored from the team's attestation, not from what the scan observed.")
    score.next_steps = next_steps(score, results)
    return score


def _ml_test_score(rubric: Rubric, results: list[CheckResult], counts: dict[str, int]) -> RubricScore:
    sections = []
    for s in rubric.sections:
        mine = [r for r in results if r.section == s.id]
        sections.append(SectionScore(id=s.id, title=s.title, score=sum(r.points for r in mine),
                                     max=sum(r.max_points for r in mine), checks=len(mine)))
    # "The final ML Test Score is computed by taking the minimum of the scores aggregated
    # for each of the 4 sections."
    final = min(s.score for s in sections)
    minimum = [s.id for s in sections if s.score == final]
    unseen = sum(r.status is Status.not_observable and not r.suppressed for r in results)
    per_section = "/".join(_fmt(s.max) for s in sections)
    denominator = (f"Each section sums its tests (out of {per_section}): 1 point for a test run automatically, "
                   f"0.5 for one run by hand with documented results. {unseen} of {len(results)} tests are not "
                   "observable from the repository and score 0.")
    suppressed = sum(r.suppressed for r in results)
    if suppressed:
        denominator += (f" {_plural(suppressed, 'test is', 'tests are')} suppressed by the team and "
                        f"score{'s' if suppressed == 1 else ''} 0.")
    return RubricScore(id=rubric.id, title=rubric.title, version=rubric.version, scoring=rubric.scoring,
                       score=final, max_score=max(s.max for s in sections), band=band_for(final, rubric.bands),
                       sections=sections, minimum_sections=minimum, counts=counts, denominator=denominator)


def _percentage(rubric: Rubric, results: list[CheckResult], counts: dict[str, int]) -> RubricScore:
    def pct(rs: list[CheckResult]) -> tuple[float | None, int]:
        scored, total = weighed(rs)
        if not total:
            return None, 0
        return round(100.0 * sum(r.weight * r.points for r in scored) / total, 1), len(scored)

    sections = []
    for s in rubric.sections:
        mine = [r for r in results if r.section == s.id]
        value, _ = pct(mine)
        sections.append(SectionScore(id=s.id, title=s.title, score=value, max=100.0, checks=len(mine)))
    score, n_scored = pct(results)
    left_out = len(results) - n_scored
    suppressed = sum(r.suppressed for r in results)
    why = "not applicable, not observable or in error" + (
        f"; {suppressed} of them suppressed by the team" if suppressed else "")
    denominator = (f"{n_scored} of {len(results)} checks scored, weighted by severity; the other {left_out} "
                   f"({why}) are left out, not counted as passes")
    return RubricScore(id=rubric.id, title=rubric.title, version=rubric.version, scoring=rubric.scoring,
                       score=score, max_score=100.0, band=band_for(score, rubric.bands) if score is not None else None,
                       sections=sections, counts=counts, denominator=denominator)
