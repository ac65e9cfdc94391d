"""`mlaudit compare --format markdown`: the retrospective page for a wiki, an issue or a pull request.

Everything from the repository (subjects, paths, messages, names) goes through the same escaping as
the CI summary, so a commit subject cannot add links, mentions or table cells.
"""

from __future__ import annotations

from mlaudit.compare.retro import Retro
from mlaudit.renderers.advice_text import moved, num
from mlaudit.renderers.markdown_summary import code, prose, text

TOP = 50


def _ref(r) -> str:
    named = "" if r.commit.startswith(r.ref) else f"{code(r.ref, 60)} "
    return f"{named}{code(r.commit[:10])} ({r.date[:10]}) {text(r.subject, 80)}"


def render_retro_markdown(retro: Retro) -> str:
    out = ["## mlaudit: what changed", "", f"From {_ref(retro.a)}  ", f"to {_ref(retro.b)}", ""]
    out += [f"> **Note:** {text(n, 300)}" for n in retro.notes] + ([""] if retro.notes else [])
    out += ["| Rubric / section | Before | After | Change |", "|---|---:|---:|---:|"]
    for r in retro.rubrics:
        out.append(f"| **{text(r.title, 80)}** | {num(r.before)} | {num(r.after)} | {moved(r.before, r.after)} |")
        for s in r.sections:
            out.append(f"| &nbsp;&nbsp;{text(s.title, 80)} | {num(s.before)} | {num(s.after)} | "
                       f"{moved(s.before, s.after)} |")
    if retro.checks:
        out += ["", f"### Checks that changed ({len(retro.checks)})", "",
                "| | Check | Before | After |", "|---|---|---|---|"]
        for m in retro.checks:
            mark = {"worse": "🔴 worse", "better": "🟢 better", "other": "⚪"}[m.change]
            out.append(f"| {mark} | {text(m.check, 80)}: {text(m.title, 100)} | {m.before or 'absent'} | "
                       f"{m.after or 'absent'} |")
    for title, items in (("New findings", retro.new), ("Fixed", retro.fixed)):
        out += ["", f"### {title} ({len(items)})", ""]
        if not items:
            out.append("None.")
        for f in items[:TOP]:
            excerpt = f" {code(f.excerpt, 120)}" if f.excerpt else ""
            out.append(f"- **{f.status}** {code(f.check, 80)} {code(f.where, 120)}: {prose(f.message, 200)}{excerpt}")
        if len(items) > TOP:
            out.append(f"- … and {len(items) - TOP} more (`mlaudit compare --format json` lists all)")
    out += ["", f"### Attestations expired or expiring before {retro.horizon}", ""]
    if not retro.due:
        out.append("None.")
    for d in retro.due:
        state = "**expired**" if d.expired else "expires"
        out.append(f"- {state} {d.expires}: {code(d.check, 80)}, attested by {text(d.by, 80)} ({code(d.config, 120)})")
    return "\n".join(out) + "\n"
