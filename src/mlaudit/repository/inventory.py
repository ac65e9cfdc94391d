"""The inventory: which files a scan audits, their size and content id.

With git, the list is the tracked files plus untracked ones git does not ignore (what a
developer is about to commit); ignored files are never audited. Without git, a walk that
skips virtualenvs, caches and vendored trees. Symlinks are inventoried but never followed
out of the root, and nothing here reads file contents except to hash a file git has no id for.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from mlaudit.facts.memo import ContentMemo
from mlaudit.repository.gitinfo import GitInfo, read_git_info
from mlaudit.repository.history import History

# Folders that are never project source, in a walk or (for checkpoint copies) even when tracked.
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".tox", ".nox", ".venv", "venv", ".eggs", ".ipynb_checkpoints",
    "site-packages", ".cache", ".mlaudit", ".idea", ".vscode",
})
# `.mlaudit` holds mlaudit's own history database: never part of what is audited.
ALWAYS_SKIP = frozenset({".ipynb_checkpoints", "__pycache__", ".mlaudit"})


@dataclass(frozen=True)
class RepoFile:
    path: str  # POSIX path relative to the scanned root
    size: int
    blob_id: str | None = None  # git's id in the index; the bytes on disk may have been edited since
    is_symlink: bool = False
    tracked: bool = False

    @property
    def name(self) -> str:
        return self.path.rpartition("/")[2]

    @property
    def suffix(self) -> str:
        name = self.name
        dot = name.rfind(".")
        return name[dot:].lower() if dot > 0 else ""


@dataclass
class ScanWarning:
    """A file mlaudit could not fully read. It is reported, never fatal."""

    path: str
    message: str
    line: int | None = None
    cell: int | None = None


@dataclass
class Repository:
    root: Path
    files: list[RepoFile]
    git: GitInfo | None
    warnings: list[ScanWarning] = field(default_factory=list)
    # Only where every blob id is exactly the content read (a commit's tree, not a work tree whose
    # files may be edited since the index): per-content answers reused across scans of one walk.
    memo: "ContentMemo | None" = field(default=None, repr=False)
    _by_path: dict[str, RepoFile] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_path = {f.path: f for f in self.files}

    def get(self, path: str) -> RepoFile | None:
        return self._by_path.get(path)

    @cached_property
    def history(self) -> History:
        """The git history, read lazily: only probes about history pay for it."""
        return History(self.root, self.git)

    def read_bytes(self, f: RepoFile) -> bytes:
        if f.is_symlink:
            raise OSError("symlinks are not read")
        with open(self.root / f.path, "rb") as fh:
            return fh.read()



def open_repository(path: str | os.PathLike) -> Repository:
    root = Path(path).resolve()
    if not root.is_dir():
        raise NotADirectoryError(str(path))
    git = read_git_info(root)
    if git is not None:
        files, warnings = _from_git(root, git)
    else:
        files, warnings = _from_walk(root)
    files.sort(key=lambda f: f.path)
    return Repository(root=root, files=files, git=git, warnings=warnings)


def _skipped(path: str) -> bool:
    return any(part in ALWAYS_SKIP for part in PurePosixPath(path).parts[:-1])


def _from_git(root: Path, git: GitInfo) -> tuple[list[RepoFile], list[ScanWarning]]:
    files: list[RepoFile] = []
    warnings: list[ScanWarning] = []
    for rel, (mode, blob) in git.blobs.items():
        if mode == "160000" or _skipped(rel):  # submodule: another repository, not followed
            continue
        entry = _stat_entry(root, rel, warnings, blob_id=blob)
        if entry is not None:
            files.append(RepoFile(**{**entry.__dict__, "tracked": True}))
    for rel in git.untracked:
        if _skipped(rel):
            continue
        entry = _stat_entry(root, rel, warnings, blob_id=None)
        if entry is not None:
            files.append(entry)
    return files, warnings


def _from_walk(root: Path) -> tuple[list[RepoFile], list[ScanWarning]]:
    files: list[RepoFile] = []
    warnings: list[ScanWarning] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in SKIP_DIRS and not (here / d / "pyvenv.cfg").exists()
        )
        for name in filenames:
            rel = (here / name).relative_to(root).as_posix()
            entry = _stat_entry(root, rel, warnings, blob_id=None)
            if entry is not None:
                files.append(entry)
    return files, warnings


def _stat_entry(root: Path, rel: str, warnings: list[ScanWarning], blob_id: str | None) -> RepoFile | None:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:  # a name that is not UTF-8 cannot be shown in a report or a JSON file
        shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        warnings.append(ScanWarning(shown, "file name is not valid UTF-8; not audited"))
        return None
    full = root / rel
    try:
        st = os.lstat(full)
    except OSError:
        return None  # deleted in the work tree but still in the index: nothing to audit
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(full)
        if not _within(Path(target), root):
            warnings.append(ScanWarning(rel, "symlink points outside the repository; not followed"))
        return RepoFile(rel, 0, None, is_symlink=True)
    if not stat.S_ISREG(st.st_mode):
        return None
    return RepoFile(rel, st.st_size, blob_id)


def _within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False

