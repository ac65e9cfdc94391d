"""Which commits a history run scans: the first-parent line of a branch, thinned to one per period
or to N evenly spaced, oldest first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mlaudit.errors import MlauditError
from mlaudit.repository.gitinfo import _git, read_git_info

_EVERY = re.compile(r"^(\d+)([dwm])$")
_SECONDS = {"d": 86_400, "w": 7 * 86_400, "m": 30 * 86_400}


@dataclass(frozen=True)
class Sampled:
    commit: str
    time: int  # committer time, Unix seconds
    subject: str


def parse_every(value: str) -> int:
    m = _EVERY.match(value.strip())
    if not m or int(m.group(1)) == 0:
        raise MlauditError(f"--every {value!r}: write a period such as 1w, 2w, 1m or 10d")
    return int(m.group(1)) * _SECONDS[m.group(2)]


def first_parent_line(path: Path, branch: str, since: str | None, until: str | None) -> list[Sampled]:
    """The branch's first-parent commits, oldest first."""
    if branch.startswith("-"):
        raise MlauditError(f"--branch {branch!r} is not a revision")
    if read_git_info(path) is None:
        raise MlauditError(f"{path} is not in a git repository: there is no history to walk")
    args = ["log", "--first-parent", "--no-show-signature", "--format=%H%x00%ct%x00%s"]
    args += [f"--since={since}"] if since else []
    args += [f"--until={until}"] if until else []
    out = _git(path, *args, "--end-of-options", branch)
    if out is None:
        raise MlauditError(f"no branch or revision {branch!r} in {path}")
    commits = []
    for line in out.splitlines():
        parts = line.split("\0")
        if len(parts) == 3 and parts[1].isdigit():
            commits.append(Sampled(parts[0], int(parts[1]), parts[2]))
    return commits[::-1]


def thin(commits: list[Sampled], *, every: int | None = None, count: int | None = None) -> list[Sampled]:
    """One commit per `every` seconds (the last of each period), or `count` evenly spaced; the newest
    commit is always kept, since it is where the team is now."""
    if not commits:
        return []
    if every:
        picked: list[Sampled] = []
        for c in reversed(commits):  # newest first: keep a commit at least `every` older than the last kept
            if not picked or picked[-1].time - c.time >= every:
                picked.append(c)
        return picked[::-1]
    if count and count < len(commits):
        if count == 1:
            return [commits[-1]]
        step = (len(commits) - 1) / (count - 1)
        return [commits[round(i * step)] for i in range(count)]
    return commits
