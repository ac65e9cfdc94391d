"""Jenkinsfiles (declarative or scripted) as a job: `sh`/`bat` steps as command lines, a
stage's `when { branch ... }` / `triggeredBy` / `changeRequest()` as its trigger, `cron(...)`
triggers as schedules. A Jenkinsfile builds when Jenkins is told of a push (multibranch
pipelines, webhooks, `pollSCM`), which is set up on the server: the trigger is assumed."""

from __future__ import annotations

import bisect
import re

from mlaudit.probes.ci_model import CommandLine, Cron, Job, Trigger, command_lines, glob_match
from mlaudit.probes.context import ProbeContext

STEP = re.compile(r"\b(?:sh|bat|pwsh|powershell)\b\s*\(?\s*")
NAMED_ARG = re.compile(r"(\w+)\s*:\s*")
STAGE = re.compile(r"\bstage\s*\(\s*(['\"])(.*?)\1\s*\)\s*\{")
CRON = re.compile(r"\b(?:cron|parameterizedCron)\s*\(\s*")
SKIP_ARG = re.compile(r"[^,)\n]*,\s*")
WHEN = re.compile(r"\bwhen\s*\{")
WHEN_WINDOW = 20_000  # a stage's `when` comes before its steps: look no further into a long stage


def jenkins_jobs(ctx: ProbeContext, branches: frozenset[str]) -> list[Job] | None:
    files = ctx.files("Jenkinsfile", "Jenkinsfile.*", "*.jenkinsfile", "*.Jenkinsfile")
    if not files:
        return None
    jobs: list[Job] = []
    for f in files:
        text = ctx.store.text(f)
        if text is None:
            continue
        code = mask(text)
        newlines = [i for i, c in enumerate(text) if c == "\n"]
        trigger = Trigger(["push"], ["push"], ["*"], None, True)
        for m in CRON.finditer(code):
            literal = string_at(text, m.end())
            if literal is not None:
                trigger.crons.append(Cron(line_at(newlines, m.start()), literal[0].strip()))
                trigger.events = sorted(set(trigger.events) | {"schedule"})
        ends = _brace_ends(code)
        stages = _stages(text, code, ends)
        commands: list[CommandLine] = []
        # Steps and stages both come in file order: the stages open at a step are kept on a stack,
        # so finding a step's stage costs nothing however many stages the file has.
        open_stages: list[tuple[str, int, int]] = []
        overrides: dict[int, Trigger | None] = {}
        k = 0
        for m in STEP.finditer(code):
            while k < len(stages) and stages[k][1] <= m.start():
                open_stages.append(stages[k])
                k += 1
            while open_stages and open_stages[-1][2] <= m.start():
                open_stages.pop()
            script = _step_script(text, code, m.end())
            if script is None:
                continue
            content, start = script
            first = line_at(newlines, start)
            physical = [(first + i, line) for i, line in enumerate(content.split("\n"))]
            stage = open_stages[-1] if open_stages else None
            if stage is not None and stage[1] not in overrides:
                overrides[stage[1]] = _when(text, code, ends, stage, trigger, branches)
            override = overrides[stage[1]] if stage is not None else None
            commands += command_lines(f.path, physical, "", override)
        jobs.append(Job("jenkins", f.path, f.name, 1, trigger, commands))
    return jobs


def mask(text: str) -> str:
    """The text with comments and string contents blanked (newlines kept), for finding structure."""
    out = list(text)
    i, n, quote = 0, len(text), None
    while i < n:
        if quote is None:
            if text.startswith(("'''", '"""'), i):
                quote, i = text[i:i + 3], i + 3
            elif text[i] in "'\"":
                quote, i = text[i], i + 1
            elif text.startswith("//", i) or text.startswith("/*", i):
                end = text.find("\n", i) if text[i + 1] == "/" else text.find("*/", i + 2)
                end = n if end < 0 else end + (0 if text[i + 1] == "/" else 2)
                for j in range(i, end):
                    if out[j] != "\n":
                        out[j] = " "
                i = end
            else:
                i += 1
            continue
        if len(quote) == 1 and text[i] == "\\":
            out[i] = " "
            if i + 1 < n and text[i + 1] != "\n":
                out[i + 1] = " "
            i += 2
            continue
        if text.startswith(quote, i):
            i += len(quote)
            quote = None
            continue
        if text[i] == "\n" and len(quote) == 1:
            quote = None
        elif text[i] != "\n":
            out[i] = " "
        i += 1
    return "".join(out)


