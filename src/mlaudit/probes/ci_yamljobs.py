"""Helpers the YAML-based CI readers share: a parsed file with its lines, the command lines in
a YAML value, and a trigger cut down by a condition."""

from __future__ import annotations

from typing import Any

from mlaudit.probes.ci_model import CommandLine, Trigger, command_lines, script_lines
from mlaudit.probes.context import ProbeContext
from mlaudit.repository import RepoFile
from mlaudit.yamlsource import YamlDoc


def load_yaml_file(ctx: ProbeContext, f: RepoFile | None) -> tuple[YamlDoc, list[str]] | None:
    if f is None:
        return None
    doc, text = ctx.store.yaml(f), ctx.store.text(f)
    if doc is None or text is None or not isinstance(doc.data, dict):
        return None
    return doc, text.splitlines()


def value_commands(path: str, value: Any, doc: YamlDoc, lines: list[str], loc: tuple, cwd: str = "",
                   trigger: Trigger | None = None) -> list[CommandLine]:
    """Command lines from a YAML value that is a script or a list of them."""
    out: list[CommandLine] = []
    for i, item in enumerate(value if isinstance(value, list) else [value]):
        here = loc + (i,) if isinstance(value, list) else loc
        if isinstance(item, str):
            out += command_lines(path, script_lines(item, lines, doc.lines.get(here)), cwd, trigger)
    return out


def narrow(t: Trigger, events: set[str] | None, excluded: set[str], why: str) -> Trigger:
    """A trigger cut down by a condition that allows only some events (or excludes some)."""
    on_change = [e for e in t.on_change if (events is None or e in events) and e not in excluded]
    crons = t.crons if (events is None or "schedule" in events) and "schedule" not in excluded else []
    kept = [e for e in t.events if (events is None or e in events) and e not in excluded]
    return Trigger(kept, on_change, t.branches if on_change else [], None if on_change else why, t.assumed, crons)
