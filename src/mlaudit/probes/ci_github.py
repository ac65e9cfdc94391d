"""GitHub Actions workflows as jobs: triggers judged against the default branch, `run:` steps
as command lines, local composite actions and reusable workflows followed."""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml

from mlaudit.probes.ci_model import (
    MAX_JOBS, CommandLine, Cron, Job, Trigger, as_text, command_lines, filter_admits, glob_match, invalid_globs,
    paths_admit_code, script_lines, strings,
)
from mlaudit.probes.context import ProbeContext
from mlaudit.repository import RepoFile
from mlaudit.yamlsource import YamlDoc

SYSTEM = "github-actions"
PR_ACTIVITY = frozenset({"opened", "synchronize", "reopened", "ready_for_review"})
DISABLED = re.compile(r"^\s*(?:\$\{\{\s*)?(?:false|0|'false'|\"false\")\s*(?:\}\})?\s*$")
EVENT_EQ = re.compile(r"github\.event_name\s*(==|!=)\s*['\"]([\w-]+)['\"]")
REF_EQ = re.compile(r"github\.ref\s*==\s*['\"]refs/heads/([^'\"]+)['\"]")


def workflow_files(ctx: ProbeContext) -> list[RepoFile]:
    return ctx.files(".github/workflows/*.yml", ".github/workflows/*.yaml")


def github_jobs(ctx: ProbeContext, branches: frozenset[str]) -> list[Job]:
    workflows = []
    by_name: dict[str, Trigger] = {}
    for f in workflow_files(ctx):
        doc, text = ctx.store.yaml(f), ctx.store.text(f)
        if doc is None or text is None or not isinstance(doc.data, dict):
            continue
        on_key = "on" if "on" in doc.data else True  # YAML 1.1 reads a bare `on` as true
        events = _events(doc.data.get(on_key))
        if set(events) == {"workflow_call"}:
            continue  # a reusable workflow runs when another workflow calls it
        trigger = workflow_trigger(ctx, events, doc, on_key, branches, f.path)
        by_name[as_text(doc.data.get("name")) or f.path] = trigger
        workflows.append((f, doc, text, events, trigger))
    jobs: list[Job] = []
    for f, doc, text, events, trigger in workflows:
        _after_workflows(trigger, events.get("workflow_run"), by_name)
        jobs += _jobs(ctx, f, doc, text, trigger, branches, depth=0)
    return jobs


def _after_workflows(t: Trigger, spec: Any, by_name: dict[str, Trigger]) -> None:
    """`on: workflow_run` runs after the named workflows: on a change when one of them does."""
    if not isinstance(spec, dict) or t.on_change:
        return
    types = strings(spec.get("types"))
    if types and "completed" not in types and "requested" not in types:
        return
    for name in strings(spec.get("workflows")):
        upstream = by_name.get(name)
        if upstream is not None and upstream.on_change:
            t.on_change = list(upstream.on_change)
            t.branches, t.per_event = list(upstream.branches), dict(upstream.per_event)
            t.note, t.why_not = f"after workflow `{name}`", None
            return


def _events(on: Any) -> dict[str, Any]:
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {str(e): None for e in on}
    if isinstance(on, dict):
        return {str(k): v for k, v in on.items()}
    return {}


