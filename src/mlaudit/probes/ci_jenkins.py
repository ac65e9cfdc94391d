"""Jenkinsfiles (declarative or scripted) as a job: `sh`/`bat` steps as command lines, a
stage's `when { branch ... }` / `triggeredBy` / `changeRequest()` as its trigger, `cron(...)`
triggers as schedules. A Jenkinsfile builds when Jenkins is told of a push (multibranch
pipelines, webhooks, `pollSCM`), which is set up on the server: the trigger is assumed."""

from __future__ import annotations

import re

from mlaudit.probes.ci_model import CommandLine, Cron, Job, Trigger, command_lines, glob_match
from mlaudit.probes.context import ProbeContext

STEP = re.compile(r"\b(?:sh|bat|pwsh|powershell)\b\s*\(?\s*")
NAMED_ARG = re.compile(r"(\w+)\s*:\s*")
STAGE = re.compile(r"\bstage\s*\(\s*(['\"])(.*?)\1\s*\)\s*\{")
CRON = re.compile(r"\b(?:cron|parameterizedCron)\s*\(\s*")


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
        trigger = Trigger(["push"], ["push"], ["*"], None, True)
        for m in CRON.finditer(code):
            literal = string_at(text, m.end())
            if literal is not None:
                trigger.crons.append(Cron(line_of(text, m.start()), literal[0].strip()))
                trigger.events = sorted(set(trigger.events) | {"schedule"})
        stages = _stages(text, code)
        commands: list[CommandLine] = []
        for m in STEP.finditer(code):
            script = _step_script(text, code, m.end())
            if script is None:
                continue
            content, start = script
            first = line_of(text, start)
            physical = [(first + i, line) for i, line in enumerate(content.split("\n"))]
            stage = next((s for s in reversed(stages) if s[1] <= m.start() < s[2]), None)
            override = _when(text, code, stage, trigger, branches) if stage else None
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
        rest = re.match(r"[^,)\n]*,\s*", code[arg.end():])  # skip this argument's value
        if rest is None:
            return None
        pos = arg.end() + rest.end()
    return None


def _stages(text: str, code: str) -> list[tuple[str, int, int]]:
    out = []
    for m in STAGE.finditer(code):
        name = string_at(text, m.start() + code[m.start():].index("(") + 1)
        out.append((name[0] if name else "?", m.end(), _block_end(code, m.end())))
    return out


def _block_end(code: str, start: int) -> int:
    depth = 1
    for i in range(start, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(code)


def _when(text: str, code: str, stage: tuple[str, int, int], trigger: Trigger,
          branches: frozenset[str]) -> Trigger | None:
    name, start, end = stage
    m = re.compile(r"\bwhen\s*\{").search(code, start, end)
    if m is None:
        return None
    block = text[m.end():_block_end(code, m.end())]
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


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1
