"""Which files and functions pytest or unittest would collect, decided from facts and configuration.

pytest: files matching `python_files` (default `test_*.py`, `*_test.py`) under `testpaths` (or
the configuration's folder) outside `norecursedirs`, `--ignore` and conftest `collect_ignore`,
plus files named on a test command line. In them: module-level functions matching
`python_functions` (`test` prefix), methods matching it in classes matching `python_classes`
(`Test` prefix) that have no `__init__`, and `test*` methods of unittest TestCase subclasses,
inherited ones included. unittest: TestCase subclasses in `test*.py` files. Fixtures, functions
nested in functions and anything marked `__test__ = False` are not tests.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mlaudit.facts.model import Class, FileFacts, Function
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.tests_config import (
    UNITTEST_FILES, PytestConfig, configs, conftest_ignores, governing, invocations, join, matches_name,
    matches_path, under,
)

SKIPPED_FOLDERS = (".*", "venv", "site-packages", "node_modules", "build", "dist", "*.egg")


@dataclass(frozen=True)
class TestFunction:
    __test__ = False  # this module's names start with Test; pytest must not collect them

    path: str  # the file that defines it (a base class may live outside the test file)
    facts: FileFacts
    fn: Function
    test_class: str | None  # name of the class it was collected through
    collected_in: str  # the test file that collects it


@dataclass
class TestFile:
    __test__ = False

    path: str
    how: str  # "pytest" | "unittest" | "command line"
    tests: list[TestFunction] = field(default_factory=list)
    named_at: str | None = None  # "Makefile:3": the command line that names it


@dataclass
class Collection:
    files: list[TestFile]  # every collected test file, with or without tests
    functions: list[TestFunction]  # each collected test function once, in path order
    configs: list[str]
    conftests: list[str]
    not_collected: list[str]  # named like tests and holding test functions, but outside what is collected
    by_path: dict[str, FileFacts]
    classes: ClassIndex


def collect(ctx: ProbeContext) -> Collection:
    return ctx.shared("tests.collection", _collect)


# -- classes across the repository -----------------------------------------------------------
class ImportRoots:
    """Which first names of an import reach project code from a given file.

    Top-level packages and modules (also under src/) always do. A test file's own folder is on
    sys.path too when it is not inside a package (pytest's default import mode), so
    `import utils` there reaches the utils.py beside it; inside a package it does not, and
    `import numpy` from keras/src/ops/ is numpy even though keras/src/ops/numpy.py exists.
    """

    def __init__(self, paths: list[str], sources: set[str] = frozenset()) -> None:
        self.sources = {s for s in sources if s}  # more folders on sys.path: pytest's rootdir and pythonpath
        self._memo: dict[tuple[str, str], bool] = {}
        self.children: dict[str, set[str]] = {}
        self.packages: set[str] = set()
        for p in paths:
            parts = PurePosixPath(p).parts
            for n in range(len(parts)):
                folder = "/".join(parts[:n])
                self.children.setdefault(folder, set()).add(parts[n].removesuffix(".py"))
            if parts[-1] == "__init__.py":
                self.packages.add("/".join(parts[:-1]))
        self.top = frozenset(self.children.get("", set()) | self.children.get("src", set()))

    def reaches(self, root: str, caller: str) -> bool:
        if root.startswith(".") or root in self.top:
            return True
        folder = caller.rpartition("/")[0]
        key = (root, folder)
        if key not in self._memo:
            self._memo[key] = self._reaches(root, caller, folder)
        return self._memo[key]

    def _reaches(self, root: str, caller: str, folder: str) -> bool:
        if any(under(caller, src) and root in self.children.get(src, ()) for src in self.sources):
            return True
        while folder in self.packages and folder:
            folder = str(PurePosixPath(folder).parent)
            folder = "" if folder == "." else folder
        return root in self.children.get(folder, ())


ClassId = tuple[str, str]  # (path, class name)


class ClassIndex:
    """Classes by name, their methods and bases resolved to project classes where possible."""

    def __init__(self, code: dict[str, FileFacts], sources: set[str] = frozenset()) -> None:
        self.code = code
        self.by_name: dict[str, list[ClassId]] = {}
        self.bases: dict[ClassId, tuple[str, ...]] = {}
        self.methods: dict[ClassId, dict[str, Function]] = {}
        self.flags: dict[ClassId, set[str]] = {}  # "no-test": __test__ = False
        self.roots = ImportRoots(list(code), sources)
        for path, facts in code.items():
            for c in facts.python.classes:
                cid = (path, c.name)
                if cid not in self.bases:
                    self.by_name.setdefault(c.name, []).append(cid)
                    self.bases[cid] = c.bases
                    self.methods[cid] = {}
            for fn in facts.python.functions:
                if fn.class_name is not None and fn.qualname.rsplit(".", 2)[-2:-1] == [fn.class_name]:
                    self.methods.setdefault((path, fn.class_name), {}).setdefault(fn.name, fn)
            for a in facts.python.assigns:
                if a.target == "__test__" and a.value == ("const", False, None) and a.scope != "<module>":
                    self.flags.setdefault((path, a.scope.rsplit(".", 1)[-1]), set()).add("no-test")
        self._resolved: dict[tuple[str, str], list[ClassId]] = {}
        self._testcase: dict[ClassId, bool] = {}
        self._methods: dict[ClassId, list[tuple[str, Function]]] = {}

    def resolve(self, base: str, path: str) -> list[ClassId]:
        """Project classes a base-class name refers to from `path`."""
        key = (base, path)
        if key in self._resolved:
            return self._resolved[key]
        name = base.rsplit(".", 1)[-1]
        candidates = self.by_name.get(name, [])
        found: list[ClassId] = []
        if "." not in base:
            found = [c for c in candidates if c[0] == path] or (candidates if len(candidates) == 1 else [])
        elif self.roots.reaches(base.split(".", 1)[0], path):
            module = base.rsplit(".", 2)[-2].lstrip(".")
            found = [c for c in candidates
                     if PurePosixPath(c[0]).stem == module or PurePosixPath(c[0]).parent.name == module]
            if not found and len(candidates) == 1:
                found = candidates
        self._resolved[key] = found
        return found

    def ancestors(self, cid: ClassId) -> list[ClassId]:
        """Project base classes, nearest first, each once."""
        out: list[ClassId] = []
        todo = [cid]
        while todo and len(out) < 50:
            current = todo.pop(0)
            for base in self.bases.get(current, ()):
                for b in self.resolve(base, current[0]):
                    if b not in out and b != cid:
                        out.append(b)
                        todo.append(b)
        return out

    def is_testcase(self, cid: ClassId) -> bool:
        if cid in self._testcase:
            return self._testcase[cid]
        self._testcase[cid] = False  # cycles
        result = False
        for base in self.bases.get(cid, ()):
            resolved = self.resolve(base, cid[0])
            if resolved:
                result = any(self.is_testcase(b) for b in resolved)
            else:
                result = base.rsplit(".", 1)[-1].endswith("TestCase")
            if result:
                break
        self._testcase[cid] = result
        return result

    def has_init(self, cid: ClassId) -> bool:
        return any(m in self.methods.get(c, {}) for c in [cid, *self.ancestors(cid)] for m in ("__init__", "__new__"))

    def all_methods(self, cid: ClassId) -> list[tuple[str, Function]]:
        """(defining path, method) own and inherited from project bases; a subclass's own wins."""
        if cid not in self._methods:
            self._methods[cid] = self._all_methods(cid)
        return self._methods[cid]

    def _all_methods(self, cid: ClassId) -> list[tuple[str, Function]]:
        seen: dict[str, tuple[str, Function]] = {}
        for c in [cid, *self.ancestors(cid)]:
            for name, fn in self.methods.get(c, {}).items():
                seen.setdefault(name, (c[0], fn))
        return list(seen.values())


# -- files --------------------------------------------------------------------------------------
def _starts(path: str, config: PytestConfig) -> list[str]:
    """The folders (or files) a plain `pytest` run from the configuration's folder starts from."""
    if not config.testpaths:
        return [config.root]
    out = []
    parents = [str(p) for p in PurePosixPath(path).parents if str(p) != "."] + [path]
    for t in config.testpaths:
        target = join(config.root, t)
        if any(c in t for c in "*?["):
            out += [p for p in parents if fnmatch.fnmatchcase(p, target)]
        else:
            out.append(target)
    return out


def _recursion_allowed(path: str, start: str, patterns: tuple[str, ...]) -> bool:
    folder = str(PurePosixPath(path).parent)
    folder = "" if folder == "." else folder
    if folder == start or not under(folder, start):
        return folder == start
    rel = folder[len(start):].lstrip("/").split("/")
    prefix = start
    for part in rel:
        prefix = f"{prefix}/{part}" if prefix else part
        if matches_path(prefix, patterns):
            return False
    return True


def _ignored(path: str, ignores: list[str]) -> bool:
    return any(under(path, ig) or fnmatch.fnmatchcase(path, ig) for ig in ignores)


def pytest_collects(path: str, config: PytestConfig, folders: set[str], ignores: list[str]) -> bool:
    if _ignored(path, ignores + [join(config.root, i) for i in config.ignore]):
        return False
    for start in [*_starts(path, config), *folders]:
        if start == path:
            return True
        if under(path, start) and _recursion_allowed(path, start, config.norecursedirs) \
                and matches_path(path, config.python_files):
            return True
    return False


def unittest_collects(path: str, patterns: list[tuple[str, str]]) -> bool:
    name = PurePosixPath(path).name
    for start, pattern in patterns:
        if under(path, start) and fnmatch.fnmatchcase(name, pattern) \
                and _recursion_allowed(path, start, SKIPPED_FOLDERS):
            return True
    return False


# -- functions ----------------------------------------------------------------------------------
def is_fixture(fn: Function) -> bool:
    return any(d.rsplit(".", 1)[-1] in ("fixture", "yield_fixture") for d in fn.decorators)


def _module_off(facts: FileFacts) -> bool:
    return any(a.target == "__test__" and a.scope == "<module>" and a.value == ("const", False, None)
               for a in facts.python.assigns)


def tests_in(path: str, facts: FileFacts, how: str, config: PytestConfig, index: ClassIndex) -> list[TestFunction]:
    if _module_off(facts):
        return []
    found: list[TestFunction] = []
    function_names = {fn.qualname for fn in facts.python.functions}
    if how != "unittest":
        for fn in facts.python.functions:
            if "." not in fn.qualname and matches_name(fn.name, config.python_functions) and not is_fixture(fn):
                found.append(TestFunction(path, facts, fn, None, path))
    pytest_classes: set[str] = set()
    for c in _classes_in_order(facts):
        cid = (path, c.name)
        chain = _class_chain(facts, c, function_names)
        if chain is None or "no-test" in index.flags.get(cid, ()):
            continue
        if index.is_testcase(cid) and len(chain) == 1:
            prefix = ("test",)
        elif how != "unittest" and matches_name(c.name, config.python_classes) and not index.has_init(cid) \
                and all(outer in pytest_classes for outer in chain[:-1]):
            prefix = config.python_functions
            pytest_classes.add(c.name)
        else:
            continue
        for where, fn in sorted(index.all_methods(cid), key=lambda m: (m[0] != path, m[1].line)):
            if matches_name(fn.name, prefix) and not is_fixture(fn) and "property" not in fn.decorators:
                found.append(TestFunction(where, index.code[where], fn, c.name, path))
    return found


def _classes_in_order(facts: FileFacts) -> list[Class]:
    seen, out = set(), []
    for c in facts.python.classes:
        if c.name not in seen:
            seen.add(c.name)
            out.append(c)
    return out


def _class_chain(facts: FileFacts, c: Class, function_names: set[str]) -> list[str] | None:
    """Enclosing class names down to `c`, or None when a function encloses it."""
    for fn in facts.python.functions:
        if fn.class_name == c.name:
            parts = fn.qualname.split(".")[:-1]
            if parts and parts[-1] == c.name:
                prefixes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
                return None if any(p in function_names for p in prefixes) else parts
    return [c.name]


# -- the collection -----------------------------------------------------------------------------
def _collect(ctx: ProbeContext) -> Collection:
    code = {f.path: facts for f, facts in ctx.code() if facts.kind == "python"}
    by_folder = configs(ctx)
    sources = {c.root for c in by_folder.values()} | {p for c in by_folder.values() for p in c.pythonpath}
    index = ClassIndex(code, sources)
    inv = invocations(ctx)
    ignores = conftest_ignores(ctx)
    unittest_patterns = [("", p) for p in UNITTEST_FILES] + inv.unittest_patterns
    files: list[TestFile] = []
    not_collected: list[str] = []
    for path, facts in code.items():
        if PurePosixPath(path).name == "conftest.py":
            continue  # fixtures and hooks: pytest imports it as a plugin, never as tests
        config = governing(path, by_folder)
        explicit = inv.files.get(path)
        if explicit is not None:
            how = "command line" if explicit[0] == "pytest" else "unittest"
        elif pytest_collects(path, config, inv.folders, ignores):
            how = "pytest"
        elif unittest_collects(path, unittest_patterns) and not _ignored(path, ignores):
            how = "unittest"
        else:
            how = None
        tests = tests_in(path, facts, how, config, index) if how else []
        if tests or how in ("pytest", "command line"):
            files.append(TestFile(path, how, tests, explicit[1] if explicit else None))
        elif matches_path(path, ("test_*.py", "*_test.py")) and any(
                fn.name.startswith("test") and "." not in fn.qualname for fn in facts.python.functions):
            not_collected.append(path)
    seen: set[tuple[str, str]] = set()
    functions = []
    for tf in files:
        for t in tf.tests:
            if (t.path, t.fn.qualname) not in seen:
                seen.add((t.path, t.fn.qualname))
                functions.append(t)
    return Collection(
        files=files, functions=functions,
        configs=sorted(c.path for c in by_folder.values() if c.path),
        conftests=sorted(p for p in code if PurePosixPath(p).name == "conftest.py"),
        not_collected=not_collected, by_path=code, classes=index,
    )
