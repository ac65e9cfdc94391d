"""What the CI readers hand the CI probes: jobs, the commands they run and when they run.

Each CI system has its own trigger syntax; the readers (ci_github, ci_gitlab, ci_systems)
turn it into one `Trigger` per job, already judged against the repository's default branch,
so the probes never need to know which system they are looking at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlaudit.probes.ci_patterns import (  # noqa: F401  (the CI readers import glob_match and invalid_globs from here)
    compile_regex, glob_match, invalid_globs, regex_search,
)
from mlaudit.probes.ci_shell import logical_lines
from mlaudit.probes.context import ProbeContext

# Events that run a job because code changed. Everything else (manual runs, schedules, tags,
# releases, comments, other workflows finishing) needs something besides a change to happen.
ON_CHANGE = frozenset({"push", "pull_request", "merge_group"})
CODE_SUFFIXES = (".py", ".ipynb", ".pyx")
# Jobs and command lines read per CI system and file: reusable workflows, templates and child
# pipelines that call each other many times over would otherwise multiply without bound.
MAX_JOBS = 2000
MAX_COMMANDS = 5000


@dataclass
class Cron:
    line: int | None
    cron: str | None  # None: the job runs on a schedule whose times are kept outside the repository
    where: str = ""  # how the schedule is configured, for the evidence ("GitLab pipeline schedule")
    path: str | None = None  # the file it is written in, when that is not the job's own file


@dataclass
class Trigger:
    """When a job runs. `on_change` is the subset of `events` that fires on a push to, or a pull
    request into, the default branch; `why_not` says why it is empty."""

    events: list[str] = field(default_factory=list)
    on_change: list[str] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)  # branch filters of the on-change events; "*" = any
    why_not: str | None = None
    assumed: bool = False  # the triggers are configured outside the repository (Jenkins, Cloud Build)
    crons: list[Cron] = field(default_factory=list)
    per_event: dict[str, list[str]] = field(default_factory=dict)  # branch patterns of each on-change event
    note: str = ""  # "after workflow `build`": the change starts another workflow first

    def describe(self) -> str:
        if not self.on_change:
            return self.why_not or f"only on {', '.join(self.events) or 'no trigger'}"
        parts = []
        for event in self.on_change:
            pats = self.per_event.get(event, self.branches if len(self.on_change) == 1 else [])
            parts.append(event if pats in ([], ["*"]) else f"{event} to {', '.join(pats)}")
        return f"on {', '.join(parts)}" + (f" ({self.note})" if self.note else "") + \
            (" (assumed: triggers are set outside the repository)" if self.assumed else "")


@dataclass
class CommandLine:
    """One logical shell line a job runs, at its place in a file."""

    path: str
    line: int | None
    text: str
    cwd: str = ""  # the folder it runs in, relative to the repository root
    trigger: Trigger | None = None  # when a step has its own condition (`if:` on a step)
    via: str | None = None  # "composite action .github/actions/test"


@dataclass
class Job:
    system: str
    path: str
    name: str
    line: int | None
    trigger: Trigger
    commands: list[CommandLine] = field(default_factory=list)
    via: str | None = None  # "reusable workflow .github/workflows/x.yml", "circleci/python orb test job"
    implicit_test: str | None = None  # a test run that is not a command line (an orb's test job)
    uses: list[str] = field(default_factory=list)  # actions, orbs, images it runs besides commands


def default_branches(ctx: ProbeContext) -> frozenset[str]:
    git = ctx.repo.git
    if git is not None and git.branch:
        return frozenset({git.branch})
    return frozenset({"main", "master"})


SCALARS = (str, int, float, bool)


def as_text(value: object, default: str = "") -> str:
    """A YAML scalar as text; `default` for anything else (a list or mapping is never printed)."""
    return str(value) if isinstance(value, SCALARS) else default


def strings(value: object) -> list[str]:
    """A YAML value read as a list of words: a scalar, or a list of scalars. Nested lists and
    mappings are dropped rather than printed: a YAML alias can make one millions of items long."""
    return [str(v) for v in as_list(value) if isinstance(v, SCALARS)]


def filter_admits(patterns: list[str], name: str) -> bool:
    """GitHub's include list with `!` exclusions: the last pattern that matches decides."""
    admitted = False
    for p in patterns:
        p = str(p)
        if p.startswith("!"):
            if glob_match(p[1:], name):
                admitted = False
        elif glob_match(p, name):
            admitted = True
    return admitted