def string_at(text: str, pos: int) -> tuple[str, int] | None:
    """The Groovy string literal starting at `pos` (after spaces): (content, content start)."""
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    for quote in ("'''", '"""', "'", '"'):
        if text.startswith(quote, pos):
            start = pos + len(quote)
            i = start
            while i < len(text):
                if len(quote) == 1 and text[i] == "\\":
                    i += 2
                    continue
                if text.startswith(quote, i):
                    return text[start:i], start
                i += 1
            return None
    return None


def _step_script(text: str, code: str, pos: int) -> tuple[str, int] | None:
    for _ in range(6):  # sh label: 'x', returnStatus: true, script: '...'
        literal = string_at(text, pos)
        if literal is not None:
            return literal
        arg = NAMED_ARG.match(code, pos)
        if arg is None:
            return None
        if arg.group(1) == "script":
            return string_at(text, arg.end())
        rest = SKIP_ARG.match(code, arg.end())  # skip this argument's value
        if rest is None:
            return None
        pos = rest.end()
    return None


def _stages(text: str, code: str, ends: dict[int, int]) -> list[tuple[str, int, int]]:
    """(name, start, end) of each stage block, in file order."""
    out = []
    for m in STAGE.finditer(code):
        name = string_at(text, code.index("(", m.start()) + 1)
        out.append((name[0] if name else "?", m.end(), ends.get(m.end() - 1, len(code))))
    return out


def _brace_ends(code: str) -> dict[int, int]:
    """For each `{`, where its block ends (its `}`, or the end of the text), found in one pass."""
    ends: dict[int, int] = {}
    stack: list[int] = []
    for i, c in enumerate(code):
        if c == "{":
            stack.append(i)
        elif c == "}" and stack:
            ends[stack.pop()] = i
    for i in stack:
        ends[i] = len(code)
    return ends


def _when(text: str, code: str, ends: dict[int, int], stage: tuple[str, int, int], trigger: Trigger,
          branches: frozenset[str]) -> Trigger | None:
    name, start, end = stage
    m = WHEN.search(code, start, min(end, start + WHEN_WINDOW))
    if m is None:
        return None
    block = text[m.end():ends.get(m.end() - 1, len(code))]
    if re.search(r"\b(?:not|anyOf|expression|allOf)\b", block):
        return None  # combinations we do not evaluate
    branch = re.search(r"\bbranch\s+(?:pattern\s*:\s*)?(['\"])(.*?)\1", block)
    cause = re.search(r"\btriggeredBy\s+(?:cause\s*:\s*)?(['\"])(\w+)\1", block)
    if cause and "Timer" in cause.group(2):
        return Trigger(["schedule"], [], [], f"stage {name} runs only when started by its cron trigger",
                       True, trigger.crons)
    if re.search(r"\bchangeRequest\s*\(", block):
        return Trigger(["pull_request"], ["pull_request"], ["*"], None, True, [])
    if re.search(r"\bbuildingTag\s*\(", block):
        return Trigger(["tag"], [], [], f"stage {name} runs only when building a tag", True, [])
    if branch:
        pattern = branch.group(2)
        if any(glob_match(pattern.replace("*", "**"), b) for b in branches):
            return Trigger(["push"], ["push"], [pattern], None, True, trigger.crons)
        return Trigger(["push"], [], [], f"stage {name} runs only on branch {pattern}", True, trigger.crons)
    return None


def line_at(newlines: list[int], pos: int) -> int:
    """The 1-based line of a position, from the offsets of the text's newlines."""
    return bisect.bisect_left(newlines, pos) + 1
