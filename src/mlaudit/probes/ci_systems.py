"""Bitbucket Pipelines, Cloud Build and Travis as jobs, and the table of every CI reader besides
GitHub's and GitLab's. Each reader returns None when the system's configuration is absent,
else its jobs with triggers judged against the default branch."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mlaudit.probes.ci_azure import azure_jobs
from mlaudit.probes.ci_circleci import circleci_jobs
from mlaudit.probes.ci_jenkins import jenkins_jobs
from mlaudit.probes.ci_model import (
    CommandLine, Cron, Job, Trigger, as_list, as_text, branch_hit, glob_match, invalid_regexes, paths_admit_code,
    strings,
)
from mlaudit.probes.ci_yamljobs import load_yaml_file, narrow, value_commands
from mlaudit.probes.context import ProbeContext

Reader = Callable[[ProbeContext, frozenset[str]], "list[Job] | None"]


# -- Bitbucket Pipelines -------------------------------------------------------------------------
def bitbucket_jobs(ctx: ProbeContext, branches: frozenset[str]) -> list[Job] | None:
    f = ctx.repo.get("bitbucket-pipelines.yml")
    if f is None:
        return None
    y = load_yaml_file(ctx, f)
    pipelines = y[0].data.get("pipelines") if y else None
    if not isinstance(pipelines, dict):
        return []
    doc, lines = y
    named = pipelines.get("branches") if isinstance(pipelines.get("branches"), dict) else {}
    out: list[Job] = []
    sections: list[tuple[tuple, Any, Trigger]] = []
    if "default" in pipelines:  # every push to a branch that no `branches:` pattern names
        sections.append((("default",), pipelines["default"], Trigger(["push"], ["push"], ["*"])))
    for pattern, body in named.items():
        hit = any(glob_match(str(pattern), b) for b in branches)
        t = Trigger(["push"], ["push"] if hit else [], [str(pattern)] if hit else [],
                    None if hit else f"only on push to {pattern}")
        sections.append((("branches", pattern), body, t))
    for pattern, body in (pipelines.get("pull-requests") or {}).items() \
            if isinstance(pipelines.get("pull-requests"), dict) else []:
        sections.append((("pull-requests", pattern), body, Trigger(["pull_request"], ["pull_request"], ["*"])))
    for key, why in (("tags", "only for tags"), ("custom", "only when started by hand or by a schedule set in "
                                                           "Bitbucket")):
        for name, body in (pipelines.get(key) or {}).items() if isinstance(pipelines.get(key), dict) else []:
            sections.append(((key, name), body, Trigger([key], [], [], why)))
    for loc, body, t in sections:
        for step_loc, step in _bitbucket_steps(body, ("pipelines",) + loc):
            st = t
            if step.get("trigger") == "manual":
                st = Trigger(t.events + ["manual"], [], [], "only when started by hand (`trigger: manual`)")
            cond = step.get("condition") if isinstance(step.get("condition"), dict) else {}
            paths = strings(cond["changesets"].get("includePaths")) \
                if isinstance(cond.get("changesets"), dict) else []
            if paths and st.on_change and not paths_admit_code(ctx, paths, None):
                st = Trigger(t.events, [], [], f"only for changes to {', '.join(paths)}")
            commands = value_commands(f.path, step.get("script"), doc, lines, step_loc + ("script",))
            out.append(Job("bitbucket", f.path, as_text(step.get("name")) or "/".join(map(str, loc)),
                           doc.lines.get(step_loc), st, commands,
                           uses=[str(step.get("image"))] if isinstance(step.get("image"), str) else []))
    return out


def _bitbucket_steps(body: Any, loc: tuple) -> list[tuple[tuple, dict]]:
    out: list[tuple[tuple, dict]] = []
    for i, item in enumerate(as_list(body)):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("step"), dict):
            out.append((loc + (i, "step"), item["step"]))
        par = item.get("parallel")
        if isinstance(par, dict):
            out += _bitbucket_steps(par.get("steps"), loc + (i, "parallel", "steps"))
        elif isinstance(par, list):
            out += _bitbucket_steps(par, loc + (i, "parallel"))
        if isinstance(item.get("stage"), dict):
            out += _bitbucket_steps(item["stage"].get("steps"), loc + (i, "stage", "steps"))
    return out


# -- Google Cloud Build ----------------------------------------------------------------------------
CLOUD_BUILD_TRIGGER = Trigger(["push"], ["push"], ["*"], None, True)


def cloudbuild_jobs(ctx: ProbeContext, branches: frozenset[str]) -> list[Job] | None:
    files = ctx.files("cloudbuild*.yaml", "cloudbuild*.yml")
    if not files:
        return None
    out: list[Job] = []
    for f in files:
        y = load_yaml_file(ctx, f)
        if y is None:
            continue
        doc, lines = y
        for i, step in enumerate(as_list(doc.data.get("steps"))):
            if not isinstance(step, dict):
                continue
            loc = ("steps", i)
            cwd = as_text(step.get("dir"))
            entry, image, args = as_text(step.get("entrypoint")), as_text(step.get("name")), strings(step.get("args"))
            if isinstance(step.get("script"), str):
                commands = value_commands(f.path, step["script"], doc, lines, loc + ("script",), cwd)
            elif entry in ("bash", "sh", "/bin/bash", "/bin/sh") and args[:1] == ["-c"] and len(args) > 1:
                commands = value_commands(f.path, args[1], doc, lines, loc + ("args", 1), cwd)
            else:
                program = entry or (image.rsplit("/", 1)[-1].split(":")[0] if "cloud-builders" in image else None)
                line = " ".join(([program] if program else []) + args)
                commands = [CommandLine(f.path, doc.lines.get(loc + ("args",)) or doc.lines.get(loc), line, cwd)]
            out.append(Job("cloud-build", f.path, as_text(step.get("id")) or str(i), doc.lines.get(loc),
                           CLOUD_BUILD_TRIGGER, commands, uses=[image]))
    return out


# -- Travis ------------------------------------------------------------------------------------------
def travis_jobs(ctx: ProbeContext, branches: frozenset[str]) -> list[Job] | None:
    f = ctx.repo.get(".travis.yml")
    if f is None:
        return None
    y = load_yaml_file(ctx, f)
    if y is None:
        return []
    doc, lines = y
    data = doc.data
    t = Trigger(["push", "pull_request"], ["push", "pull_request"], ["*"])
    b = data.get("branches") if isinstance(data.get("branches"), dict) else {}
    only, excluded = strings(b.get("only")), strings(b.get("except"))

    if only or excluded:
        ok = [x for x in branches if (not only or any(branch_hit(p, x, True) for p in only))
              and not any(branch_hit(p, x, False) for p in excluded)]
        t = Trigger(t.events, t.on_change, only or ["*"]) if ok else \
            Trigger(t.events, [], [], (f"only for branches {', '.join(only)}" if only else "default branch excluded")
                    + invalid_regexes(only + excluded))
    t = _travis_if(t, data.get("if"), branches, doc.lines.get(("if",)))
    out: list[Job] = []
    if "script" in data:
        out.append(Job("travis", f.path, "script", doc.lines.get(("script",)), t,
                       value_commands(f.path, data["script"], doc, lines, ("script",))))
    for key in ("jobs", "matrix"):
        section = data.get(key) if isinstance(data.get(key), dict) else {}
        for i, job in enumerate(as_list(section.get("include"))):
            if isinstance(job, dict) and "script" in job:
                jt = _travis_if(t, job.get("if"), branches, doc.lines.get((key, "include", i, "if")))
                out.append(Job("travis", f.path, as_text(job.get("name")) or as_text(job.get("stage")) or str(i),
                               doc.lines.get((key, "include", i)), jt,
                               value_commands(f.path, job["script"], doc, lines, (key, "include", i, "script"))))
    return out


def _travis_if(t: Trigger, condition: Any, branches: frozenset[str], line: int | None) -> Trigger:
    if not isinstance(condition, str) or " OR " in condition.upper():
        return t
    text = condition.strip()
    types = re.findall(r"\btype\s*(?:=|==|IN)\s*\(?\s*([\w, ]+?)\s*\)?(?:\s+AND|\s*$)", text, re.I)
    if types:
        allowed = {x.strip().lower() for group in types for x in group.split(",")}
        t = narrow(t, {"push" if a == "push" else "pull_request" if a == "pull_request" else
                       "schedule" if a == "cron" else a for a in allowed}, set(), f"only when `if: {text}`")
        if "cron" in allowed:
            t.crons = [Cron(line, None, "Travis cron jobs")]
            t.events = sorted(set(t.events) | {"schedule"})
    branch = re.search(r"\bbranch\s*=\s*(\S+)", text)
    if branch and branch.group(1).strip("'\"") not in branches:
        t = Trigger(t.events, [], [], f"only when `if: {text}`", False, t.crons)
    return t


OTHER_SYSTEMS: dict[str, Reader] = {
    "azure-pipelines": azure_jobs, "circleci": circleci_jobs, "bitbucket": bitbucket_jobs,
    "cloud-build": cloudbuild_jobs, "travis": travis_jobs, "jenkins": jenkins_jobs,
}
