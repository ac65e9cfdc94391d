"""What notebooks carry: execution order, stale cells, committed errors and outputs (Pimentel et al. 2019)."""

from __future__ import annotations

from mlaudit.facts.model import FileFacts
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe
from mlaudit.repository import RepoFile


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


OUTCOMES = {Outcome.true, Outcome.false, Outcome.not_applicable}


def notebook_files(ctx: ProbeContext) -> list[tuple[RepoFile, FileFacts]]:
    return [(f, facts) for f, facts in ctx.code() if facts.kind == "notebook"]


@probe("notebooks.unexecuted_cells", outcomes=OUTCOMES)
def notebooks_unexecuted_cells(ctx: ProbeContext) -> ProbeResult:
    """Do executed notebooks contain code cells that were never run?

    A notebook counts as executed when at least one code cell has an execution count. In such a
    notebook, a code cell with source but no execution count was skipped when the notebook was
    last run, so its saved state does not show what running it top to bottom would do (the
    "non-executed cells" of Pimentel et al.'s study of notebooks on GitHub). Empty cells, cells
    holding only comments, and cells that have outputs (they ran; some front ends save outputs
    without a count) do not count. Every notebook counts, tests included. One evidence item per
    notebook, at the first such cell. Not applicable when no notebook was executed.
    Values: `notebooks` (executed notebooks seen), `with_unexecuted`, `cells` (unexecuted cells in all).
    """
    evidence: list[Evidence] = []
    executed = total = 0
    for f, facts in notebook_files(ctx):
        code = [c for c in facts.cells if c.cell_type == "code"]
        if not any(c.execution_count is not None for c in code):
            continue
        executed += 1
        # A cell with outputs ran, whatever its count says (some front ends save outputs without
        # counts); a cell of comments has nothing to run.
        skipped = [c.index for c in code
                   if c.execution_count is None and not c.empty and not c.outputs and not c.comment_only]
        if not skipped:
            continue
        total += len(skipped)
        more = f" (and {len(skipped) - 1} more: cells {', '.join(map(str, skipped[1:6]))}" \
               f"{', ...' if len(skipped) > 6 else ''})" if len(skipped) > 1 else ""
        evidence.append(Evidence(path=f.path, cell=skipped[0], detail=(
            f"code cell {skipped[0]}{more} has never been executed, though other cells of the notebook were")))
    values = {"notebooks": executed, "with_unexecuted": len(evidence), "cells": total}
    return ProbeResult.found(evidence, values, applies=bool(executed), why_not="no executed notebooks")


@probe("notebooks.error_outputs", outcomes=OUTCOMES)
def notebooks_error_outputs(ctx: ProbeContext) -> ProbeResult:
    """Were notebooks committed with error outputs (tracebacks) in them?

    An output of type `error` is what a cell leaves when it raised an exception: the saved
    notebook did not run cleanly to the end, or shows a failure nobody cleared. Text written to
    stderr (warnings, progress bars, logging) is a `stream` output, not an error, and does not
    count. A tutorial that raises on purpose to show an exception is reported too: the finding
    says what is in the file, and the reader judges. Every notebook counts, tests included.
    One evidence item per notebook, at the first cell with an error output, naming the exception.
    Not applicable when there are no notebooks.
    Values: `notebooks_with_errors`, `cells` (cells with an error output, in all notebooks).
    """
    evidence: list[Evidence] = []
    seen = cells = 0
    for f, facts in notebook_files(ctx):
        seen += 1
        failing = [(c.index, next(o.ename for o in c.outputs if o.output_type == "error"))
                   for c in facts.cells if any(o.output_type == "error" for o in c.outputs)]
        if not failing:
            continue
        cells += len(failing)
        index, ename = failing[0]
        more = f"; {len(failing) - 1} more cell(s) of this notebook also failed" if len(failing) > 1 else ""
        evidence.append(Evidence(path=f.path, cell=index, detail=(
            f"cell {index} was saved with an error output ({ename or 'unnamed exception'}){more}")))
    values = {"notebooks_with_errors": len(evidence), "cells": cells}
    return ProbeResult.found(evidence, values, applies=bool(seen), why_not="no notebooks")


@probe("notebooks.outputs_committed", outcomes=OUTCOMES)
def notebooks_outputs_committed(ctx: ProbeContext) -> ProbeResult:
    """Are notebooks committed with their outputs saved in them?

    Informational, not a verdict: saved outputs document what a notebook showed when it was
    run (plots, tables, scores), and they are also noise in diffs, bloat in history, can leak
    data, and go stale as soon as the code changes. Projects choose one or the other (and may
    strip outputs with nbstripout or a pre-commit hook). Sizes are of the outputs' JSON as
    stored. One evidence item per notebook with outputs, at its first cell with an output.
    False when every notebook is stripped; not applicable when there are no notebooks.
    Values: `notebooks` (with outputs), `bytes` (their outputs in all).
    """
    evidence: list[Evidence] = []
    seen = total = 0
    for f, facts in notebook_files(ctx):
        seen += 1
        with_output = [c for c in facts.cells if c.outputs]
        if not with_output:
            continue
        size = sum(o.bytes for c in with_output for o in c.outputs)
        total += size
        evidence.append(Evidence(path=f.path, cell=with_output[0].index, detail=(
            f"{len(with_output)} cell(s) saved with outputs, {size:,} bytes of output in all")))
    values = {"notebooks": len(evidence), "bytes": total}
    if evidence:
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    if seen:
        return ProbeResult(outcome=Outcome.false, values=values, message="every notebook is stripped of outputs")
    return ProbeResult(outcome=Outcome.not_applicable, values=values, message="no notebooks")