def code_files(ctx: ProbeContext) -> list[str]:
    """Files a change to which should run the tests: the code, or every file when there is none."""
    def build(c: ProbeContext) -> list[str]:
        paths = [f.path for f in c.repo.files if f.path.endswith(CODE_SUFFIXES)]
        return paths or [f.path for f in c.repo.files]
    return ctx.shared("ci.code_files", build)


def paths_admit_code(ctx: ProbeContext, include: list[str] | None, exclude: list[str] | None) -> bool:
    """Would a change to some code file pass a path filter (include list, ignore list)? Answers
    are kept for the scan: GitLab asks again for every job, pipeline and rule."""
    memo: dict[tuple, bool] = ctx.shared("ci.paths_admit_code", lambda c: {})
    key = (tuple(include or ()), tuple(exclude or ()))
    if key not in memo:
        memo[key] = any((not include or filter_admits(include, path))
                        and not (exclude and filter_admits(exclude, path)) for path in code_files(ctx))
    return memo[key]


def paths_exist(ctx: ProbeContext, pattern: str) -> bool:
    """Does any file of the repository match a glob (GitLab `exists:`)? Kept for the scan."""
    memo: dict[str, bool] = ctx.shared("ci.paths_exist", lambda c: {})
    if pattern not in memo:
        memo[pattern] = any(glob_match(pattern, f.path) for f in ctx.repo.files)
    return memo[pattern]


def branch_hit(pattern: object, branch: str, undecided: bool) -> bool:
    """A Travis or CircleCI branch filter: a name, or a `/regex/` matched in full. A regex that
    was not run (see ci_patterns) counts as `undecided`: True in an `only:` list and False in an
    `except:` list, so the job is taken to run, as its author meant for ordinary branches."""
    if not isinstance(pattern, SCALARS):
        return False
    p = str(pattern)
    if len(p) > 1 and p.startswith("/") and p.endswith("/"):
        hit = regex_search(p[1:-1], branch, 0, True)
        return undecided if hit is None else hit
    return p == branch


def invalid_regexes(patterns: list) -> str:
    """For a message: the `/regex/` branch filters that cannot be compiled and match nothing."""
    bad = [p for p in strings(patterns) if len(p) > 1 and p.startswith("/") and p.endswith("/")
           and compile_regex(p[1:-1]) is None]
    return f" (invalid pattern {', '.join(bad)} matches nothing)" if bad else ""


def as_list(value: object) -> list:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def text_line(lines: list[str], start: int | None, needle: str, limit: int = 400) -> int | None:
    """The first line at or after `start` (1-based) that contains `needle`: a value read from a
    YAML block scalar or a folded string has lost its own line numbers."""
    if start is None:
        return None
    needle = needle.strip()[:60]
    if not needle:
        return start
    for n in range(start - 1, min(len(lines), start - 1 + limit)):
        if needle in lines[n]:
            return n + 1
    return start


def script_lines(text: str, lines: list[str], node_line: int | None) -> list[tuple[int | None, str]]:
    """(file line, physical line) for each line of a script read from a YAML value at `node_line`.

    A literal block (`run: |`) keeps its lines one for one after the indicator line; any other
    style is found by searching the file for each line's text."""
    physical = text.split("\n")
    if node_line is None or node_line > len(lines):
        node_line = None  # a value reached through a YAML alias keeps the lines of its anchor
        found = text_line(lines, 1, next((p for p in physical if p.strip()), ""))
        if found is None or not physical[0].strip() or physical[0].strip()[:60] not in lines[found - 1]:
            return [(None, p) for p in physical]
        node_line = found
    literal = re.search(r"(?:^|[\s:-])\|[-+0-9]*\s*(?:#.*)?$", lines[node_line - 1]) is not None
    out, cursor = [], node_line
    for i, p in enumerate(physical):
        if literal:
            out.append((node_line + 1 + i, p))
        else:
            found = text_line(lines, cursor, p) if p.strip() else cursor
            out.append((found, p))
            cursor = found or cursor
    return out


def command_lines(path: str, physical: list[tuple[int | None, str]], cwd: str = "",
                  trigger: Trigger | None = None, via: str | None = None) -> list[CommandLine]:
    """A script's logical lines (continuations joined, comments and here-documents dropped)."""
    return [CommandLine(path, n, text, cwd, trigger, via) for n, text in logical_lines(physical)]


@dataclass(frozen=True)
class Link:
    path: str
    line: int | None
    text: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where} runs `{short(self.text)}`"


Chain = list[Link]


def short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
