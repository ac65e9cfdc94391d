"""Lock files and whether they are current: a lock that misses a runtime dependency declared
next to it was not regenerated after the declaration changed, and fixes nothing for it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.deps_collect import Declarations, project_files
from mlaudit.probes.deps_requirements import normalise
from mlaudit.probes.repo_paths import folder_of, join
from mlaudit.repository import RepoFile

LOCK_GLOBS = ("poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "conda-lock.yml", "conda-lock.yaml",
              "*.conda-lock.yml", "*.conda-lock.yaml")
_LOCK_NAME = re.compile(r'^name\s*=\s*"([^"]+)"', re.M)
_CONDA_LOCK_NAME = re.compile(r"^\s*(?:-\s+)?name:\s*['\"]?([^'\"\s#]+)", re.M)


@dataclass
class Lock:
    path: str
    tool: str
    names: set[str]
    declared_in: str | None = None
    missing: list[str] = field(default_factory=list)


def read_lock(f: RepoFile, ctx: ProbeContext) -> Lock | None:
    text = ctx.store.text(f)
    if text is None:
        return None
    if f.name == "Pipfile.lock":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict):
            return None  # not a lock pipenv wrote
        names = {normalise(str(n)) for key in ("default", "develop") if isinstance(data.get(key), dict)
                 for n in data[key]}
        return Lock(f.path, "pipenv", names)
    if f.name.endswith((".yml", ".yaml")):
        return Lock(f.path, "conda-lock", {normalise(n) for n in _CONDA_LOCK_NAME.findall(text)})
    tool = f.name.removesuffix(".lock")
    return Lock(f.path, tool, {normalise(n) for n in _LOCK_NAME.findall(text)})


def check_locks(ctx: ProbeContext, d: Declarations) -> list[Lock]:
    """Every lock file, and every requirements file written by a compiler, compared with its source."""
    locks: list[Lock] = []
    for f in project_files(ctx, *LOCK_GLOBS):
        lock = read_lock(f, ctx)
        if lock is None:
            continue
        here = folder_of(f.path)
        if lock.tool == "pipenv":
            sources = [join(here, "Pipfile")]
        elif lock.tool == "conda-lock":
            sources = [p for p in d.files if folder_of(p) == here and PurePosixPath(p).name.startswith("environment")]
        else:
            sources = [join(here, "pyproject.toml")]
        _compare(lock, d, sources)
        locks.append(lock)
    for path, rf in d.req_files.items():
        if rf.compiled or path.endswith(".lock"):
            lock = Lock(path, "compiled requirements", {r.name for r in rf.reqs})
            here = folder_of(path)
            sources = [join(here, s) for s in rf.sources] or [
                p for p in (join(here, PurePosixPath(path).stem + ".in"),) if p in d.req_files]
            _compare(lock, d, [s for s in sources if s != path])
            locks.append(lock)
    return locks


def _compare(lock: Lock, d: Declarations, sources: list[str]) -> None:
    declared = {r.name for r in d.reqs if r.path in sources and r.main and r.kind != "local" and r.name}
    lock.declared_in = next((s for s in sources if s in d.files), None)
    lock.missing = sorted(declared - lock.names)
