"""The short terminal summary: scores, counts by status, the worst findings, where the report is."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mlaudit.renderers.ordering import PROBLEM, location, worst_first
from mlaudit.result import ScanResult

STATUS_STYLE = {"pass": "green", "partial": "yellow", "fail": "red", "error": "magenta",
                "not_observable": "cyan", "not_applicable": "dim"}


def _score(r) -> str:
    if r.score is None:
        return "n/a"
    if r.scoring == "ml-test-score":
        return f"{r.score:g} / {r.max_score:g}"
    return f"{r.score:g}%"


def print_summary(result: ScanResult, console: Console, outputs: list[str], *, top: int = 5) -> None:
    t = result.target
    head = f"mlaudit {result.tool.version} · {t.name}"
    if t.commit:
        head += f" @ {t.commit[:10]}" + (f" ({t.branch})" if t.branch else " (detached HEAD)")
    console.print(Text(head, style="bold"))

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("rubric")
    table.add_column("score", justify="right")
    table.add_column("checks")
    table.add_column("reading")
    for r in result.rubrics:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(r.counts.items(), key=lambda kv: -kv[1]))
        if r.scoring == "ml-test-score":
            sections = " ".join(f"{s.id} {s.score:g}" for s in r.sections)
            reading = f"{r.band or ''} Sections: {sections}; minimum set by {', '.join(r.minimum_sections)}."
        else:
            reading = r.denominator
        table.add_row(r.id, _score(r), counts, reading)
    console.print(table)

    problems = [r for r in worst_first(result.results) if r.status in PROBLEM]
    if problems:
        console.print(Text(f"\nWorst findings ({len(problems)} in all):", style="bold"))
        for r in problems[:top]:
            where = location(r.evidence[0]) if r.evidence else "(repository)"
            line = Text("  ")
            line.append(f"{r.status.value:<8}", style=STATUS_STYLE[r.status.value])
            line.append(f" {r.check}  {r.title}  ")
            line.append(where, style="underline")
            console.print(line)
    if result.warnings:
        console.print(Text(f"\n{len(result.warnings)} file(s) could not be fully read:", style="yellow"))
        for w in result.warnings[:top]:
            console.print(f"  {w.path}{':' + str(w.line) if w.line else ''}: {w.message}", markup=False)
        if len(result.warnings) > top:
            console.print(f"  ... and {len(result.warnings) - top} more in the report")
    for out in outputs:
        console.print(f"\nReport written to {out}", markup=False)
