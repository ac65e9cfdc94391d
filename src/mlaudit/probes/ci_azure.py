"""Azure Pipelines as jobs: `trigger:`/`pr:` (absent means every branch), `schedules:`,
stages, jobs and steps with local templates followed, `condition:` on Build.Reason read."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from mlaudit.probes.ci_model import (
    MAX_COMMANDS, MAX_JOBS, CommandLine, Cron, Job, Trigger, as_list, as_text, glob_match, paths_admit_code, strings,
)
from mlaudit.probes.ci_yamljobs import load_yaml_file, narrow, value_commands
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.repo_paths import join
from mlaudit.yamlsource import YamlDoc


AZURE_DIRS = (".azure-pipelines/", "azure-pipelines/", ".azure/", ".ado/", ".azuredevops/", ".pipelines/")
AZURE_REASONS = {"schedule": "schedule", "pullrequest": "pull_request", "individualci": "push", "batchedci": "push",
                 "manual": "manual"}
AZURE_STEP_KEYS = ("script", "bash", "pwsh", "powershell")
BUILD_REASON = re.compile(r"\b(eq|ne)\(\s*variables\[?['.]?Build\.Reason['\]]*\s*,\s*'(\w+)'", re.I)


def azure_jobs(ctx: ProbeContext, branches: frozenset[str]) -> list[Job] | None:
    files = [f for f in ctx.files("azure-pipelines*.yml", "azure-pipelines*.yaml", ".azure-pipelines*.yml",
                                  ".azure-pipelines*.yaml")
             ] + [f for f in ctx.repo.files if f.path.startswith(AZURE_DIRS) and f.path.endswith((".yml", ".yaml"))]
    if not files:
        return None
    loaded = {f.path: load_yaml_file(ctx, f) for f in files}
    templates = set()
    for path, y in loaded.items():
        if y is not None:
            templates |= _template_refs(y[0].data, posixpath.dirname(path))
    jobs: list[Job] = []
    for f in files:
        y = loaded[f.path]
        if y is None or f.path in templates:
            continue
        data = y[0].data
        if not any(k in data for k in ("trigger", "pr", "schedules", "stages", "jobs", "steps", "extends")):
            continue
        if "parameters" in data and not any(k in data for k in ("trigger", "pr", "schedules", "pool", "resources")):
            continue  # a template that nothing here references by this path (it may be used from elsewhere)
        trigger = _azure_trigger(ctx, data, y[0], branches, f.path)
        jobs += _azure_walk(ctx, f.path, y, data, trigger, branches, 0)
    return jobs


def _template_refs(node: Any, base: str, seen: set[int] | None = None, depth: int = 0) -> set[str]:
    """Paths of the local templates a file uses. Each node is visited once: YAML aliases can
    share one list a million times over."""
    seen = set() if seen is None else seen
    out: set[str] = set()
    if not isinstance(node, (dict, list)) or id(node) in seen or depth > 40:
        return out
    seen.add(id(node))
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "template" and isinstance(v, str) and "@" not in v:
                out.add(_azure_path(v, base))
            else:
                out |= _template_refs(v, base, seen, depth + 1)
    else:
        for item in node:
            out |= _template_refs(item, base, seen, depth + 1)
    return out


def _azure_path(ref: str, base: str) -> str:
    """A template reference as a repository path ("" when it climbs out of the repository)."""
    return ref.lstrip("/") if ref.startswith("/") else join(base, ref) or ""


def _azure_filter(spec: Any) -> tuple[list[str] | None, list[str] | None]:
    if isinstance(spec, list):
        return strings(spec), None
    if isinstance(spec, dict):
        return strings(spec.get("include")) or None, strings(spec.get("exclude")) or None
    return None, None


def _azure_branch_ok(include: list[str] | None, exclude: list[str] | None, branches: frozenset[str]) -> bool:
    def norm(p: str) -> str:
        return p.removeprefix("refs/heads/")
    for b in branches:
        if (include is None or any(glob_match(norm(p).replace("*", "**"), b) for p in include)) and \
                not any(glob_match(norm(p).replace("*", "**"), b) for p in exclude or []):
            return True
    return False


def _azure_trigger(ctx: ProbeContext, data: dict, doc: YamlDoc, branches: frozenset[str], path: str) -> Trigger:
    t = Trigger()
    reasons: list[str] = []
    for key, event in (("trigger", "push"), ("pr", "pull_request")):
        spec = data.get(key, "all")
        if spec == "none" or spec is None:
            reasons.append(f"`{key}: none`")
            continue
        t.events.append(event)
        if spec == "all":
            t.on_change.append(event)
            t.branches.append("*")
            continue
        include, exclude = _azure_filter(spec.get("branches") if isinstance(spec, dict) else spec)
        if isinstance(spec, dict) and "branches" not in spec and "tags" in spec:
            reasons.append(f"`{key}:` only for tags")
            continue
        if not _azure_branch_ok(include, exclude, branches):
            reasons.append(f"`{key}:` only for {', '.join(include or [])}")
            continue
        if isinstance(spec, dict) and isinstance(spec.get("paths"), dict):
            inc, exc = _azure_filter(spec["paths"])
            grow = (lambda ps: [q for p in ps for q in (p, p.rstrip("/") + "/**")] if ps else None)
            if not paths_admit_code(ctx, grow(inc), grow(exc)):
                reasons.append(f"`{key}:` only for changes to {', '.join(inc or [])}")
                continue
        t.on_change.append(event)
        t.branches += include or ["*"]
    for i, entry in enumerate(as_list(data.get("schedules"))):
        cron = as_text(entry.get("cron")) if isinstance(entry, dict) else ""
        if cron:
            t.events.append("schedule")
            t.crons.append(Cron(doc.lines.get(("schedules", i, "cron")), cron, path=path))
    t.branches = sorted(set(t.branches))
    if not t.on_change:
        t.why_not = "; ".join(reasons) or "no push or pull request trigger"
    return t


def _azure_condition(t: Trigger, condition: Any, branches: frozenset[str]) -> Trigger:
    if condition is None:
        return t
    text = as_text(condition)
    if condition is False or text.strip().lower() == "false":
        return Trigger(why_not="disabled with `condition: false`")
    if "or(" in text.replace(" ", "").lower():
        return t
    eq = {AZURE_REASONS.get(v.lower()) for op, v in BUILD_REASON.findall(text) if op.lower() == "eq"}
    ne = {AZURE_REASONS.get(v.lower()) for op, v in BUILD_REASON.findall(text) if op.lower() == "ne"}
    if eq or ne:
        t = narrow(t, {e for e in eq if e} or None, {e for e in ne if e}, f"only when `{text}`")
    ref = re.search(r"eq\(\s*variables\[?['.]?Build\.SourceBranch['\]]*\s*,\s*'refs/heads/([^']+)'", text, re.I)
    if ref:
        keep = {"push"} if ref.group(1) in branches else set()
        t = narrow(t, keep | {"schedule", "manual"}, set(), f"only on branch {ref.group(1)}")
    return t


def _azure_walk(ctx: ProbeContext, path: str, y: tuple[YamlDoc, list[str]], node: dict, trigger: Trigger,
                branches: frozenset[str], depth: int, loc: tuple = ()) -> list[Job]:
    doc, lines = y
    jobs: list[Job] = []
    if depth > 4:
        return jobs
    if isinstance(node.get("extends"), dict) and isinstance(node["extends"].get("template"), str):
        jobs += _azure_template(ctx, path, node["extends"]["template"], trigger, branches, depth)
    for i, stage in enumerate(as_list(node.get("stages"))):
        if len(jobs) >= MAX_JOBS:
            return jobs
        if isinstance(stage, dict):
            st = _azure_condition(trigger, stage.get("condition"), branches)
            if isinstance(stage.get("template"), str):
                jobs += _azure_template(ctx, path, stage["template"], st, branches, depth)
            else:
                jobs += _azure_walk(ctx, path, y, {"jobs": stage.get("jobs")}, st, branches, depth + 1,
                                    loc + ("stages", i))
    for i, job in enumerate(as_list(node.get("jobs"))):
        if len(jobs) >= MAX_JOBS:
            return jobs
        if not isinstance(job, dict):
            continue
        jt = _azure_condition(trigger, job.get("condition"), branches)
        if isinstance(job.get("template"), str):
            jobs += _azure_template(ctx, path, job["template"], jt, branches, depth)
            continue
        steps_loc = loc + ("jobs", i, "steps")
        steps = job.get("steps")
        if steps is None and isinstance(job.get("strategy"), dict):  # deployment jobs
            deploy = ((job["strategy"].get("runOnce") or {}).get("deploy") or {}) \
                if isinstance(job["strategy"].get("runOnce"), dict) else {}
            steps = deploy.get("steps") if isinstance(deploy, dict) else None
            steps_loc = loc + ("jobs", i, "strategy", "runOnce", "deploy", "steps")
        name = as_text(job.get("job")) or as_text(job.get("deployment")) or str(i)
        commands = _azure_steps(ctx, path, y, steps, steps_loc, jt, branches, depth)
        jobs.append(Job("azure-pipelines", path, name, doc.lines.get(loc + ("jobs", i)), jt, commands))
    if "steps" in node and "jobs" not in node:
        commands = _azure_steps(ctx, path, y, node["steps"], loc + ("steps",), trigger, branches, depth)
        jobs.append(Job("azure-pipelines", path, "steps", doc.lines.get(loc + ("steps",)), trigger, commands))
    return jobs


def _azure_template(ctx: ProbeContext, path: str, ref: str, trigger: Trigger, branches: frozenset[str],
                    depth: int) -> list[Job]:
    if "@" in ref:
        return []
    target = _azure_path(ref, posixpath.dirname(path))
    y = load_yaml_file(ctx, ctx.repo.get(target))
    return _azure_walk(ctx, target, y, y[0].data, trigger, branches, depth + 1) if y else []


def _azure_steps(ctx: ProbeContext, path: str, y: tuple[YamlDoc, list[str]], steps: Any, loc: tuple,
                 trigger: Trigger, branches: frozenset[str], depth: int) -> list[CommandLine]:
    doc, lines = y
    out: list[CommandLine] = []
    for i, step in enumerate(as_list(steps)):
        if len(out) >= MAX_COMMANDS:
            break
        if not isinstance(step, dict):
            continue
        st = _azure_condition(trigger, step.get("condition"), branches) if "condition" in step else None
        if st is not None and not st.events:
            continue
        cwd = as_text(step.get("workingDirectory")).replace("$(Build.SourcesDirectory)", "").lstrip("/")
        if isinstance(step.get("template"), str) and "@" not in step["template"] and depth < 4:
            target = _azure_path(step["template"], posixpath.dirname(path))
            ty = load_yaml_file(ctx, ctx.repo.get(target))
            if ty is not None:
                out += _azure_steps(ctx, target, ty, ty[0].data.get("steps"), ("steps",), trigger, branches, depth + 1)
            continue
        for key in AZURE_STEP_KEYS:
            if isinstance(step.get(key), str):
                out += value_commands(path, step[key], doc, lines, loc + (i, key), cwd, st)
        inputs = step.get("inputs") if isinstance(step.get("inputs"), dict) else {}
        if isinstance(step.get("task"), str) and step["task"].split("@")[0] in ("CmdLine", "Bash", "PowerShell"):
            if isinstance(inputs.get("script"), str):
                out += value_commands(path, inputs["script"], doc, lines, loc + (i, "inputs", "script"), cwd, st)
            elif isinstance(inputs.get("filePath"), str):
                out.append(CommandLine(path, doc.lines.get(loc + (i, "inputs", "filePath")),
                                       f"bash {inputs['filePath']}", cwd, st))
    return out
