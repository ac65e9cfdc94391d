"""The CI step's verdict: the scan, its baseline if any, the delta between them and the gates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlaudit.checks.loader import LoadedRubric
from mlaudit.compare.baseline import Delta, compare, load_baseline
from mlaudit.compare.findings import Finding, findings
from mlaudit.compare.gates import GateResult, Gates, evaluate_gates
from mlaudit.errors import MlauditError
from mlaudit.repository.revision import checked_out, resolve, unborn
from mlaudit.result import ScanResult


@dataclass
class Verdict:
    findings: list[Finding]
    delta: Delta | None
    gate: GateResult


def baseline_at(path: Path, ref: str, options, rubrics: list[LoadedRubric]) -> tuple[ScanResult, str] | None:
    """Scans the same folder as it is at `ref`, with the same rubrics and config as the scan it is
    compared with: a difference in the rules would show up as a difference in the code."""
    from mlaudit.scan import run_scan

    sha = resolve(path, ref)
    with checked_out(path, sha) as folder:
        result = run_scan(folder, options, rubrics)
    return result, f"{ref} ({sha[:12]})" if not sha.startswith(ref) else sha[:12]


def baseline_from(path: Path, *, baseline_file: Path | None, baseline_ref: str | None, options,
                  rubrics: list[LoadedRubric]) -> tuple[ScanResult, str] | None:
    if baseline_file and baseline_ref:
        raise MlauditError("give --baseline or --baseline-ref, not both")
    if baseline_file:
        return load_baseline(baseline_file), str(baseline_file)
    if baseline_ref == "HEAD" and unborn(path):
        # The first commit of a repository (a pre-commit hook compares with HEAD): there is nothing to
        # compare with, and every finding would be "new". Judged as a scan without a baseline.
        return None
    if baseline_ref:
        return baseline_at(path, baseline_ref, options, rubrics)
    return None


def judge(result: ScanResult, gates: Gates, baseline: tuple[ScanResult, str] | None) -> Verdict:
    mine = findings(result)
    delta = None
    if baseline is not None:
        base, source = baseline
        delta = compare(result, mine, base, findings(base), source)
    return Verdict(mine, delta, evaluate_gates(result, mine, gates, delta))


def check_gate_rubrics(gates: Gates, rubrics: list[LoadedRubric], where: str) -> None:
    """A threshold for a rubric that is not loaded would never fail: say so before scanning."""
    import difflib

    loaded = {lr.rubric.id: lr.rubric for lr in rubrics}
    known = sorted(loaded)
    for rubric, threshold in gates.fail_under.items():
        if rubric not in known:
            close = difflib.get_close_matches(rubric, known, n=1)
            hint = f"did you mean {close[0]}?" if close else f"loaded rubrics: {', '.join(known)}"
            raise MlauditError(f"{where}: fail-under names rubric {rubric!r}, which is not loaded ({hint})")
        r = loaded[rubric]
        # The ML Test Score is a section sum: at most the number of tests in the largest section.
        top = (max((sum(c.section == s.id for c in r.checks) for s in r.sections), default=0)
               if r.scoring == "ml-test-score" else 100.0)
        if not 0 <= threshold <= top:
            raise MlauditError(f"{where}: {rubric}={threshold:g} can never pass or never fail "
                               f"(scores run from 0 to {top:g})")