def workflow_trigger(ctx: ProbeContext, events: dict[str, Any], doc: YamlDoc, on_key: Any,
                     branches: frozenset[str], path: str) -> Trigger:
    t = Trigger(events=sorted(events))
    reasons: list[str] = []
    filters: set[str] = set()
    for event, cfg in events.items():
        cfg = cfg if isinstance(cfg, dict) else {}
        if event == "schedule":
            for i, entry in enumerate(events[event] if isinstance(events[event], list) else []):
                cron = as_text(entry.get("cron")) if isinstance(entry, dict) else ""
                if cron:
                    t.crons.append(Cron(doc.lines.get((on_key, "schedule", i, "cron")), cron, path=path))
            continue
        if event == "merge_group":
            t.on_change.append("merge_group")
            continue
        if event not in ("push", "pull_request", "pull_request_target"):
            continue
        name = "push" if event == "push" else "pull_request"
        why, pats = _branch_filter(event, cfg, branches)
        if why is None and name == "pull_request":
            types = strings(cfg.get("types"))
            if types and not PR_ACTIVITY & set(types):
                why = f"{event} only when {', '.join(types)}"
        if why is None and (cfg.get("paths") is not None or cfg.get("paths-ignore") is not None):
            include = strings(cfg.get("paths")) or None
            exclude = strings(cfg.get("paths-ignore")) or None
            if not paths_admit_code(ctx, include, exclude):
                why = f"{event} only for changes to {', '.join(include or [])}" if include else \
                    f"{event} ignores every code path ({', '.join(exclude or [])})"
                why += _unreadable((include or []) + (exclude or []))
        if why is not None:
            reasons.append(why)
            continue
        if name not in t.on_change:
            t.on_change.append(name)
        t.per_event[name] = sorted(set(t.per_event.get(name, [])) | pats)
        filters |= pats
    t.branches = sorted(filters) if t.on_change else []
    if not t.on_change:
        rest = [e for e in t.events if e not in ("push", "pull_request", "pull_request_target")]
        t.why_not = "; ".join(reasons + ([f"otherwise only on {', '.join(rest)}"] if rest and reasons else
                                         [f"only on {', '.join(rest)}"] if rest else []))
    return t


def _branch_filter(event: str, cfg: dict, branches: frozenset[str]) -> tuple[str | None, set[str]]:
    """(why the event never fires for the default branch, or None; the branch patterns)."""
    include, ignore = cfg.get("branches"), cfg.get("branches-ignore")
    if event == "push" and include is None and ignore is None and (cfg.get("tags") is not None
                                                                    or cfg.get("tags-ignore") is not None):
        return f"{event} only for tags", set()
    if include is not None:
        pats = strings(include)
        if not any(filter_admits(pats, b) for b in branches):
            return f"{event} only to {', '.join(pats)}, not {'/'.join(sorted(branches))}{_unreadable(pats)}", set()
        return None, {p for p in pats if not p.startswith("!")}
    if ignore is not None:
        pats = strings(ignore)
        if all(any(glob_match(p, b) for p in pats) for b in branches):
            return f"{event} ignores {'/'.join(sorted(branches))}", set()
    return None, {"*"}


def _unreadable(patterns: list[str]) -> str:
    bad = invalid_globs(patterns)
    return f" (invalid pattern {', '.join(bad)} matches nothing)" if bad else ""


def apply_condition(trigger: Trigger, condition: Any, branches: frozenset[str]) -> Trigger:
    """A job's or step's `if:` narrowed to what can be read without running it: `false`,
    `github.event_name == '...'` and `github.ref == 'refs/heads/...'`."""
    if condition is None or condition is True:
        return trigger
    if condition is False or (isinstance(condition, str) and DISABLED.match(condition)):
        return Trigger(events=[], why_not="disabled with `if: false`")
    if not isinstance(condition, str) or "||" in condition:
        return trigger
    t = copy.deepcopy(trigger)
    eq = {m.group(2) for m in EVENT_EQ.finditer(condition) if m.group(1) == "=="}
    ne = {m.group(2) for m in EVENT_EQ.finditer(condition) if m.group(1) == "!="}
    if eq or ne:
        allowed = {("pull_request" if e == "pull_request_target" else e) for e in eq}
        t.on_change = [e for e in t.on_change if (not eq or e in allowed) and e not in ne]
        if "schedule" in ne or (eq and "schedule" not in eq):
            t.crons = []
        t.events = [e for e in t.events if (not eq or e in eq) and e not in ne]
    ref = REF_EQ.search(condition)
    if ref:
        t.on_change = ["push"] if "push" in t.on_change and ref.group(1) in branches else []
        t.branches = [ref.group(1)] if t.on_change else []
        t.per_event = {"push": t.branches} if t.on_change else {}
    if not t.on_change and trigger.on_change:
        t.why_not = f"only when `{' '.join(condition.split())}`"
    return t


