"""The cheapest checks that would raise a score: what the report's "to raise it" sentence names.

Effort is read from the evidence the scan already has, not guessed from the check's topic: a test
that exists but never runs in CI needs one line of CI, a result documented by hand needs that line
too, a practice the repository cannot show needs an attestation, and an absent one needs building.
"""

from __future__ import annotations

from mlaudit.checks.schema import EvidenceClass, Status
from mlaudit.result import CheckResult, NextStep, RubricScore
from mlaudit.scores.points import weighed

MAX_STEPS = 3  # for a rubric; when sections tie at the ML Test Score's minimum, the cheapest in each


def _ml_step(r: CheckResult) -> NextStep | None:
    gain = r.max_points - r.points
    if gain <= 0 or r.suppressed or r.status in (Status.not_applicable, Status.error):
        return None
    a = r.attestation
    if a is not None and a.problems:
        return NextStep(check=r.check, title=r.title, gain=gain, effort=1,
                        action=f"fix the team's attestation ({', '.join(a.problems)})")
    cls = r.evidence_class
    if cls is EvidenceClass.implemented and r.status is Status.partial:
        return NextStep(check=r.check, title=r.title, gain=gain, effort=1,
                        action="run the existing test in CI")
    if cls is EvidenceClass.documented:
        return NextStep(check=r.check, title=r.title, gain=gain, effort=2,
                        action="run it in CI instead of by hand")
    if r.status is Status.fail and r.evidence:
        return NextStep(check=r.check, title=r.title, gain=gain, effort=2,
                        action="fix what its evidence shows")
    if r.status is Status.not_observable:
        return NextStep(check=r.check, title=r.title, gain=gain, effort=3,
                        action="attest it, if the team does it")
    return NextStep(check=r.check, title=r.title, gain=gain, effort=4, action="build it, then run it in CI")


def _ml_test_score_steps(score: RubricScore, results: list[CheckResult]) -> list[NextStep]:
    # The score is the minimum of the section sums: only tests in the section(s) at the minimum
    # can raise it, and when sections tie, each of them has to rise.
    steps: list[NextStep] = []
    per_section = max(1, MAX_STEPS // max(len(score.minimum_sections), 1))
    for section in score.minimum_sections:
        mine = [s for s in (_ml_step(r) for r in results if r.section == section) if s is not None]
        steps += sorted(mine, key=lambda s: (s.effort, -s.gain, s.check))[:per_section]
    return steps


def _percentage_steps(results: list[CheckResult]) -> list[NextStep]:
    scored, total = weighed(results)
    if not total:
        return []
    steps = []
    for r in scored:
        gain = round(100.0 * r.weight * (r.max_points - r.points) / total, 1)
        if gain <= 0:
            continue
        partial = r.status is Status.partial
        steps.append(NextStep(check=r.check, title=r.title, gain=gain, effort=2 if partial else 3,
                              action="finish what is started" if partial else "fix it"))
    return sorted(steps, key=lambda s: (-s.gain / s.effort, s.effort, s.check))[:MAX_STEPS]


def next_steps(score: RubricScore, results: list[CheckResult]) -> list[NextStep]:
    if score.scoring == "ml-test-score":
        return _ml_test_score_steps(score, results)
    return _percentage_steps(results)
