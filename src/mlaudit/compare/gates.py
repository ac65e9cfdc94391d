"""Gates: when a scan should fail the CI job (exit code 1).

- `fail_under`: a rubric's score below its threshold (a rubric nothing could be scored in fails
  too: a gate that cannot be checked is not passed);
- `fail_on`: a finding whose check has this status or worse (`fail`, or `partial` which also
  counts failures), at `min_severity` or above. With a baseline only new findings count: a
  change is judged on what it made worse, not on the debt it inherited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from mlaudit.checks.schema import Severity
from mlaudit.compare.baseline import Delta
from mlaudit.compare.findings import GATE_STATUSES, Finding
from mlaudit.renderers.ordering import SEVERITY_RANK
from mlaudit.result import ScanResult

FailOn = Literal["fail", "partial", "never"]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]  # `.nan` would make a gate that always passes


class Gates(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fail_under: dict[str, FiniteFloat] = Field(default_factory=dict,
                                         description="Rubric id -> the lowest score that passes, e.g. `ml-test-score: 2`.")
    fail_on: FailOn | None = Field(None, description="Fail on findings of this status or worse (`fail`, `partial`) "
                                                     "or `never`. Default: `fail` with a baseline, `never` without.")
    min_severity: Severity = Field(Severity.info, description="Findings below this severity never fail the job.")


@dataclass
class GateResult:
    failed: bool = False
    reasons: list[str] = field(default_factory=list)
    tripped: list[Finding] = field(default_factory=list)  # the findings that failed the `fail_on` gate


def fail_on(gates: Gates, baseline: bool) -> FailOn:
    return gates.fail_on or ("fail" if baseline else "never")


def evaluate_gates(result: ScanResult, findings: list[Finding], gates: Gates, delta: Delta | None) -> GateResult:
    out = GateResult()
    scores = {r.id: r for r in result.rubrics}
    for rubric, threshold in sorted(gates.fail_under.items()):
        r = scores.get(rubric)
        if r is None:
            continue  # named rubrics are checked against the loaded ones before the scan (cli)
        if r.score is None:
            out.reasons.append(f"{rubric}: nothing could be scored, so it cannot reach {threshold:g}")
        elif r.score < threshold:
            out.reasons.append(f"{rubric}: score {r.score:g} is under {threshold:g}")
    mode = fail_on(gates, delta is not None)
    if mode != "never":
        pool = delta.new if delta is not None else findings
        floor = SEVERITY_RANK[gates.min_severity]
        out.tripped = [f for f in pool if f.status in GATE_STATUSES[mode] and SEVERITY_RANK[f.severity] <= floor]
        if out.tripped:
            what = "new finding" if delta is not None else "finding"
            level = "" if gates.min_severity is Severity.info else f" of {gates.min_severity.value} severity or more"
            out.reasons.append(f"{len(out.tripped)} {what}{'s' if len(out.tripped) != 1 else ''} with status "
                               f"{'fail' if mode == 'fail' else 'fail or partial'}{level}")
    out.failed = bool(out.reasons)
    return out
