"""Notebook execution hygiene (Pimentel et al. 2019)."""

from __future__ import annotations

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe


@probe("notebooks.out_of_order", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def notebooks_out_of_order(ctx: ProbeContext) -> ProbeResult:
    """Were any notebook's code cells run out of order?

    Read top to bottom, the execution counts of a notebook's executed code cells should
    increase. A notebook where they do not was saved from a state that running it top to bottom
    would not reproduce. One evidence item per notebook, at the first cell whose count is lower
    than an earlier one. Not applicable when no notebook has executed cells.
    Values: `notebooks` (executed notebooks seen) and `out_of_order` (how many).
    """
    evidence: list[Evidence] = []
    executed = 0
    for f, facts in ctx.code():
        if facts.kind != "notebook":
            continue
        counted = [(c.index, c.execution_count) for c in facts.cells
                   if c.cell_type == "code" and c.execution_count is not None]
        if not counted:
            continue
        executed += 1
        highest = counted[0][1]
        for index, count in counted[1:]:
            if count <= highest:
                evidence.append(Evidence(path=f.path, cell=index, detail=(
                    f"cell {index} has execution count {count}, after a cell already run as [{highest}]")))
                break
            highest = count
    values = {"notebooks": executed, "out_of_order": len(evidence)}
    return ProbeResult.found(evidence, values, applies=bool(executed), why_not="no executed notebooks")
