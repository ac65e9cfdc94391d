"""CI that runs the test suite (ML Test Score: "a system in place to run that test automatically")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe
from mlaudit.repository import RepoFile
from mlaudit.yamlsource import YamlDoc

TEST_COMMAND = re.compile(
    r"(?<![\w.-])(?:py\.test|pytest|python[\d.]*\s+-m\s+(?:pytest|unittest)|tox|nox"
    r"|make\s+(?:test|tests|check)|hatch\s+(?:run\s+)?test|(?:poetry|uv|pdm|pipenv)\s+run\s+(?:pytest|python\s+-m\s+pytest))\b"
)
# A line that installs pytest does not run it.
INSTALLING = re.compile(r"\b(?:pip3?|python[\d.]*\s+-m\s+pip|uv\s+pip|conda|mamba|apt(?:-get)?|poetry\s+add|pipx)\s+install\b|\bpoetry\s+add\b")
ON_CHANGE = frozenset({"push", "pull_request", "pull_request_target", "merge_group"})
# Systems whose trigger syntax we do not read yet; they run on push unless configured otherwise.
OTHER_CI = {
    "azure-pipelines.yml": "azure-pipelines", ".circleci/config.yml": "circleci", "Jenkinsfile": "jenkins",
    "bitbucket-pipelines.yml": "bitbucket", "cloudbuild.yaml": "cloud-build", "cloudbuild.yml": "cloud-build",
    ".travis.yml": "travis",
}


@dataclass
class TestStep:
    system: str
    path: str
    line: int | None
    command: str
    triggers: list[str]


def find_test_command(script: str) -> str | None:
    """The first test command in a shell script, skipping comments and install lines."""
    for line in script.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or INSTALLING.search(stripped):
            continue
        m = TEST_COMMAND.search(stripped)
        if m:
            return m.group(0)
    return None


def _find_line(text: str, start: int | None, needle: str, skip: re.Pattern[str]) -> int | None:
    """The line, at or after `start`, where `needle` appears: a block `run: |` spans many lines."""
    lines = text.splitlines()
    for n in range((start or 1) - 1, len(lines)):
        if needle in lines[n] and not skip.search(lines[n]) and not lines[n].lstrip().startswith("#"):
            return n + 1
    return start


def _github_triggers(on: Any) -> list[str]:
    if isinstance(on, str):
        return [on]
    if isinstance(on, list):
        return [str(t) for t in on]
    if isinstance(on, dict):
        return [str(t) for t in on]
    return []


def github_steps(f: RepoFile, doc: YamlDoc, text: str) -> list[TestStep]:
    data = doc.data if isinstance(doc.data, dict) else {}
    # YAML 1.1 reads the bare key `on` as boolean true.
    triggers = _github_triggers(data.get("on", data.get(True)))
    steps = []
    for job_id, job in (data.get("jobs") or {}).items() if isinstance(data.get("jobs"), dict) else []:
        if not isinstance(job, dict):
            continue
        for i, step in enumerate(job.get("steps") or []):
            run = step.get("run") if isinstance(step, dict) else None
            if not isinstance(run, str):
                continue
            command = find_test_command(run)
            if command:
                line = _find_line(text, doc.lines.get(("jobs", job_id, "steps", i, "run")), command,
                                  skip=INSTALLING)
                steps.append(TestStep("github-actions", f.path, line, command, triggers))
    return steps


def gitlab_steps(f: RepoFile, doc: YamlDoc, text: str) -> list[TestStep]:
    data = doc.data if isinstance(doc.data, dict) else {}
    steps = []
    for job_id, job in data.items():
        if not isinstance(job, dict) or str(job_id).startswith("."):
            continue  # hidden jobs are templates
        for key in ("before_script", "script"):
            script = job.get(key)
            lines = [script] if isinstance(script, str) else script if isinstance(script, list) else []
            for i, cmd in enumerate(lines):
                command = find_test_command(cmd) if isinstance(cmd, str) else None
                if command:
                    line = _find_line(text, doc.lines.get((job_id, key, i), doc.lines.get((job_id, key))), command,
                                      skip=INSTALLING)
                    steps.append(TestStep("gitlab-ci", f.path, line, command, ["push"]))
    return steps


def other_steps(f: RepoFile, system: str, text: str) -> list[TestStep]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("#", "//")) or INSTALLING.search(line):
            continue
        m = TEST_COMMAND.search(line)
        if m:
            out.append(TestStep(system, f.path, n, m.group(0), ["push"]))
            break
    return out


@probe("ci.runs_tests", outcomes={Outcome.true, Outcome.false})
def ci_runs_tests(ctx: ProbeContext) -> ProbeResult:
    """Does a CI configuration run the test suite when code is pushed or a pull request opens?

    Reads GitHub Actions workflows (`on:` triggers and each step's `run:`) and GitLab CI jobs
    (`script:`), and looks for a test command (pytest, `python -m unittest`, tox, nox,
    `make test`, `hatch test`, `poetry/uv/pdm run pytest`) in Azure Pipelines, CircleCI,
    Jenkins, Bitbucket, Cloud Build and Travis files. Evidence: the line that runs the tests.
    A workflow that only runs by hand (`workflow_dispatch`) or on a schedule does not count
    for this probe. Values: CI `systems` seen, `triggers` of the workflows that test.
    """
    systems: set[str] = set()
    steps: list[TestStep] = []
    for f in ctx.files(".github/workflows/*.yml", ".github/workflows/*.yaml"):
        systems.add("github-actions")
        doc, text = ctx.store.yaml(f), ctx.store.text(f)
        if doc is not None and text is not None:
            steps += github_steps(f, doc, text)
    for f in ctx.files(".gitlab-ci.yml"):
        if f.path != ".gitlab-ci.yml":
            continue
        systems.add("gitlab-ci")
        doc, text = ctx.store.yaml(f), ctx.store.text(f)
        if doc is not None and text is not None:
            steps += gitlab_steps(f, doc, text)
    for path, system in OTHER_CI.items():
        f = ctx.repo.get(path)
        if f is not None and not f.is_symlink:
            systems.add(system)
            text = ctx.store.text(f)
            if text is not None:
                steps += other_steps(f, system, text)

    on_change = [s for s in steps if ON_CHANGE & set(s.triggers)]
    values = {"systems": sorted(systems), "triggers": sorted({t for s in on_change for t in s.triggers}),
              "test_steps": len(on_change)}
    if on_change:
        return ProbeResult(outcome=Outcome.true, values=values, evidence=[
            Evidence(path=s.path, line=s.line, detail=f"{s.system} runs `{s.command}` on {', '.join(s.triggers)}")
            for s in on_change])
    if steps:
        return ProbeResult(outcome=Outcome.false, values=values, message="CI runs tests, but never on push or pull request",
                           evidence=[Evidence(path=s.path, line=s.line,
                                              detail=f"runs `{s.command}` only on {', '.join(s.triggers) or 'no trigger'}")
                                     for s in steps])
    message = "CI is configured but runs no test command" if systems else "no CI configuration found"
    return ProbeResult(outcome=Outcome.false, values=values, message=message)
