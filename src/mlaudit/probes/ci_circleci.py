"""CircleCI as jobs: workflows and their jobs, branch filters, approval holds, scheduled
triggers and `when:` conditions on pipeline values, reusable commands, the python orb's test job."""

from __future__ import annotations

import re
import reprlib
from typing import Any

from mlaudit.probes.ci_model import (
    CommandLine, Cron, Job, Trigger, as_list, as_text, branch_hit, invalid_regexes, regex_search, strings,
)
from mlaudit.probes.ci_yamljobs import load_yaml_file, value_commands
from mlaudit.probes.context import ProbeContext
from mlaudit.yamlsource import YamlDoc


_SHOW = reprlib.Repr()
_SHOW.maxstring, _SHOW.maxother, _SHOW.maxlist, _SHOW.maxdict, _SHOW.maxlevel = 200, 200, 12, 12, 6


def circleci_jobs(ctx: ProbeContext, branches: frozenset[str]) -> list[Job] | None:
    f = ctx.repo.get(".circleci/config.yml") or ctx.repo.get(".circleci/config.yaml")
    if f is None:
        return None
    y = load_yaml_file(ctx, f)
    if y is None:
        return []
    doc, lines = y
    data = doc.data
    job_defs = data.get("jobs") if isinstance(data.get("jobs"), dict) else {}
    workflows = {k: v for k, v in (data.get("workflows") or {}).items() if k != "version" and isinstance(v, dict)} \
        if isinstance(data.get("workflows"), dict) else {}
    params = {k: (v.get("default") if isinstance(v, dict) else None)
              for k, v in (data.get("parameters") or {}).items()} if isinstance(data.get("parameters"), dict) else {}
    orbs = {str(k): as_text(v) for k, v in data["orbs"].items()} if isinstance(data.get("orbs"), dict) else {}
    out: list[Job] = []
    if not workflows and "build" in job_defs:
        t = Trigger(["push"], ["push"], ["*"])  # CircleCI builds pushes; a pull request is built as its branch
        out.append(Job("circleci", f.path, "build", doc.lines.get(("jobs", "build")), t,
                       _circle_steps(f.path, doc, lines, data, ("jobs", "build"))))
    for wf_name, wf in workflows.items():
        t = _circle_workflow_trigger(wf, wf_name, doc, params, branches)
        approvals = {_circle_job_name(j)[0] for j in as_list(wf.get("jobs"))
                     if isinstance(j, dict) and (_circle_job_name(j)[1] or {}).get("type") == "approval"}
        held = _downstream(wf, approvals)
        for k, item in enumerate(as_list(wf.get("jobs"))):
            name, cfg = _circle_job_name(item)
            if name is None or name in approvals:
                continue
            jt = _circle_filters(t, cfg or {}, branches)
            if name in held or (cfg or {}).get("name") in held:
                jt = Trigger(jt.events + ["manual"], [], [], "only after a manual approval", False, [])
            line = doc.lines.get(("workflows", wf_name, "jobs", k))
            if name in job_defs:
                out.append(Job("circleci", f.path, name, line, jt,
                               _circle_steps(f.path, doc, lines, data, ("jobs", name))))
            elif "/" in name and orbs.get(name.split("/")[0], "").startswith("circleci/python") \
                    and name.split("/")[1] == "test":
                tool = as_text((cfg or {}).get("test-tool"), "pytest")
                out.append(Job("circleci", f.path, name, line, jt, [], implicit_test=f"the circleci/python orb's "
                               f"`test` job ({tool})", uses=[orbs[name.split('/')[0]]]))
            else:
                out.append(Job("circleci", f.path, name, line, jt, [], uses=[name]))
    return out


def _circle_job_name(item: Any) -> tuple[str | None, dict | None]:
    if isinstance(item, str):
        return item, None
    if isinstance(item, dict) and len(item) == 1:
        name, cfg = next(iter(item.items()))
        return str(name), cfg if isinstance(cfg, dict) else None
    return None, None


def _downstream(wf: dict, roots: set[str]) -> set[str]:
    held = set(roots)
    changed = True
    while changed:
        changed = False
        for item in as_list(wf.get("jobs")):
            name, cfg = _circle_job_name(item)
            key = (cfg or {}).get("name", name)
            if key not in held and set(strings((cfg or {}).get("requires"))) & held:
                held.add(key)
                changed = True
    return held - roots


