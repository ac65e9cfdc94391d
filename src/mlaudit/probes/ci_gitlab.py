"""GitLab CI as jobs. Whether a job runs is decided the way GitLab decides it, for a few
pipelines imagined in turn (a push to the default branch, a push to another branch, a merge
request into the default branch, a scheduled pipeline): `workflow:` rules, then the job's
`rules:` (`if:` expressions evaluated, `changes:` and `exists:` checked against the files) or
its `only:`/`except:`. Variables not set in the file are taken as unset, as they are for an
ordinary push. Local `include:` files, `extends:` and `!reference` are followed."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from mlaudit.probes.ci_model import (
    MAX_JOBS, CommandLine, Cron, Job, Trigger, as_list, as_text, command_lines, glob_match, paths_admit_code, paths_exist,
    script_lines, strings,
)
from mlaudit.probes.ci_gitlab_rules import evaluate, match
from mlaudit.probes.context import ProbeContext
from mlaudit.repository import RepoFile
from mlaudit.yamlsource import YamlDoc, YamlSyntaxError, load_yaml

SYSTEM = "gitlab-ci"
RESERVED = frozenset({"stages", "variables", "default", "include", "workflow", "image", "services", "before_script",
                      "after_script", "cache", "types", "spec"})
OTHER_BRANCH = "feature/change"
PUSH, PUSH_OTHER, MR, SCHEDULE, CHILD = "push", "push-other", "merge_request", "schedule", "parent_pipeline"
MAX_CHILD_DEPTH = 4  # pipelines triggering pipelines: GitLab allows a few levels
MAX_RULES = 200  # rules read per job or workflow
MAX_SCRIPT_LINES = 2000  # script lines read per job: YAML aliases can nest a short list into millions


def contexts(default: str) -> dict[str, dict[str, str]]:
    base = {"CI": "true", "GITLAB_CI": "true", "CI_DEFAULT_BRANCH": default}
    on = {"CI_COMMIT_BRANCH": default, "CI_COMMIT_REF_NAME": default, "CI_COMMIT_REF_SLUG": default,
          "CI_COMMIT_REF_PROTECTED": "true"}
    other = {"CI_COMMIT_BRANCH": OTHER_BRANCH, "CI_COMMIT_REF_NAME": OTHER_BRANCH,
             "CI_COMMIT_REF_SLUG": "feature-change", "CI_COMMIT_REF_PROTECTED": "false"}
    mr = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": default, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": OTHER_BRANCH,
          "CI_MERGE_REQUEST_IID": "1", "CI_MERGE_REQUEST_ID": "1", "CI_MERGE_REQUEST_EVENT_TYPE": "detached",
          "CI_COMMIT_REF_NAME": OTHER_BRANCH, "CI_COMMIT_REF_SLUG": "feature-change"}
    return {PUSH: base | on | {"CI_PIPELINE_SOURCE": "push"},
            PUSH_OTHER: base | other | {"CI_PIPELINE_SOURCE": "push"},
            MR: base | mr | {"CI_PIPELINE_SOURCE": "merge_request_event"},
            SCHEDULE: base | on | {"CI_PIPELINE_SOURCE": "schedule"}}


# -- configuration -------------------------------------------------------------------------------
@dataclass
class Source:
    """Where a job's keys were written: the file, its parsed YAML and the job's name in it."""

    path: str
    doc: YamlDoc
    lines: list[str]
    name: str


@dataclass
class Config:
    jobs: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    top: dict[str, Any] = field(default_factory=dict)  # variables, default, workflow, before_script
    top_source: dict[str, Source] = field(default_factory=dict)


def load(ctx: ProbeContext, f: RepoFile) -> tuple[YamlDoc, str] | None:
    text = ctx.store.text(f)
    if text is None:
        return None
    if "!reference" not in text:
        doc = ctx.store.yaml(f)
        return (doc, text) if doc is not None else None
    try:  # `!reference [.job, script]` read as the plain list it names, resolved below
        return load_yaml(re.sub(r"!reference\s*(?=\[)", "", text)), text
    except YamlSyntaxError as exc:
        ctx.store.warn(f.path, str(exc), line=exc.line)
        return None


def read_config(ctx: ProbeContext, f: RepoFile, depth: int = 0, cfg: Config | None = None,
                seen: set[str] | None = None) -> Config:
    """A pipeline file with its local includes; a file included twice (or including itself) is read once."""
    cfg = cfg if cfg is not None else Config()
    seen = seen if seen is not None else set()
    if f.path in seen:
        return cfg
    seen.add(f.path)
    loaded = load(ctx, f)
    if loaded is None or not isinstance(loaded[0].data, dict):
        return cfg
    doc, text = loaded
    lines = text.splitlines()
    if depth < 4:
        for inc in _local_includes(ctx, doc.data.get("include")):
            read_config(ctx, inc, depth + 1, cfg, seen)
    for key, value in doc.data.items():
        key = str(key)
        if key in RESERVED:
            cfg.top[key] = value
            cfg.top_source[key] = Source(f.path, doc, lines, key)
        elif isinstance(value, dict):
            cfg.jobs[key] = value
            cfg.sources[key] = Source(f.path, doc, lines, key)
    return cfg


def _local_includes(ctx: ProbeContext, include: Any) -> list[RepoFile]:
    out = []
    for item in as_list(include):
        path = item if isinstance(item, str) and "://" not in item else item.get("local") if isinstance(item, dict) else None
        if not isinstance(path, str):
            continue  # project:, remote:, template:, component: live outside the repository
        path = path.lstrip("/")
        if any(c in path for c in "*?["):
            out += [f for f in ctx.repo.files if glob_match(path, f.path) and f.path.endswith((".yml", ".yaml"))]
        elif ctx.repo.get(path) is not None:
            out.append(ctx.repo.get(path))
    return out


def resolved(cfg: Config, name: str, seen: frozenset[str] = frozenset()) -> tuple[dict, dict[str, Source]]:
    """A job with its `extends:` merged in, and where each top-level key came from."""
    job = cfg.jobs.get(name, {})
    merged: dict = {}
    origin: dict[str, Source] = {}
    for parent in as_list(job.get("extends")):
        if isinstance(parent, str) and parent in cfg.jobs and parent not in seen:
            p_job, p_origin = resolved(cfg, parent, seen | {name})
            merged = _deep_merge(merged, p_job)
            origin.update(p_origin)
    merged = _deep_merge(merged, job)
    origin.update({k: cfg.sources[name] for k in job})
    return merged, origin


def _deep_merge(a: dict, b: dict) -> dict:
    out = copy.copy(a)
    for k, v in b.items():
        out[k] = _deep_merge(out[k], v) if isinstance(out.get(k), dict) and isinstance(v, dict) else v
    return out


# -- jobs ------------------------------------------------------------------------------------------
def gitlab_jobs(ctx: ProbeContext, branches: frozenset[str]) -> list[Job] | None:
    f = ctx.repo.get(".gitlab-ci.yml") or ctx.repo.get(".gitlab-ci.yaml")
    if f is None:
        return None
    return _jobs(ctx, read_config(ctx, f), branches, parent=None, pipelines=frozenset({f.path}))


def _jobs(ctx: ProbeContext, cfg: Config, branches: frozenset[str], parent: set[str] | None,
          pipelines: frozenset[str]) -> list[Job]:
    """`pipelines`: the files of this pipeline and of the parents that triggered it."""
    variables = _variables(cfg.top.get("variables"))
    schedule_workflow = _schedule_rule_line(cfg)
    out: list[Job] = []
    for name in cfg.jobs:
        if len(out) >= MAX_JOBS:
            break
        if name.startswith("."):
            continue  # hidden jobs are templates
        job, origin = resolved(cfg, name)
        if "script" not in job and "trigger" not in job:
            continue
        allowed: dict[str, tuple[bool, bool, int | None]] = {}
        for default in sorted(branches):
            for label, env in contexts(default).items():
                if parent is not None:
                    if label not in parent:
                        continue
                    env = env | {"CI_PIPELINE_SOURCE": CHILD}
                env = env | variables | _variables(job.get("variables"))
                if not _workflow_allows(ctx, cfg, env, label):
                    continue
                runs, manual, line = _job_runs(ctx, job, origin, env, label)
                previous = allowed.get(label)
                if previous is None or (runs and not previous[0]):
                    allowed[label] = (runs, manual, line)
        trigger = _trigger(allowed, branches, origin, job, schedule_workflow)
        if "trigger" in job:
            out += _child(ctx, job, branches, {k for k, v in allowed.items() if v[0]}, pipelines)
            continue
        out.append(Job(SYSTEM, cfg.sources[name].path, name, _line(cfg.sources[name], ()), trigger,
                       _commands(cfg, job, origin), uses=[u for u in [as_text(job.get("image"))] if u]))
    return out


def _variables(value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in (value or {}).items() if isinstance(value, dict) else []:
        v = v.get("value") if isinstance(v, dict) else v
        if isinstance(v, (str, int, float, bool)):  # what GitLab accepts as a variable's value
            out[str(k)] = str(v).lower() if isinstance(v, bool) else str(v)
    return out


def _workflow_allows(ctx: ProbeContext, cfg: Config, env: dict[str, str], label: str) -> bool:
    workflow = cfg.top.get("workflow")
    rules = workflow.get("rules") if isinstance(workflow, dict) else None
    if not isinstance(rules, list):
        return True
    for rule in _flat(rules):
        if isinstance(rule, dict) and _rule_matches(ctx, rule, env, label):
            return rule.get("when") != "never"
    return False


def _rule_matches(ctx: ProbeContext, rule: dict, env: dict[str, str], label: str) -> bool:
    if "if" in rule and (not isinstance(rule["if"], str) or evaluate(rule["if"], env) is not True):
        return False
    changes = rule.get("changes")
    if changes is not None and label in (PUSH, PUSH_OTHER, MR):
        patterns = changes.get("paths") if isinstance(changes, dict) else changes
        if not paths_admit_code(ctx, strings(patterns), None):
            return False
    exists = rule.get("exists")
    if exists is not None:
        patterns = exists.get("paths") if isinstance(exists, dict) else exists
        if not any(paths_exist(ctx, p) for p in strings(patterns)):
            return False
    return True


def _job_runs(ctx: ProbeContext, job: dict, origin: dict[str, Source], env: dict[str, str],
              label: str) -> tuple[bool, bool, int | None]:
    """(runs automatically, runs when started by hand, the line that decided) in one pipeline."""
    if "rules" in job:
        for i, rule in enumerate(_flat(as_list(job["rules"]))):
            if isinstance(rule, dict) and _rule_matches(ctx, rule, env, label):
                when = as_text(rule.get("when", job.get("when")), "on_success")
                return when not in ("never", "manual"), when == "manual", _line(origin.get("rules"), ("rules", i))
        return False, False, None
    refs = _refs_match(job.get("only"), env, label, default=True)
    if job.get("except") is not None and _refs_match(job.get("except"), env, label, default=False):
        refs = False
    when = as_text(job.get("when"), "on_success")
    return refs and when not in ("manual", "never"), refs and when == "manual", _line(origin.get("only"), ("only",))


def _refs_match(spec: Any, env: dict[str, str], label: str, default: bool) -> bool:
    """`only:`/`except:` in its list or `refs:`/`variables:` form."""
    if spec is None:
        return label != MR if default else False  # `only: [branches, tags]` is the default
    refs = spec.get("refs") if isinstance(spec, dict) else spec
    ok = True
    if refs is not None:
        branch = env.get("CI_COMMIT_BRANCH")
        names = {PUSH: {"branches", "pushes"}, PUSH_OTHER: {"branches", "pushes"}, MR: {"merge_requests"},
                 SCHEDULE: {"schedules"}, CHILD: {"pipelines"}}.get(label, set())
        ok = False
        for r in strings(refs):
            if r in names:
                ok = True
            elif branch and label != MR and (r == branch or (r.startswith("/") and _safe_search(r, branch))):
                ok = True
    if ok and isinstance(spec, dict) and spec.get("variables") is not None:
        ok = any(evaluate(e, env) is True for e in strings(spec["variables"]))
    if ok and isinstance(spec, dict) and spec.get("changes") is not None and label in (PUSH, PUSH_OTHER, MR):
        ok = True  # a code change is what we imagine
    return ok


def _safe_search(pattern: str, text: str) -> bool:
    """`only: [/^release-.*/]`: a pattern that was not run may match (see ci_gitlab_rules.evaluate)."""
    return match(pattern, text) is not False


def _trigger(allowed: dict[str, tuple[bool, bool, int | None]], branches: frozenset[str],
             origin: dict[str, Source], job: dict, schedule_workflow: int | None) -> Trigger:
    runs = {label for label, (r, _, _) in allowed.items() if r}
    t = Trigger(events=sorted({"pull_request" if r == MR else "push" if r.startswith("push") else r for r in runs}))
    if PUSH in runs:
        t.on_change.append("push")
        t.branches = ["*"] if PUSH_OTHER in runs else sorted(branches)
    if MR in runs:
        t.on_change.append("pull_request")
        t.branches = sorted(set(t.branches) | {"*"})
    asked = _schedule_rule(job, origin)
    if asked is not None:
        t.crons.append(Cron(asked or None, None, "GitLab pipeline schedules"))
        t.events = sorted(set(t.events) | {"schedule"})
    elif SCHEDULE in runs and schedule_workflow is not None and not t.on_change:
        t.crons.append(Cron(schedule_workflow or None, None, "GitLab pipeline schedules"))
    if not t.on_change:
        manual = any(m for _, m, _ in allowed.values())
        t.why_not = ("only when started by hand (`when: manual`)" if manual else
                     "only in scheduled pipelines" if SCHEDULE in runs else
                     "only on push to other branches" if PUSH_OTHER in runs else
                     f"its rules match no push or merge request to {'/'.join(sorted(branches))}")
        if manual:
            t.events.append("manual")
    return t


def _schedule_rule_line(cfg: Config) -> int | None:
    """The line of a `workflow:` rule that admits scheduled pipelines, if there is one."""
    workflow = cfg.top.get("workflow")
    rules = workflow.get("rules") if isinstance(workflow, dict) else None
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, dict) and "schedule" in _text(rule.get("if")) and rule.get("when") != "never":
            return _line(cfg.top_source["workflow"], ("rules", i)) or 0
    return None


SCHEDULE_IF = re.compile(r"CI_PIPELINE_SOURCE\}?\s*(?:==\s*[\"']schedule[\"']|=~\s*/[^/]*schedule)")


def _schedule_rule(job: dict, origin: dict[str, Source]) -> int | None:
    """The line of a rule that asks for scheduled pipelines (0 when it has no line), else None.
    A scheduled pipeline runs every job; only a job that asks for one shows that a schedule exists,
    whatever other variables the schedule sets."""
    for i, rule in enumerate(_flat(as_list(job.get("rules")))):
        if isinstance(rule, dict) and SCHEDULE_IF.search(_text(rule.get("if"))) and rule.get("when") != "never":
            return _line(origin.get("rules"), ("rules", i)) or 0
    only = job.get("only")
    refs = only.get("refs") if isinstance(only, dict) else only
    if "schedules" in strings(refs):
        return _line(origin.get("only"), ()) or 0
    return None


def _child(ctx: ProbeContext, job: dict, branches: frozenset[str], labels: set[str],
           pipelines: frozenset[str]) -> list[Job]:
    """The jobs of a child pipeline. A child that triggers one of its own parents (or itself)
    would recurse without end in mlaudit; GitLab stops such chains after a few levels, and
    their jobs were already read once."""
    spec = job.get("trigger")
    include = spec.get("include") if isinstance(spec, dict) else None
    files = [f for f in _local_includes(ctx, include) if f.path not in pipelines]
    if not files or len(pipelines) > MAX_CHILD_DEPTH:
        return []
    cfg = Config()
    for f in files:
        read_config(ctx, f, 0, cfg)
    return _jobs(ctx, cfg, branches, parent=labels, pipelines=pipelines | {f.path for f in files})


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _flat(items: list, out: list | None = None, depth: int = 0) -> list:
    """Rules with the lists that `!reference` splices in flattened. Bounded: YAML aliases can
    nest a short list into millions of items."""
    out = [] if out is None else out
    for item in items:
        if len(out) >= MAX_RULES:
            break
        if not isinstance(item, list):
            out.append(item)
        elif depth < 4:
            _flat(item, out, depth + 1)
    return out


def _line(source: Source | None, loc: tuple) -> int | None:
    if source is None:
        return None
    return source.doc.lines.get((source.name,) + loc) or source.doc.lines.get((source.name,))


def _commands(cfg: Config, job: dict, origin: dict[str, Source]) -> list[CommandLine]:
    out: list[CommandLine] = []
    default = cfg.top.get("default") if isinstance(cfg.top.get("default"), dict) else {}
    for key in ("before_script", "script"):
        if key in job:
            out += _script(cfg, job[key], origin.get(key), (key,))
        elif key == "before_script" and (default.get(key) or cfg.top.get(key)):
            top = "default" if default.get(key) else key
            src = cfg.top_source[top]
            out += _script(cfg, default.get(key) or cfg.top[key], src, (key,) if top == "default" else ())
    return out


def _script(cfg: Config, value: Any, source: Source | None, loc: tuple, depth: int = 0) -> list[CommandLine]:
    if source is None:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[CommandLine] = []
    for i, item in enumerate(items):
        here = loc + (i,) if isinstance(value, list) else loc
        if isinstance(item, str):
            node = _line(source, here)
            out += command_lines(source.path, script_lines(item, source.lines, node))
        elif isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item) and depth < 4 \
                and item[0] in cfg.jobs:
            ref_job, ref_origin = resolved(cfg, item[0])  # !reference [.job, script]
            out += _script(cfg, ref_job.get(item[1]), ref_origin.get(item[1]), (item[1],), depth + 1)
        elif isinstance(item, list) and depth < 4:  # nested lists: `!reference`s spliced in
            out += _script(cfg, item, source, here, depth + 1)
        if len(out) > MAX_SCRIPT_LINES:
            break
    return out
