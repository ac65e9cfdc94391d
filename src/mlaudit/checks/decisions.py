"""What a check can decide, worked out from the YAML alone.

Each probe declares the outcomes it can give, so a check's possible situations are the product of
its probes' outcomes (a handful of probes with at most five outcomes each: a few hundred cases).
Replaying `evaluate`'s order on every case (a probe error first, rules first-match, then the
fallback, then `otherwise`) tells which rules can ever decide and which statuses a check can
reach. Probes are treated as independent, so a rule found unreachable is truly unreachable, while
a status found reachable might still never happen on a real repository.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from mlaudit.checks.schema import Check, EvidenceClass, Status
from mlaudit.probes.model import Outcome
from mlaudit.probes.registry import ProbeSpec

# Beyond this many cases the check is left alone: no real check comes near it.
MAX_CASES = 20_000


@dataclass(frozen=True)
class Decision:
    """Where a status comes from: ("rules", j), ("otherwise",) or ("fallback",)."""

    where: tuple
    status: Status
    evidence_class: EvidenceClass | None


@dataclass(frozen=True)
class Reach:
    decisions: frozenset[Decision]  # every decision some case ends in (probe errors left out)
    deciding_rules: frozenset[int]  # indexes of rules that decide at least one case
    taken_by: dict[int, frozenset[int]]  # rule -> the earlier rules that decide the cases it also matches

    @property
    def statuses(self) -> frozenset[Status]:
        return frozenset(d.status for d in self.decisions)


def reach(check: Check, probes: dict[str, ProbeSpec]) -> Reach | None:
    """None when a probe is unknown (another lint reports it) or the case count is too large."""
    ids = list(dict.fromkeys(use.id for use in check.probe_uses()))
    if any(pid not in probes for pid in ids):
        return None
    # An error from any probe makes the check `error` before any rule is read: nothing to learn there.
    choices = [sorted(probes[pid].outcomes - {Outcome.error}, key=lambda o: o.value) for pid in ids]
    total = 1
    for c in choices:
        total *= max(len(c), 1)
    if total > MAX_CASES:
        return None
    wanted = [rule.wanted() for rule in check.rules]
    decisions: set[Decision] = set()
    taken_by: dict[int, set[int]] = {}
    for combo in itertools.product(*choices):
        case = dict(zip(ids, combo))
        matching = _matching(wanted, case)
        for j in matching[1:]:
            taken_by.setdefault(j, set()).add(matching[0])
        decisions.add(_decide(check, case, matching))
    deciding = frozenset(d.where[1] for d in decisions if d.where[0] == "rules")
    return Reach(frozenset(decisions), deciding, {j: frozenset(k) for j, k in taken_by.items()})


def decide(check: Check, case: dict[str, Outcome]) -> Decision:
    """The decision for one combination of outcomes (no probe in error), as evaluate makes it."""
    return _decide(check, case, _matching([rule.wanted() for rule in check.rules], case))


def _matching(wanted: list[dict], case: dict[str, Outcome]) -> list[int]:
    return [j for j, w in enumerate(wanted) if all(case.get(pid) in outs for pid, outs in w.items())]


def _decide(check: Check, case: dict[str, Outcome], matching: list[int]) -> Decision:
    if matching:
        rule = check.rules[matching[0]]
        return Decision(("rules", matching[0]), rule.status, rule.evidence_class)
    outcomes = list(case.values())
    # The same fallback as evaluate._fallback: unobservable beats not applicable beats `otherwise`.
    if Outcome.not_observable in outcomes:
        return Decision(("fallback",), Status.not_observable, EvidenceClass.not_observable)
    if outcomes and all(o is Outcome.not_applicable for o in outcomes):
        return Decision(("fallback",), Status.not_applicable, None)
    return Decision(("otherwise",), check.otherwise.status, check.otherwise.evidence_class)
