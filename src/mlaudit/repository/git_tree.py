"""A past commit of the repository as mlaudit's Repository, read straight from git's objects.

Nothing is checked out: the file list comes from `git ls-tree` of the commit, and file contents
from one long-lived `git cat-file --batch` process, by blob id. The work tree, the index and HEAD
are never touched, and a dirty work tree does not matter. Blob ids are the fact cache's keys, so
a file unchanged between two scanned commits is parsed once.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from mlaudit.facts.memo import ContentMemo
from mlaudit.repository.gitinfo import SAFE, GitInfo, _git, git_env, read_git_info
from mlaudit.repository.history import History
from mlaudit.repository.inventory import Repository, RepoFile, ScanWarning, _skipped

MODE_SYMLINK, MODE_SUBMODULE = "120000", "160000"


class BlobReader:
    """`git cat-file --batch`, kept open: one process for every file of every commit scanned."""

    def __init__(self, toplevel: Path):
        self._proc = subprocess.Popen(["git", *SAFE, "cat-file", "--batch"], cwd=toplevel, env=git_env(),
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def read(self, blob_id: str) -> bytes:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(blob_id.encode("ascii") + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise OSError(f"blob {blob_id} is not in the repository's objects")
        size = int(header[2])
        data = self._proc.stdout.read(size)
        self._proc.stdout.read(1)  # the newline after each object
        return data

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()


@dataclass
class TreeRepository(Repository):
    reader: BlobReader | None = field(default=None, repr=False)

    def read_bytes(self, f: RepoFile) -> bytes:
        if f.is_symlink or f.blob_id is None or self.reader is None:
            raise OSError("symlinks are not read")
        return self.reader.read(f.blob_id)

    @cached_property
    def history(self) -> History:
        return History(self.root, self.git, rev=self.git.commit if self.git and self.git.commit else "HEAD")


def _entries(toplevel: Path, commit: str, prefix: str) -> tuple[list[RepoFile], list[ScanWarning], dict]:
    # --literal-pathspecs: a folder named `:sub` or `*x` is that folder, not pathspec magic.
    args = ["--literal-pathspecs", "-c", "core.quotePath=off", "ls-tree", "-r", "-l", "-z", "--full-tree", commit]
    if prefix:
        args += ["--", prefix]
    out = _git(toplevel, *args) or ""
    files, warnings, blobs = [], [], {}
    for entry in out.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) != 4 or not path.startswith(prefix):
            continue
        mode, kind, oid, size = parts
        rel = path[len(prefix):]
        if mode == MODE_SUBMODULE or kind != "blob" or _skipped(rel):
            continue  # a submodule is another repository, not followed
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            warnings.append(ScanWarning(shown, "file name is not valid UTF-8; not audited"))
            continue
        blobs[rel] = (mode, oid)
        if mode == MODE_SYMLINK:
            files.append(RepoFile(rel, 0, None, is_symlink=True, tracked=True))
        else:
            files.append(RepoFile(rel, int(size) if size.isdigit() else 0, oid, tracked=True))
    return files, warnings, blobs


def _escaping_symlinks(blobs: dict[str, tuple[str, str]], reader: BlobReader, root: Path) -> list[ScanWarning]:
    """The warning a scan of the work tree gives for a symlink out of the scanned folder, given here
    too: without it a commit's stored result would say less than a scan of that commit's checkout.
    A symlink's blob is its target's text; the target is judged lexically and never opened (a chain
    of symlinks inside the tree is not resolved, so a link through another link is judged by its
    own text)."""
    out = []
    for rel, (mode, oid) in sorted(blobs.items()):
        if mode != MODE_SYMLINK:
            continue
        try:
            target = os.fsdecode(reader.read(oid))
        except OSError:
            continue
        if target.startswith("/"):
            inside = os.path.normpath(target) == str(root) or os.path.normpath(target).startswith(str(root) + "/")
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
            inside = joined != ".." and not joined.startswith("../")
        if not inside:
            out.append(ScanWarning(rel, "symlink points outside the repository; not followed"))
    return out


@contextmanager
def revision_repository(path: Path, commit: str, memo: ContentMemo | None = None) -> Iterator[TreeRepository]:
    """The scanned folder as it is at `commit` (a full commit id), read from git objects. `memo`:
    what scans of other commits worked out from blobs this one shares."""
    info = read_git_info(path, files=False)
    if info is None:
        raise NotADirectoryError(f"{path} is not in a git repository")
    files, warnings, blobs = _entries(info.toplevel, commit, info.prefix)
    files.sort(key=lambda f: f.path)
    git = GitInfo(info.toplevel, info.prefix, commit, None, info.shallow, info.remote_url, blobs=blobs,
                  from_objects=True)
    reader = BlobReader(info.toplevel)
    try:
        warnings += _escaping_symlinks(blobs, reader, Path(path).resolve())
        yield TreeRepository(root=Path(path).resolve(), files=files, git=git, warnings=warnings, reader=reader,
                             memo=memo)
    finally:
        reader.close()
