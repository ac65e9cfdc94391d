"""Another revision of the scanned repository, as a folder mlaudit can scan, without touching the user's.

`--baseline-ref` scans the base of a change. The user's work tree, index, HEAD and config stay
exactly as they were: the revision is checked out into a temporary clone that borrows the
repository's objects (`git clone --shared`, nothing copied), with hooks, LFS downloads and every
transport but the local one switched off, and removed afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from mlaudit.errors import MlauditError
from mlaudit.repository.gitinfo import SAFE, _git, git_env, read_git_info

# A checkout must not run anything: no hooks, no LFS smudge (it would download), no other transport.
_QUIET_CHECKOUT = ("-c", "filter.lfs.smudge=", "-c", "filter.lfs.process=", "-c", "filter.lfs.required=false",
                   "-c", "advice.detachedHead=false", "-c", "core.autocrlf=false")


class RevisionError(MlauditError):
    """The revision cannot be read: unknown, not a git repository, or a shallow clone without it."""


def _run(cwd: Path, *args: str) -> None:
    # The clone itself reads the local repository: the file transport, and nothing else.
    env = git_env(GIT_ALLOW_PROTOCOL="file", GIT_LFS_SKIP_SMUDGE="1")
    proc = subprocess.run(["git", *SAFE, *_QUIET_CHECKOUT, *args], cwd=cwd, env=env, capture_output=True, check=False,
                          timeout=600)
    if proc.returncode != 0:
        raise RevisionError(f"git {args[0]} failed: {proc.stderr.decode('utf-8', 'replace').strip()}")


def resolve(path: Path, ref: str) -> str:
    """The commit `ref` names in the repository at `path`."""
    if ref.startswith("-"):
        raise RevisionError(f"{ref!r} is not a revision (it starts with '-')")
    if read_git_info(path, files=False) is None:
        raise RevisionError(f"{path} is not in a git repository, so it has no revision {ref!r}")
    sha = (_git(path, "rev-parse", "--verify", "-q", "--end-of-options", f"{ref}^{{commit}}") or "").strip()
    if not sha:
        shallow = (_git(path, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
        hint = (" (this is a shallow clone: fetch more history, e.g. `git fetch --deepen=50` or "
                "actions/checkout with `fetch-depth: 0`)" if shallow else "")
        raise RevisionError(f"no commit {ref!r} in {path}{hint}")
    return sha


def unborn(path: Path) -> bool:
    """A git repository without a single commit yet."""
    return read_git_info(path, files=False) is not None and not (_git(path, "rev-parse", "--verify", "-q", "HEAD") or "").strip()


@contextmanager
def checked_out(path: Path, ref: str) -> Iterator[Path]:
    """The scanned folder as it is at `ref`, in a temporary clone removed on exit."""
    sha = resolve(path, ref)
    info = read_git_info(path, files=False)
    assert info is not None  # resolve() checked
    tmp = Path(tempfile.mkdtemp(prefix="mlaudit-baseline-"))
    try:
        clone = tmp / "repo"
        _run(tmp, "clone", "--quiet", "--shared", "--no-checkout", "--", str(info.toplevel), str(clone))
        _run(clone, "checkout", "--quiet", "--detach", sha)
        # Keep the remote the user's repository names, so that links and forge detection match.
        if info.remote_url:
            _run(clone, "remote", "set-url", "--", "origin", info.remote_url)
        folder = clone.joinpath(*PurePosixPath(info.prefix).parts) if info.prefix else clone
        if folder.is_symlink() or any(p.is_symlink() for p in folder.parents if clone in p.parents) or (
                folder.exists() and not folder.resolve().is_relative_to(clone.resolve())):
            # A symlink there would make the scan root a folder outside the repository.
            raise RevisionError(f"{info.prefix.rstrip('/')} is a symlink at {ref} ({sha[:12]}), not a folder")
        if not folder.is_dir():
            # The change adds the scanned folder: everything in it is new, compared with nothing.
            folder = tmp / "empty"
            folder.mkdir()
        yield folder
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
