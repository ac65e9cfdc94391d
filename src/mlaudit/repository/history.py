"""The git history, read once per scan and only when a probe asks for it.

Probes about review, co-change, large blobs and "results newer than code" need history; most scans
of a shallow CI checkout have none. `History.available` is False then, and `reason` says why, so
the probes can answer "not observable" instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from mlaudit.repository.gitinfo import GitInfo, _git

# Enough for "recent history" questions; a 50k-commit monorepo must not make a scan slow.
MAX_COMMITS = 2000
# Record separator. A subject could contain it in theory; such a record then fails to parse and is
# skipped rather than misread.
_MARK = "\x1e"


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    time: int  # committer time, Unix seconds
    author: str
    subject: str
    files: tuple[str, ...]  # paths changed, relative to the scanned root; empty for merges

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


def _parse(record: str) -> Commit | None:
    head, _, names = record.partition("\n")
    parts = head.split("\0")
    if len(parts) != 5 or not parts[2].isdigit():
        return None
    sha, parents, ctime, author, subject = parts
    # Names are one per line (`core.quotePath=off`); a name with a newline in it is quoted by git.
    files = tuple(n for n in names.split("\n") if n)
    return Commit(sha, tuple(parents.split()), int(ctime), author, subject, files)


@dataclass(frozen=True)
class HistoricBlob:
    path: str  # a path the blob had in some reachable commit, relative to the scanned root
    blob_id: str
    size: int


_BLOBS_OVER: dict[tuple[str, str, int, str], list[HistoricBlob]] = {}
_TOUCHING: dict[str, set[str]] = {}


@dataclass
class History:
    root: Path
    git: GitInfo | None
    max_commits: int = MAX_COMMITS
    rev: str = "HEAD"  # the commit history is read back from (another one when scanning a past revision)
    _last_change: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def reason(self) -> str | None:
        """Why history cannot be read, or None when it can."""
        if self.git is None:
            return "not a git repository"
        if self.git.commit is None:
            return "the repository has no commits"
        if self.git.shallow:
            return "shallow clone: history is cut off (fetch with `fetch-depth: 0` to audit it)"
        return None

    @property
    def available(self) -> bool:
        return self.reason is None

    @cached_property
    def commits(self) -> list[Commit]:
        """Up to `max_commits` commits reachable from HEAD, newest first (also on a shallow clone)."""
        if self.git is None or self.git.commit is None:
            return []
        out = _git(self.root, "-c", "core.quotePath=off", "log", f"--max-count={self.max_commits}",
                   f"--format={_MARK}%H%x00%P%x00%ct%x00%an%x00%s", "--name-only", "--relative",
                   "--no-renames", "--full-history", "--no-show-signature", "--end-of-options", self.rev, "--", ".") or ""
        return [c for c in (_parse(record) for record in out.split(_MARK)[1:]) if c is not None]

    @cached_property
    def mainline(self) -> list[Commit]:
        """The first-parent line from HEAD, newest first: one entry per change that landed on the
        branch, read for the whole repository even when a subfolder is scanned (a merge that brought
        the subfolder's changes may itself touch nothing there). `files` is empty here."""
        if self.git is None or self.git.commit is None:
            return []
        out = _git(self.root, "log", "--first-parent", f"--max-count={self.max_commits}", "--no-show-signature",
                   f"--format={_MARK}%H%x00%P%x00%ct%x00%an%x00%s", "--end-of-options", self.rev) or ""
        return [c for c in (_parse(record) for record in out.split(_MARK)[1:]) if c is not None]

    def last_changed(self, path: str) -> int | None:
        """When a commit in the window last touched `path` (Unix seconds), or None."""
        if not self._last_change:
            for c in reversed(self.commits):
                for p in c.files:
                    self._last_change[p] = c.time
        return self._last_change.get(path)

    def blobs_over(self, min_size: int) -> list[HistoricBlob]:
        """Blobs of at least `min_size` bytes reachable from any ref, with a path each had.

        Sizes come from one pass over the object store; paths are looked up (a full object walk)
        only when some large blob exists, which is the rare case. The answer is the same for every
        commit of the repository (it reads all refs), so a history walk computes it once.
        """
        if self.git is None or self.git.commit is None:
            return []
        # Reachability depends on the refs alone (objects never change): same refs, same answer.
        refs = _git(self.root, "show-ref", "--head") or ""
        key = (str(self.git.toplevel), self.git.prefix, min_size, refs)
        if key not in _BLOBS_OVER:
            _BLOBS_OVER.clear()  # one repository at a time: a walk, or one scan
            _TOUCHING.clear()
            _BLOBS_OVER[key] = self._blobs_over(min_size)
        found = _BLOBS_OVER[key]
        if not found or not self.git.from_objects:
            return found
        # A past commit (a history walk): only what its own history held, not blobs added after it.
        touching = self._touching(found)
        before = set((_git(self.root, "rev-list", "--end-of-options", self.rev) or "").split())
        return [b for b in found if before & touching.get(b.blob_id, set())]

    def _touching(self, blobs: list[HistoricBlob]) -> dict[str, set[str]]:
        """For each blob, the commits whose change adds or removes it (either way, it was in their
        history): one pass over the log for all of them, once per walk."""
        if not _TOUCHING:
            args = ["log", "--all", "--no-renames", "--format=%x00%H", "--raw", "--no-abbrev"]
            out = _git(self.root, *args, *(f"--find-object={b.blob_id}" for b in blobs)) or ""
            wanted = {b.blob_id for b in blobs}
            _TOUCHING.update({oid: set() for oid in wanted})
            commit = ""
            for line in out.splitlines():
                if line.startswith("\0"):
                    commit = line[1:]
                elif line.startswith(":"):  # :old-mode new-mode old-id new-id status<TAB>path
                    for oid in line.split("\t", 1)[0].split()[2:4]:
                        if oid in wanted:
                            _TOUCHING[oid].add(commit)
        return _TOUCHING

    def _blobs_over(self, min_size: int) -> list[HistoricBlob]:
        assert self.git is not None
        check = _git(self.root, "cat-file", "--batch-all-objects", "--unordered", "--batch-check=%(objecttype) %(objectname) %(objectsize)")
        large = {}
        for line in (check or "").splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "blob":
                oid, _, size = rest.partition(" ")
                if size.isdigit() and int(size) >= min_size:
                    large[oid] = int(size)
        if not large:
            return []
        walk = _git(self.root, "-c", "core.quotePath=off", "rev-list", "--objects", "--all", "--missing=allow-any") or ""
        prefix = self.git.prefix
        found: dict[str, HistoricBlob] = {}
        for line in walk.splitlines():
            oid, _, path = line.partition(" ")
            if oid in large and oid not in found and path:
                if prefix and not path.startswith(prefix):
                    continue
                found[oid] = HistoricBlob(path[len(prefix):], oid, large[oid])
        return sorted(found.values(), key=lambda b: -b.size)
