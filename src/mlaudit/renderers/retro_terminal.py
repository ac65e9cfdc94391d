"""`mlaudit compare` in the terminal: scores that moved, checks that changed, findings, attestations due."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from mlaudit.compare.retro import Retro
from mlaudit.renderers.advice_text import moved, num
from mlaudit.renderers.terminal import _first_sentence, finding_line, one_line, safe

CHANGE_STYLE = {"worse": "red", "better": "green", "other": "dim"}


def ref_line(r) -> str:
    named = "" if r.commit.startswith(r.ref) else f"{r.ref} "
    return one_line(f"{named}{r.commit[:10]} ({r.date[:10]}) {r.subject[:60]}")


def print_retro(retro: Retro, console: Console, *, top: int = 15) -> None:
    console.print(Text("Since ", style="bold").append(safe(ref_line(retro.a))))
    console.print(Text("   to ", style="bold").append(safe(ref_line(retro.b))))
    for note in retro.notes:
        console.print(Text("note: ", style="bold yellow").append(one_line(note)))

    console.print(Text("\nScores", style="bold"))
    for r in retro.rubrics:
        change = moved(r.before, r.after)
        line = Text(f"  {one_line(r.title)[:44]:<44} {num(r.before):>6} -> {num(r.after):<6} ")
        line.append(change, style="green" if change.startswith("+") else "red")
        console.print(line)
        for s in r.sections:
            change = moved(s.before, s.after)
            line = Text(f"    {one_line(s.title)[:42]:<42} {num(s.before):>6} -> {num(s.after):<6} ")
            line.append(change, style="green" if change.startswith("+") else "red")
            console.print(line, style=None if change else "dim")

    if retro.checks:
        console.print(Text(f"\nChecks that changed ({len(retro.checks)})", style="bold"))
        for m in retro.checks[:top * 2]:
            line = Text(f"  {m.change:<6} ", style=CHANGE_STYLE[m.change])
            line.append(f"{m.before or 'absent'} -> {m.after or 'absent'}  ")
            line.append(one_line(f"{m.check}  {_first_sentence(m.title, 60)}"))
            console.print(line)
        if len(retro.checks) > top * 2:
            console.print(f"  ... and {len(retro.checks) - top * 2} more")

    for title, items, style in (("New findings", retro.new, "red"), ("Fixed", retro.fixed, "green")):
        console.print(Text(f"\n{title} ({len(items)})", style=f"bold {style}" if items else "bold"))
        for f in items[:top]:
            console.print(finding_line("  ", f.status, f.check, f.where, f.message))
        if len(items) > top:
            console.print(f"  ... and {len(items) - top} more (--format json or -o report.html lists all)")

    console.print(Text(f"\nAttestations due before {retro.horizon}", style="bold"))
    if not retro.due:
        console.print("  none expired, none expiring", style="dim")
    for d in retro.due:
        line = Text(f"  {'expired' if d.expired else 'expires'} {d.expires}  ",
                    style="red" if d.expired else "yellow")
        line.append(one_line(f"{d.check}  by {d.by}  ({d.config})"))
        console.print(line)
