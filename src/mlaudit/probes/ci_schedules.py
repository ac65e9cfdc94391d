"""Schedules that live in code rather than in CI files: Airflow DAGs, Prefect deployments,
Dagster schedules, Kubeflow recurring runs, Modal crons, and Kubernetes CronJob / Argo
CronWorkflow manifests. Also says in a few words what a scheduled job runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mlaudit.facts.model import Call, Value
from mlaudit.probes.ci_indirection import Resolver
from mlaudit.probes.ci_model import CommandLine, as_list, as_text, short, strings
from mlaudit.probes.ci_shell import simple_commands, tokens, unwrap
from mlaudit.probes.context import ProbeContext
from mlaudit.yamlsource import YamlSyntaxError, load_yaml

AIRFLOW_DAG = frozenset({"airflow.DAG", "airflow.models.DAG", "airflow.models.dag.DAG", "airflow.decorators.dag",
                         "airflow.sdk.DAG", "airflow.sdk.dag", "airflow.models.dag.dag", "airflow.decorators.dag.dag"})
AIRFLOW_SCHEDULE_KWARGS = ("schedule", "schedule_interval", "timetable")
PREFECT_SCHEDULES = frozenset({"CronSchedule", "IntervalSchedule", "RRuleSchedule", "Cron", "Interval", "RRule"})
PREFECT_METHODS = (".serve", ".deploy", ".to_deployment")
DAGSTER_SCHEDULES = frozenset({"ScheduleDefinition", "schedule", "build_schedule_from_partitioned_job",
                               "daily_schedule", "hourly_schedule", "weekly_schedule", "monthly_schedule"})
ORCHESTRATORS = frozenset({"airflow", "prefect", "dagster", "kfp", "modal"})
MANIFEST_KIND = re.compile(r"^[ \t]*kind:[ \t]*[\"']?(CronJob|CronWorkflow)\b", re.MULTILINE)
# Manifests are read only where their path says they deploy or schedule something: reading
# every YAML file of a large repository to find a `kind:` line would cost more than the rest.
MANIFEST_PATH = re.compile(r"(?i)k8s|kube|cron|job|argo|schedul|deploy|manifest|helm|chart|infra|workflow|batch|"
                           r"pipeline|ops|cluster")
MAX_MANIFESTS = 3000
MAX_MANIFEST_SIZE = 256_000
# Set-up commands that say nothing about what a scheduled job is for.
SETUP = frozenset({"echo", "cd", "pip", "pip3", "apt", "apt-get", "export", "mkdir", "git", "ls", "cat", "conda",
                   "mamba", "source", "set", "curl", "wget", "mv", "cp", "rm", "printf", "chmod", "touch", "which",
                   "env", "npm", "yarn", "brew", "sudo", "tar", "unzip", "gcloud", "aws", "az", "docker", "df",
                   "nvidia-smi", "uv", "poetry", "pdm", "pipx", "python -m pip", "true", "sleep", "date", "whoami"})


@dataclass
class Schedule:
    system: str
    path: str
    line: int | None
    cell: int | None
    cron: str | None
    runs: str
    runs_tests: bool = False


def describe_commands(commands: list[CommandLine], uses: list[str]) -> str:
    """What a job is for, from its first command that is not set-up."""
    for c in commands:
        for part in simple_commands(c.text):
            words = unwrap(tokens(part))
            if not words:
                continue
            program = words[0].rsplit("/", 1)[-1]
            if program in SETUP or (len(words) > 2 and words[1:3] == ["-m", "pip"]) or \
                    (len(words) > 1 and words[1] in ("install", "sync", "login", "config", "auth")):
                continue
            return f"{_purpose(part)}`{short(part, 80)}`"
    actions = [u for u in uses if not u.startswith(("actions/checkout", "actions/setup-", "actions/cache"))]
    if actions:
        return f"`{actions[0]}`"
    return "no command that mlaudit can read"


def _purpose(command: str) -> str:
    lowered = command.lower()
    for word, label in (("train", "training"), ("eval", "evaluation"), ("benchmark", "benchmarks"),
                        ("dvc repro", "pipeline"), ("validat", "validation"), ("data", "data")):
        if word in lowered:
            return f"{label}: "
    return ""


def code_schedules(ctx: ProbeContext, resolver: Resolver) -> list[Schedule]:
    out: list[Schedule] = []
    for f, facts in ctx.code(include_tests=False):
        roots = {i.module.split(".")[0] for i in facts.python.imports}
        if not roots & ORCHESTRATORS:
            continue
        calls = facts.python.calls
        dags = sorted((c.cell or 0, c.line) for c in calls if c.name in AIRFLOW_DAG)
        for call in calls:
            found = _schedule_of(call, roots)
            if found is None:
                continue
            system, cron, what = found
            runs_tests = False
            if system == "airflow":
                if what == "an Airflow DAG" and call.name.endswith(".dag"):  # @dag: the DAG is the function
                    fn = min((fn for fn in facts.python.functions if fn.line > call.line and fn.cell == call.cell),
                             key=lambda fn: fn.line, default=None)
                    what = f"Airflow DAG `{fn.name}`" if fn else what
                # A DAG's tasks are the operators after it and before the next DAG (`with DAG(...):` blocks).
                here = (call.cell or 0, call.line)
                later = [d for d in dags if d > here]
                tasks = [c for c in calls if here <= (c.cell or 0, c.line) < (later[0] if later else (1 << 30, 0))]
                what, runs_tests = _airflow_tasks(what, tasks, resolver)
            out.append(Schedule(system, f.path, call.line, call.cell, cron, what, runs_tests))
    return out + _manifests(ctx, resolver) + _prefect_yaml(ctx)


def _schedule_of(call: Call, roots: set[str]) -> tuple[str, str, str] | None:
    name, kw = call.name, call.kwargs
    if name in AIRFLOW_DAG:
        value = next((kw[k] for k in AIRFLOW_SCHEDULE_KWARGS if k in kw), None)
        if value is None or value == Value("const", None):
            return None
        dag_id = kw["dag_id"].value if "dag_id" in kw and kw["dag_id"].kind == "const" else \
            call.args[0].value if call.args and call.args[0].kind == "const" else None
        return "airflow", _show(value), f"Airflow DAG `{dag_id}`" if dag_id else "an Airflow DAG"
    last = name.rsplit(".", 1)[-1]
    if name.startswith("prefect.") and last in PREFECT_SCHEDULES:
        value = kw.get("cron") or kw.get("interval") or kw.get("rrule") or (call.args[0] if call.args else None)
        return ("prefect", _show(value), "a Prefect deployment") if value is not None else None
    if "prefect" in roots and name.endswith(PREFECT_METHODS):
        value = next((kw[k] for k in ("cron", "interval", "rrule") if k in kw and kw[k] != Value("const", None)), None)
        flow = name.rsplit(".", 1)[0]
        return ("prefect", _show(value), f"Prefect flow `{flow}`") if value is not None else None
    if name.startswith("dagster.") and last in DAGSTER_SCHEDULES:
        value = kw.get("cron_schedule") or (call.args[0] if call.args and last == "schedule" else None)
        job = kw.get("job") or kw.get("job_name")
        what = f"Dagster job `{job.value if job.kind in ('const', 'name') else '?'}`" if job else "a Dagster job"
        return "dagster", _show(value) if value is not None else last, what
    if "kfp" in roots and name.endswith("create_recurring_run"):
        value = kw.get("cron_expression") or kw.get("interval_second")
        return ("kubeflow", _show(value), "a Kubeflow recurring run") if value is not None else None
    if name in ("modal.Cron", "modal.Period") and (call.args or call.kwargs):
        return "modal", _show(call.args[0] if call.args else next(iter(call.kwargs.values()))), "a Modal function"
    return None


def _show(value: Value | None) -> str:
    if value is None:
        return "?"
    if value.kind == "const":
        return str(value.value)
    if value.kind == "call":
        return f"{value.value}(...)"
    if value.kind == "name":
        return str(value.local or value.value)
    return "an expression"


def _airflow_tasks(what: str, calls: list[Call], resolver: Resolver) -> tuple[str, bool]:
    for c in calls:
        if not (c.name.endswith("BashOperator") and "bash_command" in c.kwargs):
            continue
        command = c.kwargs["bash_command"]
        if command.kind == "const" and isinstance(command.value, str):
            if resolver.line_chain(command.value) is not None:
                return f"{what}, tests: `{short(command.value, 80)}`", True
    operators = sorted({c.name.rsplit(".", 1)[-1] for c in calls if c.name.endswith("Operator")})
    return (f"{what} ({', '.join(operators[:4])})" if operators else what), False


def _manifests(ctx: ProbeContext, resolver: Resolver) -> list[Schedule]:
    out: list[Schedule] = []
    candidates = [f for f in ctx.repo.files if f.path.endswith((".yaml", ".yml")) and not f.is_symlink
                  and f.size < MAX_MANIFEST_SIZE and not f.path.startswith((".github/", ".gitlab", ".circleci/"))
                  and MANIFEST_PATH.search(f.path)]
    for f in candidates[:MAX_MANIFESTS]:
        text = ctx.store.text(f, keep=False)  # skimmed once; the few manifests found are parsed below
        if text is None or not MANIFEST_KIND.search(text):
            continue
        offset = 0
        for chunk in re.split(r"(?m)^---[^\n]*\n", text):
            kind = MANIFEST_KIND.search(chunk)
            if kind:
                out.append(_manifest(f.path, chunk, offset, kind.group(1), resolver))
            offset += chunk.count("\n") + 1
    return out


def _manifest(path: str, chunk: str, offset: int, kind: str, resolver: Resolver) -> Schedule:
    sched = re.search(r"(?m)^[ \t]*schedule:[ \t]*(\"[^\"\n]*\"|'[^'\n]*'|[^#\n]*)", chunk)
    line = offset + chunk.count("\n", 0, sched.start(1)) + 1 if sched else offset + 1
    cron = sched.group(1).strip().strip("'\"") if sched else None
    command = None
    try:
        data = load_yaml(chunk).data
    except YamlSyntaxError:
        data = None  # a Helm template: `{{ ... }}` is not YAML
    for container in _containers(data, kind):
        words = strings(container.get("command")) + strings(container.get("args"))
        if isinstance(container.get("source"), str):
            words = [container["source"]]
        if words:
            command = " ".join(words) if not (len(words) >= 3 and words[1] == "-c") else words[2]
            break
    system = "kubernetes" if kind == "CronJob" else "argo"
    if command is None:
        return Schedule(system, path, line, None, cron, f"a {kind} (command not read)")
    tests = resolver.line_chain(command) is not None
    prefix = "tests: " if tests else _purpose(command)
    return Schedule(system, path, line, None, cron, f"{prefix}`{short(command, 80)}`", tests)


def _containers(data: Any, kind: str) -> list[dict]:
    def dig(node: Any, *keys: str) -> Any:
        for k in keys:
            node = node.get(k) if isinstance(node, dict) else None
        return node
    if kind == "CronJob":
        return [c for c in as_list(dig(data, "spec", "jobTemplate", "spec", "template", "spec", "containers"))
                if isinstance(c, dict)]
    out = []
    for t in as_list(dig(data, "spec", "workflowSpec", "templates")):
        for key in ("container", "script"):
            if isinstance(dig(t, key), dict):
                out.append(dig(t, key))
    return out


def _prefect_yaml(ctx: ProbeContext) -> list[Schedule]:
    out: list[Schedule] = []
    for f in ctx.files("prefect.yaml", "prefect.yml"):
        doc = ctx.store.yaml(f)
        if doc is None or not isinstance(doc.data, dict):
            continue
        for i, dep in enumerate(as_list(doc.data.get("deployments"))):
            if not isinstance(dep, dict):
                continue
            entries = as_list(dep.get("schedules")) + ([dep["schedule"]] if isinstance(dep.get("schedule"), dict) else [])
            for j, s in enumerate(entries):
                value = next((s.get(k) for k in ("cron", "interval", "rrule") if isinstance(s, dict) and s.get(k)), None)
                if value is not None:
                    line = doc.lines.get(("deployments", i, "schedules", j)) or doc.lines.get(("deployments", i))
                    out.append(Schedule("prefect", f.path, line, None, as_text(value, "?"),
                                        f"Prefect deployment `{as_text(dep.get('name'), '?')}` "
                                        f"({as_text(dep.get('entrypoint'), '?')})"))
    return out

