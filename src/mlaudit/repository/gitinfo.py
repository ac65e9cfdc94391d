"""What git knows about the scanned folder: commit, remote, shallowness, tracked blobs.

Everything here is read-only and tolerant: a folder without git, a detached HEAD, an empty
repository or a shallow clone all give a GitInfo (or None), never an exception.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class GitInfo:
    toplevel: Path
    prefix: str  # the scanned folder relative to the top level ("" or "sub/dir/")
    commit: str | None
    branch: str | None  # None on a detached HEAD
    shallow: bool
    remote_url: str | None
    blobs: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (mode, blob id)
    untracked: list[str] = field(default_factory=list)
    from_objects: bool = False  # a commit read from git objects: no branch is checked out there


# The audited repository's own .git/config may name commands (core.fsmonitor, filter drivers);
# git runs them during ordinary reads. These settings switch off the ones read-only calls touch.
SAFE = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "core.hooksPath=/dev/null",
        # `log.showSignature` would run the repository's `gpg.program` on signed commits.
        "-c", "log.showSignature=false")
# Variables that would point git at another repository than the one being scanned.
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")


def git_env(**overrides: str) -> dict[str, str]:
    """The environment every git call of a scan runs in."""
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    env.update(GIT_OPTIONAL_LOCKS="0", LC_ALL="C")  # a scan must not take the index lock
    # A partial clone fetches missing objects on demand through the remote the repository names,
    # which may be an `ext::` command: a scan never fetches, and allows no transport at all.
    env.update(GIT_NO_LAZY_FETCH="1", GIT_ALLOW_PROTOCOL="none", GIT_TERMINAL_PROMPT="0")
    env.update(overrides)
    return env


def _git(cwd: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *SAFE, *args], cwd=cwd, env=git_env(), capture_output=True, check=False,
                              timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", errors="surrogateescape")


def read_git_info(root: Path, *, files: bool = True) -> GitInfo | None:
    """Where `root` sits in its git repository, or None outside one. `files=False` leaves out the
    index's blob ids and the untracked files (two listings of the whole tree): for the commands
    that only need the repository's place, such as each commit of a history walk."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.strip() != "true":
        return None
    toplevel = (_git(root, "rev-parse", "--show-toplevel") or "").strip()
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    commit = (_git(root, "rev-parse", "--verify", "-q", "HEAD") or "").strip() or None
    branch = (_git(root, "symbolic-ref", "-q", "--short", "HEAD") or "").strip() or None
    shallow = (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    remote = (_git(root, "config", "--get", "remote.origin.url") or "").strip() or None
    info = GitInfo(Path(toplevel) if toplevel else root, prefix, commit, branch, shallow, remote)
    if not files:
        return info

    # -s gives mode and blob id; paths are relative to `root` because git runs there.
    staged = _git(root, "ls-files", "-s", "-z", "--") or ""
    for entry in staged.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) >= 3 and parts[2] in ("0", "2"):  # stage 0, or "ours" in a conflict
            info.blobs[path] = (parts[0], parts[1])
    # Which tracked files were edited is not asked of git: `ls-files -m` may refresh the index and
    # run the repository's clean filters. Code files are hashed from their bytes instead (store.py).
    others = _git(root, "ls-files", "-o", "--exclude-standard", "-z", "--") or ""
    info.untracked = [p for p in others.split("\0") if p]
    return info
