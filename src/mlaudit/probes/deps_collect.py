"""What the project declares: every dependency declaration file it owns, read into one list,
with the `-r`/`-c` links between requirements files (files installed together)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.deps_conda import parse_environment
from mlaudit.probes.deps_pyproject import Pyproject, parse_pipfile, parse_pyproject
from mlaudit.probes.deps_requirements import Req, ReqFile, parse_requirements
from mlaudit.probes.deps_setuptools import parse_setup_cfg, parse_setup_py
from mlaudit.probes.repo_paths import folder_of, join
from mlaudit.repository import RepoFile

REQUIREMENT_GLOBS = ("*requirements*.txt", "*requirements*.in", "requirements/*.txt", "*/requirements/*.txt",
                     "requirements*.lock")
DECLARATION_GLOBS = REQUIREMENT_GLOBS + ("pyproject.toml", "setup.cfg", "setup.py", "environment*.yml",
                                         "environment*.yaml", "Pipfile")
# Folders whose declarations belong to someone else: test data, vendored code, project templates.
_NOT_OURS = frozenset({"fixtures", "fixture", "testdata", "test_data", "test-data", "vendor", "_vendor", "third_party",
                       "third-party", "site-packages"})


@dataclass
class Declarations:
    reqs: list[Req] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    req_files: dict[str, ReqFile] = field(default_factory=dict)
    pyprojects: list[Pyproject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    setup_packages: list[str] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=dict)  # requirements file -> files it -r/-c's

    def add(self, path: str, reqs: list[Req]) -> None:
        if reqs and path not in self.files:
            self.files.append(path)
        self.reqs += reqs


def project_files(ctx: ProbeContext, *patterns: str) -> list[RepoFile]:
    return [f for f in ctx.files(*patterns)
            if not any(p in _NOT_OURS or "{{" in p for p in PurePosixPath(f.path).parts[:-1])]


def collect(ctx: ProbeContext) -> Declarations:
    d = Declarations()
    _collect_requirements(ctx, d)
    for f in project_files(ctx, "pyproject.toml"):
        text = ctx.store.text(f)
        py = parse_pyproject(f, text, ctx) if text is not None else None
        if py is not None:
            d.pyprojects.append(py)
            d.add(f.path, py.reqs)
    for f in project_files(ctx, "setup.cfg"):
        text = ctx.store.text(f)
        if text is not None:
            d.add(f.path, parse_setup_cfg(f, text))
    reqs, notes, d.setup_packages = parse_setup_py(ctx, {f.path for f in project_files(ctx, "setup.py")})
    for r in reqs:
        d.add(r.path, [r])
    d.notes += notes
    for f in project_files(ctx, "environment*.yml", "environment*.yaml"):
        parsed = parse_environment(f, ctx)
        if parsed is not None:
            d.add(f.path, parsed)
            if f.path not in d.files:  # an environment of python and pip alone is still a declaration
                d.files.append(f.path)
    for f in project_files(ctx, "Pipfile"):
        text = ctx.store.text(f)
        if text is not None:
            d.add(f.path, parse_pipfile(f, text, ctx))
    return d


def _collect_requirements(ctx: ProbeContext, d: Declarations) -> None:
    """Requirements files, and the files they `-r` or `-c` whatever their names."""
    pending = project_files(ctx, *REQUIREMENT_GLOBS)
    seen: set[str] = set()
    constraint_files: set[str] = set()
    while pending:
        f = pending.pop(0)
        if f.path in seen:
            continue
        seen.add(f.path)
        text = ctx.store.text(f)
        if text is None:
            continue
        rf = parse_requirements(f.path, text)
        d.req_files[f.path] = rf
        for rel in rf.includes + rf.constraints:
            path = join(folder_of(f.path), rel)  # `-r ../x.txt` from the root names no file of ours
            target = ctx.repo.get(path) if path is not None else None
            if target is not None and not target.is_symlink:
                if rel in rf.constraints:
                    constraint_files.add(target.path)
                d.links.setdefault(f.path, []).append(target.path)
                pending.append(target)
    for path, rf in d.req_files.items():
        for r in rf.reqs:
            r.constraint = path in constraint_files
        d.add(path, rf.reqs)


def co_pinned(d: Declarations, reqs: list[Req]) -> set[tuple[str, str]]:
    """(file, name) pairs pinned by a file installed together with it: `numpy>=1.26` in base.txt is
    pinned when the requirements.txt that includes it (or its `-c` constraints) says `numpy==1.26.4`."""
    def closure(path: str) -> set[str]:
        seen, todo = {path}, [path]
        while todo:
            for nxt in d.links.get(todo.pop(), []):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    by_file: dict[str, list[Req]] = {}
    for r in reqs:
        by_file.setdefault(r.path, []).append(r)
    out: set[tuple[str, str]] = set()
    for path in by_file:
        together = closure(path)
        exact = {r.name for p in together for r in by_file.get(p, []) if r.kind == "pinned"}
        out.update((p, r.name) for p in together for r in by_file.get(p, []) if r.name in exact)
    return out