def _circle_workflow_trigger(wf: dict, name: str, doc: YamlDoc, params: dict, branches: frozenset[str]) -> Trigger:
    t = Trigger(["push"], ["push"], ["*"])
    if wf.get("triggers"):
        t = Trigger(["schedule"], [], [], "only on its scheduled trigger")
        for i, trig in enumerate(as_list(wf["triggers"])):
            sched = trig.get("schedule") if isinstance(trig, dict) else None
            if isinstance(sched, dict) and as_text(sched.get("cron")):
                t.crons.append(Cron(doc.lines.get(("workflows", name, "triggers", i, "schedule", "cron")),
                                    as_text(sched["cron"])))
        return t
    for key in ("when", "unless"):
        if key not in wf:
            continue
        default = sorted(branches)[0]
        on_push = _circle_cond(wf[key], params, {"pipeline.git.branch": default, "pipeline.trigger_source": "webhook",
                                                 "pipeline.schedule.name": ""})
        on_schedule = _circle_cond(wf[key], params, {"pipeline.git.branch": default,
                                                     "pipeline.trigger_source": "scheduled_pipeline",
                                                     "pipeline.schedule.name": "scheduled"})
        if key == "unless":
            on_push = None if on_push is None else not on_push
            on_schedule = None if on_schedule is None else not on_schedule
        shown = _SHOW.repr(wf[key])  # bounded: a YAML alias can make the condition huge
        if on_push is not True:
            t = Trigger([], [], [], f"only when `{key}: {shown}`" if on_push is False else
                        f"its `{key}:` condition cannot be read")
        if on_schedule is True and on_push is not True and "schedul" in shown:
            t.events.append("schedule")
            t.crons.append(Cron(doc.lines.get(("workflows", name, key)), None, "CircleCI scheduled pipelines"))
    return t


def _circle_cond(cond: Any, params: dict, env: dict[str, str]) -> bool | None:
    def value(v: Any) -> Any:
        if isinstance(v, str):
            m = re.fullmatch(r"\s*<<\s*([\w.-]+)\s*>>\s*", v)
            if m:
                key = m.group(1)
                if key.startswith("pipeline.parameters."):
                    return params.get(key.split(".", 2)[2])
                return env.get(key, None)
        return v
    if isinstance(cond, dict) and len(cond) == 1:
        op, arg = next(iter(cond.items()))
        if op == "equal" and isinstance(arg, list):
            vals = [value(a) for a in arg]
            return None if any(v is None for v in vals) else all(v == vals[0] for v in vals)
        if op in ("and", "or") and isinstance(arg, list):
            parts = [_circle_cond(a, params, env) for a in arg]
            if op == "and":
                return False if False in parts else None if None in parts else True
            return True if True in parts else None if None in parts else False
        if op == "not":
            inner = _circle_cond(arg, params, env)
            return None if inner is None else not inner
        if op == "matches" and isinstance(arg, dict):
            v = value(arg.get("value"))
            pattern = as_text(arg.get("pattern"))
            return None if not isinstance(v, str) or not pattern else regex_search(pattern, v)
        return None
    v = value(cond)
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and "<<" not in v:
        return v.lower() not in ("", "false")
    return None


def _circle_filters(t: Trigger, cfg: dict, branches: frozenset[str]) -> Trigger:
    filters = cfg.get("filters") if isinstance(cfg.get("filters"), dict) else {}
    b = filters.get("branches") if isinstance(filters.get("branches"), dict) else {}
    if not t.on_change or not (b or filters.get("tags")):
        return t
    only, ignore = strings(b.get("only")), strings(b.get("ignore"))
    ok = [x for x in branches if (not only or any(branch_hit(p, x, True) for p in only))
          and not any(branch_hit(p, x, False) for p in ignore)]
    if not ok:
        why = f"only on branches {', '.join(only)}" if only else "branches ignored; tags only"
        return Trigger(t.events, [], [], why + invalid_regexes(only + ignore), False, t.crons)
    return Trigger(t.events, ["push"] if only else t.on_change, only or t.branches, None,
                   False, t.crons)


def _circle_steps(path: str, doc: YamlDoc, lines: list[str], data: dict, loc: tuple, depth: int = 0) -> list[CommandLine]:
    node: Any = data
    for k in loc:
        node = node.get(k) if isinstance(node, dict) else None
    steps = node.get("steps") if isinstance(node, dict) else None
    commands = data.get("commands") if isinstance(data.get("commands"), dict) else {}
    out: list[CommandLine] = []
    for i, step in enumerate(as_list(steps)):
        if isinstance(step, dict) and "run" in step:
            run = step["run"]
            if isinstance(run, dict):
                out += value_commands(path, run.get("command"), doc, lines, loc + ("steps", i, "run", "command"),
                                      as_text(run.get("working_directory")))
            else:
                out += value_commands(path, run, doc, lines, loc + ("steps", i, "run"))
        elif isinstance(step, dict) and len(step) == 1 and next(iter(step)) in ("when", "unless"):
            key = next(iter(step))
            out += _circle_steps(path, doc, lines, data, loc + ("steps", i, key), depth)
        elif depth < 4:
            name = step if isinstance(step, str) else next(iter(step)) if isinstance(step, dict) and len(step) == 1 \
                else None
            if name in commands:
                out += _circle_steps(path, doc, lines, data, ("commands", name), depth + 1)
    return out
