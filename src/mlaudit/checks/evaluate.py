"""Checks × probe outcomes → a status, an evidence class, evidence and points."""

from __future__ import annotations

import json
from collections.abc import Callable

from mlaudit.checks.loader import LoadedRubric
from mlaudit.checks.schema import Check, EvidenceClass, ProbeUse, Status
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Outcome, ProbeResult
from mlaudit.probes.registry import ProbeSpec
from mlaudit.result import CheckResult, FindingEvidence, SourceLink
from mlaudit.scores import points_for


class ProbeRunner:
    """Runs each (probe, parameters) pair once per scan, however many checks read it."""

    def __init__(self, make_context: Callable[[dict], ProbeContext], probes: dict[str, ProbeSpec]):
        self._make_context = make_context
        self._probes = probes
        self._memo: dict[tuple[str, str], ProbeResult] = {}

    def run(self, use: ProbeUse) -> ProbeResult:
        key = (use.id, json.dumps(use.params, sort_keys=True))
        if key not in self._memo:
            spec = self._probes[use.id]
            ctx = self._make_context({**spec.params, **use.params})
            try:
                self._memo[key] = spec.func(ctx)
            except Exception as exc:  # a probe bug on odd input must not cost the whole scan
                self._memo[key] = ProbeResult(outcome=Outcome.error, message=f"{type(exc).__name__}: {exc}")
        return self._memo[key]

    def results(self) -> dict[str, ProbeResult]:
        """Results of probes run with default parameters, by id."""
        return {pid: r for (pid, params), r in self._memo.items() if params == "{}"}


def _fallback(check: Check, results: dict[str, ProbeResult]) -> tuple[Status, EvidenceClass | None, str]:
    outcomes = [r.outcome for r in results.values()]
    if Outcome.not_observable in outcomes:
        why = next(r.message for r in results.values() if r.outcome is Outcome.not_observable)
        return Status.not_observable, EvidenceClass.not_observable, why or "not observable from the repository"
    if outcomes and all(o is Outcome.not_applicable for o in outcomes):
        why = "; ".join(r.message for r in results.values() if r.message)
        return Status.not_applicable, None, why or "does not apply to this repository"
    o = check.otherwise
    return o.status, o.evidence_class, o.message


def evaluate(lr: LoadedRubric, check: Check, runner: ProbeRunner) -> CheckResult:
    rubric = lr.rubric
    results = {use.id: runner.run(use) for use in check.probe_uses()}
    evidence_from = list(results)
    errors = {pid: r for pid, r in results.items() if r.outcome is Outcome.error}
    if errors:
        status, ev_class = Status.error, None
        message = "; ".join(f"probe {pid} failed: {r.message}" for pid, r in errors.items())
    else:
        for rule in check.rules:
            if all(results[pid].outcome in wanted for pid, wanted in rule.wanted().items()):
                status, ev_class, message = rule.status, rule.evidence_class, rule.message
                evidence_from = rule.evidence if rule.evidence is not None else evidence_from
                break
        else:
            status, ev_class, message = _fallback(check, results)

    points, max_points, weight = points_for(rubric.scoring, status, ev_class, check.severity)
    refs = rubric.references
    return CheckResult(
        check=f"{rubric.id}/{check.id}", rubric=rubric.id, section=check.section, status=status,
        points=points, max_points=max_points, weight=weight, title=check.title, heading=check.heading,
        severity=check.severity, evidence_class=ev_class, message=message.strip(),
        evidence=[FindingEvidence(path=e.path, line=e.line, cell=e.cell, commit=e.commit, message=e.detail, probe=pid)
                  for pid in evidence_from for e in results[pid].evidence],
        sources=[SourceLink(title=refs[s.ref].title, url=refs[s.ref].url, section=s.section) for s in check.sources],
        probes={pid: r.outcome.value for pid, r in results.items()},
        rationale=check.rationale.strip(), remediation=check.remediation.strip(), attest=check.attest,
    )
