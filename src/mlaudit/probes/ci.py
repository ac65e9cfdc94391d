"""CI that runs the test suite, and anything that runs on a schedule (ML Test Score: a full point
needs "a system in place to run that test automatically on a repeated basis").

The CI readers (ci_github, ci_gitlab, ci_systems) turn each system's configuration into jobs
with their triggers and command lines; ci_indirection follows each command (make, tox, nox,
pre-commit, scripts) to the line that runs a test runner; ci_schedules finds schedules kept in
code (Airflow, Prefect, Dagster, Kubernetes CronJobs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlaudit.probes.ci_github import github_jobs, workflow_files
from mlaudit.probes.ci_gitlab import gitlab_jobs
from mlaudit.probes.ci_indirection import Resolver
from mlaudit.probes.ci_model import Chain, CommandLine, Cron, Job, Link, Trigger, default_branches, short
from mlaudit.probes.ci_schedules import code_schedules, describe_commands
from mlaudit.probes.ci_systems import OTHER_SYSTEMS
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

MAX_EVIDENCE = 30
IGNORED_FAILURE = re.compile(r"\|\|\s*(?:true|:|exit 0)\s*$")
# CI configuration files besides GitHub's and GitLab's, by system (other probes read this list).
OTHER_CI = {
    "azure-pipelines.yml": "azure-pipelines", ".circleci/config.yml": "circleci", "Jenkinsfile": "jenkins",
    "bitbucket-pipelines.yml": "bitbucket", "cloudbuild.yaml": "cloud-build", "cloudbuild.yml": "cloud-build",
    ".travis.yml": "travis",
}
# Systems whose schedules are set in a web UI or API rather than in the repository.
SCHEDULES_ELSEWHERE = {"gitlab-ci": "GitLab pipeline schedules", "circleci": "CircleCI scheduled pipelines",
                       "bitbucket": "Bitbucket pipeline schedules", "travis": "Travis cron jobs",
                       "cloud-build": "Cloud Scheduler", "jenkins": "Jenkins job configuration"}


@dataclass
class SuiteRun:
    job: Job
    command: CommandLine | None  # None for a test run that is not a command line (an orb's test job)
    chain: Chain
    trigger: Trigger

    @property
    def where(self) -> tuple[str, int | None]:
        return (self.command.path, self.command.line) if self.command else (self.job.path, self.job.line)

    def links(self) -> list[str]:
        head = Link(*self.where, self.command.text if self.command else self.job.implicit_test or "")
        return [str(head)] + [str(link) for link in self.chain]

    def detail(self) -> str:
        what = f"`{short(self.command.text)}`" if self.command else self.job.implicit_test
        via = self.command.via if self.command and self.command.via else self.job.via
        job = f"(job {self.job.name}" + (f", via {via})" if via else ")")
        if self.command and IGNORED_FAILURE.search(self.command.text):
            job += "; its failures are ignored (`|| true`)"
        if not self.trigger.on_change:
            return f"{self.job.system} runs {what} {job}, never on a change: {self.trigger.describe()}" + \
                "".join(f" → {link}" for link in self.chain)
        return f"{self.job.system} runs {what} {self.trigger.describe()} {job}" + \
            "".join(f" → {link}" for link in self.chain)


def collect_jobs(ctx: ProbeContext) -> tuple[list[Job], list[str]]:
    return ctx.shared("ci.jobs", _collect_jobs)


def _collect_jobs(ctx: ProbeContext) -> tuple[list[Job], list[str]]:
    branches = default_branches(ctx)
    systems: list[str] = []
    jobs: list[Job] = []
    if workflow_files(ctx):
        systems.append("github-actions")
        jobs += github_jobs(ctx, branches)
    found = gitlab_jobs(ctx, branches)
    if found is not None:
        systems.append("gitlab-ci")
        jobs += found
    for system, reader in OTHER_SYSTEMS.items():
        found = reader(ctx, branches)
        if found is not None:
            systems.append(system)
            jobs += found
    return jobs, systems


def find_suite_runs(ctx: ProbeContext, jobs: list[Job]) -> list[SuiteRun]:
    resolver = Resolver(ctx)
    runs: list[SuiteRun] = []
    for job in jobs:
        if job.implicit_test:
            runs.append(SuiteRun(job, None, [], job.trigger))
        for command in job.commands:
            chain = resolver.line_chain(command.text, command.cwd)
            if chain is not None:
                runs.append(SuiteRun(job, command, chain, command.trigger or job.trigger))
    return runs


def _canonical(run: SuiteRun) -> int:
    """Sort key that puts a run of the suite (pytest, tox...) before a run of single test files."""
    text = run.command.text if run.command else ""
    suite = any(w in text for w in ("pytest", "unittest", "tox", "nox", "make", "hatch"))
    return (0 if suite else 2) + (1 if ".py" in text else 0)


def _unique(runs: list[SuiteRun]) -> list[SuiteRun]:
    """One run per line; a line reached twice (a reusable workflow called from two workflows)
    counts on change if any of its callers runs it on change."""
    seen, out = set(), []
    for r in sorted(runs, key=lambda r: not r.trigger.on_change):
        if r.where not in seen:
            seen.add(r.where)
            out.append(r)
    return out


@probe("ci.runs_tests", outcomes={Outcome.true, Outcome.false})
def ci_runs_tests(ctx: ProbeContext) -> ProbeResult:
    """Does a CI configuration run the test suite when code is pushed or a pull request opens?

    Reads the structure of GitHub Actions workflows (with local composite actions and reusable
    workflows), GitLab CI (`rules:`, `only:`/`except:`, `workflow:`, local `include:`), Azure
    Pipelines (`trigger:`/`pr:`), CircleCI (workflows, branch filters, scheduled triggers),
    Bitbucket Pipelines (default, branches, pull-requests), Travis, Jenkinsfiles (`sh` steps)
    and Cloud Build steps. Jenkins and Cloud Build keep their triggers outside the repository;
    their jobs are assumed to run on push and the evidence says so.
    Each command is followed to the line that runs a test runner (pytest, unittest, nose,
    `hatch test`; runners of other languages do not count, since the ML Test Score is about the
    Python model and data code): `make test` to the Makefile recipe and its prerequisites, tox envs to their
    `commands`, nox sessions to `session.run(...)`, `pre-commit run` to hook entries, scripts
    to their lines, hatch/poe/pdm scripts, just recipes and invoke tasks to their commands.
    Installing pytest, printing it, `pytest --collect-only` or `--version`, and targets or envs
    that only lint are not test runs. A job counts when it runs on push or on a pull request
    into the default branch (the checked-out branch; main/master when unknown): a push filter
    on other branches, tags only, `paths:` filters that admit no code, `if: false`, manual or
    scheduled runs do not count. Evidence: the CI line that starts the tests, with the chain.
    Values: `systems` seen, on-change `triggers` and `branches` ("*" = any), `test_steps`
    (how many CI lines run tests on change), `runs` (each with its `chain` of lines, at most 30)
    and `assumed_triggers` (systems whose triggers were assumed).
    """
    jobs, systems = collect_jobs(ctx)
    runs = _unique(find_suite_runs(ctx, jobs))
    on_change = [r for r in runs if r.trigger.on_change]
    values = {
        "systems": sorted(systems),
        "triggers": sorted({t for r in on_change for t in r.trigger.on_change}),
        "branches": sorted({b for r in on_change for b in r.trigger.branches}),
        "test_steps": len(on_change),
        "runs": [{"system": r.job.system, "path": r.where[0], "line": r.where[1], "triggers": r.trigger.on_change,
                  "branches": r.trigger.branches, "chain": r.links()} for r in on_change[:MAX_EVIDENCE]],
        "assumed_triggers": sorted({r.job.system for r in on_change if r.trigger.assumed}),
    }
    if on_change:
        return ProbeResult(outcome=Outcome.true, values=values, evidence=[
            Evidence(path=r.where[0], line=r.where[1], detail=r.detail()) for r in on_change[:MAX_EVIDENCE]])
    if runs:
        return ProbeResult(outcome=Outcome.false, values=values,
                           message="CI runs tests, but never on push or pull request to the default branch",
                           evidence=[Evidence(path=r.where[0], line=r.where[1], detail=r.detail())
                                     for r in runs[:MAX_EVIDENCE]])
    message = "CI is configured but runs no test command" if systems else "no CI configuration found"
    return ProbeResult(outcome=Outcome.false, values=values, message=message)


@probe("ci.scheduled", outcomes={Outcome.true, Outcome.false})
def ci_scheduled(ctx: ProbeContext) -> ProbeResult:
    """Does anything run on a schedule (cron): tests, training, evaluation, data checks?

    CI schedules: GitHub `on: schedule: - cron:`, Azure `schedules:`, CircleCI workflow
    `triggers: - schedule:`, Jenkins `cron(...)` triggers. GitLab, CircleCI pipeline, Travis
    and Bitbucket schedules are set outside the repository; a job that only runs in such a
    pipeline (`rules: - if: $CI_PIPELINE_SOURCE == "schedule"`, `only: [schedules]`,
    `when: ... scheduled_pipeline`, `if: type = cron`) shows one exists, without its times.
    Schedules in code: Airflow DAGs with a `schedule`/`schedule_interval` that is not None,
    Prefect deployments and schedules, Dagster schedules, Kubeflow recurring runs, Modal crons,
    and Kubernetes CronJob / Argo CronWorkflow manifests. Evidence: the cron line, with what
    the scheduled job runs; a test command is followed as for ci.runs_tests.
    Values: `schedules` (each with `system`, `cron` (None when kept outside the repository),
    `runs_tests`, `runs` and where it is; at most 50) and `runs_tests` (any of them runs tests).
    """
    jobs, systems = collect_jobs(ctx)
    runs = find_suite_runs(ctx, jobs)
    groups: dict[tuple, tuple[Cron, list[Job]]] = {}
    for job in jobs:
        for cron in job.trigger.crons:
            key = (job.system, cron.path or job.path, cron.line, cron.cron)
            groups.setdefault(key, (cron, []))[1].append(job)
    resolver = Resolver(ctx)
    schedules: list[dict] = []
    evidence: list[Evidence] = []
    for (system, path, line, _), (cron, members) in groups.items():
        tests = sorted((r for r in runs if r.job in members and cron in r.trigger.crons), key=_canonical)
        runs_text = f"tests: `{short(tests[0].command.text if tests[0].command else tests[0].job.implicit_test)}`" \
            if tests else describe_commands([c for j in members for c in j.commands], [u for j in members for u in j.uses])
        schedules.append({"system": system, "cron": cron.cron, "runs_tests": bool(tests), "runs": runs_text,
                          "path": path, "line": line})
        when = f"`{cron.cron}`" if cron.cron else f"in {cron.where or SCHEDULES_ELSEWHERE.get(system, 'a schedule')}" \
                                                   " (times set outside the repository)"
        evidence.append(Evidence(path=path, line=line, detail=f"{system} runs on schedule {when}: {runs_text}"))
    for s in code_schedules(ctx, resolver):
        schedules.append({"system": s.system, "cron": s.cron, "runs_tests": s.runs_tests, "runs": s.runs,
                          "path": s.path, "line": s.line})
        evidence.append(Evidence(path=s.path, line=s.line, cell=s.cell,
                                 detail=f"{s.system} schedule `{s.cron}`: {s.runs}"))
    values = {"schedules": schedules[:50], "runs_tests": any(s["runs_tests"] for s in schedules),
              "count": len(schedules)}
    if schedules:
        return ProbeResult(outcome=Outcome.true, values=values, evidence=evidence[:MAX_EVIDENCE])
    elsewhere = [SCHEDULES_ELSEWHERE[s] for s in systems if s in SCHEDULES_ELSEWHERE]
    message = "no schedule found in the repository" + (
        f"; {', '.join(elsewhere)} would not show here" if elsewhere else "")
    return ProbeResult(outcome=Outcome.false, values=values, message=message)