def _jobs(ctx: ProbeContext, f: RepoFile, doc: YamlDoc, text: str, trigger: Trigger, branches: frozenset[str],
          depth: int, via: str | None = None) -> list[Job]:
    data = doc.data
    lines = text.splitlines()
    wf_dir = _working_dir(data)
    out: list[Job] = []
    for job_id, job in (data.get("jobs") or {}).items() if isinstance(data.get("jobs"), dict) else []:
        if len(out) >= MAX_JOBS:
            break
        if not isinstance(job, dict):
            continue
        jt = apply_condition(trigger, job.get("if"), branches)
        line = doc.lines.get(("jobs", job_id))
        uses = job.get("uses")
        if isinstance(uses, str) and uses.startswith("./") and depth < 3:
            called = ctx.repo.get(uses[2:].split("@")[0])
            cdoc = ctx.store.yaml(called) if called is not None else None
            ctext = ctx.store.text(called) if called is not None else None
            if cdoc is not None and ctext is not None and isinstance(cdoc.data, dict):
                out += _jobs(ctx, called, cdoc, ctext, jt, branches, depth + 1,
                             via=f"reusable workflow {called.path} called from {f.path}:{line}")
            continue
        if isinstance(uses, str):  # a workflow in another repository: its steps cannot be read here
            out.append(Job(SYSTEM, f.path, str(job_id), line, jt, _tox_workflow(f, doc, job_id, job, uses),
                           via=f"reusable workflow {uses.split('@')[0]}", uses=[uses.split("@")[0]]))
            continue
        cwd = _working_dir(job) or wf_dir
        commands: list[CommandLine] = []
        actions: list[str] = []
        for i, step in enumerate(job.get("steps") if isinstance(job.get("steps"), list) else []):
            if not isinstance(step, dict):
                continue
            st = apply_condition(jt, step.get("if"), branches) if step.get("if") is not None else None
            if st is not None and not st.events:
                continue
            run = step.get("run")
            shell = as_text(step.get("shell"))
            if isinstance(run, str) and not shell.startswith("python"):
                wd = as_text(step.get("working-directory")) or cwd
                node = doc.lines.get(("jobs", job_id, "steps", i, "run"))
                commands += command_lines(f.path, script_lines(run, lines, node), wd, st)
            uses = step.get("uses")
            if isinstance(uses, str) and uses.startswith("./"):
                commands += _composite(ctx, uses[2:].rstrip("/"), cwd, st)
            elif isinstance(uses, str):
                actions.append(uses.split("@")[0])
        out.append(Job(SYSTEM, f.path, str(job_id), line, jt, commands, via=via, uses=actions))
    return out


def _tox_workflow(f: RepoFile, doc: YamlDoc, job_id: Any, job: dict, uses: str) -> list[CommandLine]:
    """A shared `tox.yml` workflow (OpenAstronomy's, and the many like it) runs `tox -e` on the
    envs it is given; those envs are then read from this repository's tox configuration."""
    envs = (job.get("with") or {}).get("envs") if isinstance(job.get("with"), dict) else None
    if not uses.split("@")[0].endswith(("/tox.yml", "/tox.yaml")) or not isinstance(envs, str):
        return []
    try:
        items = yaml.safe_load(envs)
    except yaml.YAMLError:
        return []
    names = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            names += [as_text(v) for k, v in item.items() if k in ("linux", "macos", "windows", "name", "env")
                      and as_text(v)]
    line = doc.lines.get(("jobs", job_id, "with", "envs"))
    return [CommandLine(f.path, line, f"tox -e {name}") for name in dict.fromkeys(names)]


def _composite(ctx: ProbeContext, folder: str, cwd: str, trigger: Trigger | None) -> list[CommandLine]:
    f = ctx.repo.get(f"{folder}/action.yml") or ctx.repo.get(f"{folder}/action.yaml")
    doc = ctx.store.yaml(f) if f is not None else None
    text = ctx.store.text(f) if f is not None else None
    if doc is None or text is None or not isinstance(doc.data, dict):
        return []
    runs = doc.data.get("runs")
    steps = runs.get("steps") if isinstance(runs, dict) else None
    out: list[CommandLine] = []
    lines = text.splitlines()
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        if isinstance(step, dict) and isinstance(step.get("run"), str):
            node = doc.lines.get(("runs", "steps", i, "run"))
            wd = as_text(step.get("working-directory")) or cwd
            out += command_lines(f.path, script_lines(step["run"], lines, node), wd, trigger,
                                 via=f"composite action {folder}")
    return out


def _working_dir(section: Any) -> str:
    defaults = section.get("defaults") if isinstance(section, dict) else None
    run = defaults.get("run") if isinstance(defaults, dict) else None
    wd = run.get("working-directory") if isinstance(run, dict) else None
    return as_text(wd)
