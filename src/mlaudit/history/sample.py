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
    subject: str  # a non-UTF-8 message shown escaped


def _subject(text: str) -> str:
    """A commit message's bytes that are not UTF-8 shown as escapes (\\xff), never failing a store or a report."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def parse_every(value: str) -> int:
    m = _EVERY.match(value.strip())
    if not m or int(m.group(1)) == 0:
        raise MlauditError(f"--every {value!r}: write a period such as 1w, 2w, 1m or 10d")
    return int(m.group(1)) * _SECONDS[m.group(2)]


def first_parent_line(path: Path, branch: str, since: str | None, until: str | None) -> list[Sampled]:
    """The branch's first-parent commits, oldest first."""
    if branch.startswith("-"):
        raise MlauditError(f"--branch {branch!r} is not a revision")
    if read_git_info(path, files=False) is None:
        raise MlauditError(f"{path} is not in a git repository: there is no history to walk")
    args = ["--first-parent"] + ([f"--since={since}"] if since else []) + ([f"--until={until}"] if until else [])
    commits = _log(path, *args, "--end-of-options", branch)
    if commits is None:
        raise MlauditError(f"no branch or revision {branch!r} in {path}")
    return commits[::-1]


def describe(path: Path, commit: str) -> Sampled:
    """A commit's date and subject."""
    found = _log(path, "-1", "--end-of-options", commit)
    if not found:
        raise MlauditError(f"no commit {commit!r} in {path}")
    return found[0]


def _log(path: Path, *args: str) -> list[Sampled] | None:
    """`git log` as Sampled commits, newest first; None when git refuses (no such revision)."""
    out = _git(path, "log", "--no-show-signature", "--format=%H%x00%ct%x00%s", *args)
    if out is None:
        return None
    parts = (line.split("\0") for line in out.splitlines())
    return [Sampled(p[0], int(p[1]), _subject(p[2])) for p in parts if len(p) == 3 and p[1].isdigit()]


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


def shallow_note(path: Path, line: list[Sampled]) -> str | None:
    """On a shallow clone, one line saying where the reachable history stops; None otherwise.

    The boundary is the oldest commit reachable on the first-parent line of the newest commit in
    `line` (HEAD when `line` is empty), not the oldest sampled one: --since, --every or --commits
    may have skipped it, and it is the clone, not the sampling, that cuts history off there."""
    import datetime as dt

    info = read_git_info(path, files=False)
    if info is None or not info.shallow:
        return None
    tip = line[-1].commit if line else "HEAD"
    # On a shallow clone the boundary commits have no parents: the first-parent line ends there.
    out = _git(path, "log", "--first-parent", "--no-show-signature", "--format=%H%x00%ct", "--end-of-options",
               tip) or ""
    last = out.strip().rpartition("\n")[2].split("\0")
    if len(last) != 2 or not last[1].isdigit():
        return "shallow clone: history is cut off; fetch the full history (git fetch --unshallow) to see further"
    day = dt.datetime.fromtimestamp(int(last[1]), dt.timezone.utc).date().isoformat()
    return (f"shallow clone: history reaches back to {last[0][:10]} ({day}); fetch the full history "
            "(git fetch --unshallow) to see further")
