"""The short terminal summary: scores, counts by status, the worst findings, where the report is."""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

from mlaudit.renderers.advice_text import num, raise_text, score_text
from mlaudit.renderers.ordering import PROBLEM, headline_first, location, worst_first
from mlaudit.renderers.team import attestation_problem
from mlaudit.result import ScanResult

STATUS_ORDER = ["fail", "error", "partial", "pass", "not_observable", "not_applicable"]
STATUS_STYLE = {"pass": "green", "partial": "yellow", "fail": "red", "error": "magenta",
                "not_observable": "cyan", "not_applicable": "dim"}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: object) -> str:
    """Text from the audited repository or its config, with control characters shown escaped: an
    escape sequence in a file name or a finding must not drive the reader's terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def one_line(text: object) -> str:
    """safe(), on one line: a newline in a name or a message cannot forge lines of the output."""
    return safe(" ".join(str(text).split()))


def _first_sentence(text: str, limit: int = 90) -> str:
    sentence = text.split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def print_summary(result: ScanResult, console: Console, outputs: list[str], *, top: int = 8) -> None:
    t = result.target
    head = f"mlaudit {result.tool.version} · {t.name}"
    if t.commit:
        head += f" @ {t.commit[:10]}" + (f" ({t.branch})" if t.branch else " (detached HEAD)")
    console.print(Text(head, style="bold"))

    for r in headline_first(result.rubrics):
        origin = "" if r.origin == "built-in" else f", from {r.origin}"
        line = Text(f"\n{r.title} ({r.id}{origin}): ", style="bold")
        line.append(score_text(r), style="bold")
        if r.band:
            line.append(f"  {r.band}", style="italic")
        console.print(line)
        if r.scoring == "ml-test-score":
            sections = " · ".join(f"{s.id} {s.score:g}/{s.max:g}" for s in r.sections)
            console.print(f"  sections: {sections}; the score is the minimum, set by {', '.join(r.minimum_sections)}",
                          markup=False)
        else:
            console.print(f"  {r.denominator}", markup=False)
        counts = Text("  checks: ")
        for i, (status, n) in enumerate(sorted(r.counts.items(), key=lambda kv: STATUS_ORDER.index(kv[0]))):
            counts.append(("" if i == 0 else ", ") + f"{n} {status.replace('_', ' ')}", style=STATUS_STYLE[status])
        team = [f"{r.attested} attested" if r.attested else "", f"{r.suppressed} suppressed" if r.suppressed else ""]
        if any(team):
            counts.append(("; " if r.counts else "") + ", ".join(t for t in team if t), style="italic")
        console.print(counts)
        if r.next_steps:
            console.print(safe(f"  {raise_text(r)}"), markup=False)

    problems = [r for r in worst_first(result.results) if r.status in PROBLEM and not r.suppressed]
    if problems:
        console.print(Text(f"\nWorst findings ({len(problems)} in all):", style="bold"))
        for r in problems[:top]:
            line = Text("  ")
            line.append(f"{r.status.value:<8}", style=STATUS_STYLE[r.status.value])
            line.append(safe(f" {r.check}  {r.title}  "))
            shown = [e for e in r.evidence if e.suppression is None]
            if shown:
                line.append(safe(location(shown[0])), style="underline")
            else:  # an absence has no place to point at; say what is missing instead
                line.append(safe(_first_sentence(r.message)), style="dim")
            console.print(line)
    flagged = [r for r in result.results if r.attestation and r.attestation.problems]
    if flagged:
        console.print(Text(f"\n{len(flagged)} attestation(s) do not count:", style="yellow"))
        for r in flagged[:top]:
            a = r.attestation
            console.print(safe(f"  {a.path}:{a.line}: {r.check}: {attestation_problem(r)}"), markup=False)
        if len(flagged) > top:
            console.print(f"  ... and {len(flagged) - top} more in the report")
    unused = result.unused_suppressions
    if unused:
        console.print(Text(f"\n{len(unused)} unused suppression(s):", style="yellow"))
        for w in unused[:top]:
            console.print(safe(f"  {location(w)}: {w.message.removeprefix('unused suppression: ')}"), markup=False)
        if len(unused) > top:
            console.print(f"  ... and {len(unused) - top} more in the report")
    if result.warnings:
        console.print(Text(f"\n{len(result.warnings)} file(s) could not be fully read:", style="yellow"))
        for w in result.warnings[:top]:
            console.print(safe(f"  {w.path}{':' + str(w.line) if w.line else ''}: {w.message}"), markup=False)
        if len(result.warnings) > top:
            console.print(f"  ... and {len(result.warnings) - top} more in the report")
    for out in outputs:
        console.print(f"\nReport written to {out}", markup=False)


def finding_line(indent: str, status: str, check: str, where: str, message: str) -> Text:
    """One finding on one line: status, check, place (underlined) and the message's first sentence."""
    line = Text(f"{indent}{status:<8}", style=STATUS_STYLE.get(status, ""))
    line.append(one_line(f" {check}") + "  ")
    line.append(one_line(where), style="underline")
    line.append("  " + one_line(_first_sentence(message)), style="dim")
    return line


def print_verdict(verdict, console: Console, *, top: int = 20) -> None:
    """What the CI step decided: the change against its baseline, then each gate that failed."""
    delta = verdict.delta
    if delta is not None:
        head = Text(f"\nCompared with {safe(delta.source)}: ", style="bold")
        head.append(f"{len(delta.new)} new", style="red" if delta.new else "green")
        head.append(f", {len(delta.fixed)} fixed, {len(delta.unchanged)} unchanged")
        console.print(head)
        for rubric, (before, after) in sorted(delta.score_changes.items()):
            console.print(f"  {rubric}: {num(before)} -> {num(after)}", markup=False)
        for title, items, style in (("New", delta.new, "red"), ("Fixed", delta.fixed, "green")):
            if not items:
                continue
            console.print(Text(f"  {title}:", style=style))
            for f in items[:top]:
                console.print(finding_line("    ", f.status.value, f.check, f.where, f.message))
            if len(items) > top:
                console.print(f"    ... and {len(items) - top} more in the report")
        if delta.process:
            checks = sorted({f.check for f in delta.process})
            console.print(safe(f"  Not compared: {', '.join(checks)} (decided by the git history, where a branch's "
                               "own commits look unreviewed until it merges)"), markup=False)
    gate = verdict.gate
    if gate.failed:
        console.print(Text("\nGate failed:", style="bold red"))
        for reason in gate.reasons:
            console.print(f"  {safe(reason)}", markup=False)
        if delta is None:
            for f in gate.tripped[:top]:
                console.print(safe(f"    {f.check}  {f.where}"), markup=False)
            if len(gate.tripped) > top:
                console.print(f"    ... and {len(gate.tripped) - top} more in the report")


def print_series(points, console: Console, line_length: int) -> None:
    """The stored scores, one line per sampled commit, oldest first."""
    if not points:
        console.print("No stored scans for these commits.")
        return
    rubrics = sorted({r for p in points for r in p.scores}, key=lambda r: (r != "ml-test-score", r))
    console.print(Text(f"{len(points)} commits of {line_length} on this line:", style="bold"))
    console.print("  " + " ".join(f"{r[:16]:>16}" for r in rubrics) + "  commit", markup=False)
    for p in points:
        cells = []
        for r in rubrics:
            v = p.scores.get(r)
            cells.append(f"{num(v):>16}")
        console.print(safe("  " + " ".join(cells) + f"  {p.commit[:10]} {p.date[:10]} {p.subject[:50]}"), markup=False)
