"""From a CI command to the line that actually runs the tests.

`make test` runs a Makefile recipe, `tox -e py` the env's commands, `nox -s tests` a session's
`session.run(...)` calls, `pre-commit run` the hooks' entries, `bash ci/test.sh` the script's
lines. A `Resolver` follows such hand-offs, through any number of them, and returns the chain
of lines that leads to a test runner, or None when the command runs no tests (a `make lint`, a
tox env that only runs flake8). It reads configuration files as text; it never runs them.
"""

from __future__ import annotations

import posixpath
import re
import shlex
import tomllib

from mlaudit.facts.model import FileFacts
from mlaudit.probes.ci_configs import (
    Makefile, ToxConfig, expand, expand_braces, load_tox, parse_makefile, tox_commands,
)
from mlaudit.probes.ci_model import Chain, Link, as_list, strings
from mlaudit.probes.ci_shell import Cmd, classify, logical_lines, simple_commands
from mlaudit.probes.ci_tasks import TaskRunners, command_of
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.repo_paths import join
from mlaudit.repository import RepoFile

MAX_DEPTH = 8
MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
TOX_FILES = ("tox.ini", "setup.cfg", "pyproject.toml", "tox.toml")
# Python calls that run a test suite from inside a script.
PYTHON_TEST_CALLS = frozenset({"pytest.main", "unittest.main", "unittest.TextTestRunner().run", "nose.run",
                               "nose.main", "nose2.main", "unittest.TextTestRunner.run"})
SUBPROCESS_CALLS = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                              "subprocess.Popen", "os.system"})
PRE_COMMIT_STAGES = {"commit": "pre-commit", "push": "pre-push", "merge-commit": "pre-merge-commit"}
WORKSPACE = re.compile(r"^(?:EXPR|\$\{?GITHUB_WORKSPACE\}?|\$\{?CI_PROJECT_DIR\}?|\$\(pwd\)|\$PWD|\$\{PWD\}"
                       r"|/workspace|\$\{?BITBUCKET_CLONE_DIR\}?|\$\(Build\.SourcesDirectory\)|\$\{?WORKSPACE\}?)/")


def is_test_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


class Resolver(TaskRunners):
    """Follows commands to test runners for one scan; parsed files are kept for its lifetime."""

    def __init__(self, ctx: ProbeContext) -> None:
        self.ctx = ctx
        self._makefiles: dict[str, Makefile | None] = {}
        self._tox_configs: dict[str, ToxConfig | None] = {}
        self._toml: dict[str, dict | None] = {}
        self._facts: dict[str, FileFacts] | None = None
        self._memo: dict[tuple, Chain | None] = {}
        self._active: set[tuple] = set()

    # -- entry points ---------------------------------------------------------------------------
    def line_chain(self, text: str, cwd: str = "", depth: int = 0) -> Chain | None:
        """The chain behind one command line, or None when no simple command in it runs tests."""
        found = self.lines_chain([(None, t) for t in text.split("\n")], cwd, depth)
        return found[1] if found is not None else None

    def lines_chain(self, lines: list[tuple[int | None, str]], cwd: str,
                    depth: int) -> tuple[tuple[int | None, str], Chain] | None:
        """The first logical line of a script that runs tests, with its chain. A `cd` holds for
        the lines after it, as in one shell."""
        for line_no, text in logical_lines(lines):
            for part in simple_commands(text):
                cmd = classify(part, cwd)
                if cmd is None:
                    continue
                if cmd.kind == "cd":
                    cwd = _join(cwd, cmd.path)
                    continue
                chain = self.follow(cmd, depth)
                if chain is not None:
                    return (line_no, text), chain
        return None

    def follow(self, cmd: Cmd, depth: int) -> Chain | None:
        if cmd.kind == "test":
            return []
        if depth >= MAX_DEPTH:
            return None
        key = (cmd.kind, cmd.cwd, cmd.path, cmd.names, cmd.extra)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return None  # a cycle: make targets that call each other
        self._active.add(key)
        try:
            handler = getattr(self, "_" + cmd.kind.replace("-", "_"), None)
            result = handler(cmd, depth + 1) if handler else None
        finally:
            self._active.discard(key)
        if result is not None or depth < 3:  # a None found deep down may only mean "too deep"
            self._memo[key] = result
        return result

    # -- helpers --------------------------------------------------------------------------------
    def file(self, cwd: str, path: str) -> RepoFile | None:
        path = WORKSPACE.sub("", path.strip("'\""))
        candidates = [_join(cwd, path)] + ([path.lstrip("/")] if path.startswith("/") else [])
        for p in candidates:
            f = self.ctx.repo.get(p)
            if f is not None and not f.is_symlink:
                return f
        return None

    def text(self, f: RepoFile) -> str | None:
        return self.ctx.store.text(f)

    def facts(self, path: str) -> FileFacts | None:
        if self._facts is None:
            self._facts = {f.path: facts for f, facts in self.ctx.code()}
        return self._facts.get(path)

    def toml(self, f: RepoFile) -> dict | None:
        if f.path not in self._toml:
            text = self.text(f)
            try:
                self._toml[f.path] = tomllib.loads(text) if text is not None else None
            except (ValueError, RecursionError):  # TOMLDecodeError is a ValueError
                self._toml[f.path] = None
        return self._toml[f.path]

    def _script_chain(self, f: RepoFile, cwd: str, depth: int) -> Chain | None:
        text = self.text(f)
        if text is None:
            return None
        found = self.lines_chain(list(enumerate(text.splitlines(), start=1)), cwd, depth)
        if found is None:
            return None
        (line_no, line), chain = found
        return [Link(f.path, line_no, line)] + chain

    # -- make -----------------------------------------------------------------------------------
    def _makefile(self, directory: str, name: str) -> Makefile | None:
        names = (name,) if name else MAKEFILES
        for n in names:
            f = self.file(directory, n)
            if f is None:
                continue
            if f.path not in self._makefiles:
                text = self.text(f)
                mf = parse_makefile(f.path, text) if text is not None else None
                if mf is not None:
                    self._include(mf, posixpath.dirname(f.path))
                self._makefiles[f.path] = mf
            return self._makefiles[f.path]
        return None

    def _include(self, mf: Makefile, directory: str) -> None:
        for inc in mf.includes:
            f = self.file(directory, expand(inc, mf.variables))
            text = self.text(f) if f is not None and f.path != mf.path else None
            if text is None:
                continue
            other = parse_makefile(f.path, text)
            for name, value in other.variables.items():
                mf.variables.setdefault(name, value)
            for target, rule in other.rules.items():
                if target not in mf.rules:
                    mf.rules[target] = rule
                    mf.sources[target] = f.path

    def _make(self, cmd: Cmd, depth: int) -> Chain | None:
        directory = _join(cmd.cwd, cmd.path)
        mf = self._makefile(directory, cmd.extra[0] if cmd.extra else "")
        if mf is None:
            return None
        for target in cmd.names or ((mf.default,) if mf.default else ()):
            chain = self._make_target(mf, directory, target, depth, set())
            if chain is not None:
                return chain
        return None

    def _make_target(self, mf: Makefile, directory: str, target: str, depth: int, seen: set[str]) -> Chain | None:
        rule = mf.rules.get(target)
        if rule is None or target in seen or depth > MAX_DEPTH:
            return None
        seen.add(target)
        path = mf.sources.get(target, mf.path)
        for line_no, raw in _join_recipe(rule.recipe):
            text = expand(raw, mf.variables).lstrip("@-+ \t")
            if not text or text.startswith("#"):
                continue
            chain = self.line_chain(text, directory, depth)
            if chain is not None:
                return [Link(path, line_no, text)] + chain
        for prereq in rule.prereqs:
            chain = self._make_target(mf, directory, prereq, depth + 1, seen)
            if chain is not None:
                return chain
        return None

    # -- tox ------------------------------------------------------------------------------------
    def _tox_config(self, directory: str, explicit: str) -> ToxConfig | None:
        for name in ((explicit,) if explicit else TOX_FILES):
            f = self.file(directory, name)
            if f is None:
                continue
            if f.path not in self._tox_configs:
                text = self.text(f)
                self._tox_configs[f.path] = load_tox(f.path, text) if text is not None else None
            if self._tox_configs[f.path] is not None:
                return self._tox_configs[f.path]
        return None

    def _tox(self, cmd: Cmd, depth: int) -> Chain | None:
        cfg = self._tox_config(cmd.cwd, cmd.path)
        if cfg is None:
            return None
        names = [e for name in cmd.names for e in expand_braces(name)]
        if cmd.extra or "ALL" in names:  # labels or every env
            envs = sorted(set(cfg.envs) - {""}) + cfg.envlist
        else:
            envs = names or cfg.envlist or ["py"]
        directory = posixpath.dirname(cfg.path)
        for env in envs:
            for line_no, text in tox_commands(cfg, env):
                chain = self.line_chain(text, directory, depth)
                if chain is not None:
                    return [Link(cfg.path, line_no, text)] + chain
        return None

    # -- pre-commit -----------------------------------------------------------------------------
    def _pre_commit(self, cmd: Cmd, depth: int) -> Chain | None:
        names = (cmd.path,) if cmd.path else (".pre-commit-config.yaml", ".pre-commit-config.yml")
        f = next((g for g in (self.file(cmd.cwd, n) for n in names) if g is not None), None)
        doc = self.ctx.store.yaml(f) if f is not None else None
        if doc is None or not isinstance(doc.data, dict):
            return None
        stage = PRE_COMMIT_STAGES.get(cmd.extra[0], cmd.extra[0]) if cmd.extra else "pre-commit"
        default_stages = [PRE_COMMIT_STAGES.get(s, s) for s in strings(doc.data.get("default_stages"))]
        for i, repo in enumerate(as_list(doc.data.get("repos"))):
            for j, hook in enumerate(as_list(repo.get("hooks")) if isinstance(repo, dict) else []):
                if not isinstance(hook, dict) or not isinstance(hook.get("entry"), str):
                    continue
                if cmd.names and cmd.names[0] not in (hook.get("id"), hook.get("alias")):
                    continue
                stages = [PRE_COMMIT_STAGES.get(s, s) for s in strings(hook.get("stages"))] or default_stages
                if stages and stage not in stages:
                    continue
                if hook.get("language") in ("pygrep", "fail", "docker_image"):
                    continue
                args = strings(hook.get("args"))
                text = " ".join([hook["entry"]] + [shlex.quote(a) for a in args])
                chain = self.line_chain(text, "", depth)
                if chain is not None:
                    line = doc.lines.get(("repos", i, "hooks", j, "entry"))
                    return [Link(f.path, line, text)] + chain
        return None

    # -- scripts and Python files ----------------------------------------------------------------
    def _script(self, cmd: Cmd, depth: int) -> Chain | None:
        f = self.file(cmd.cwd, cmd.path)
        if f is None or f.size > 512_000:
            return None  # not in the repository, or no script this size is read as one
        return self._script_chain(f, cmd.cwd, depth)  # a script runs where it is called

    def _shell(self, cmd: Cmd, depth: int) -> Chain | None:
        return self.line_chain(cmd.extra[0], cmd.cwd, depth) if cmd.extra else None

    def _python_file(self, cmd: Cmd, depth: int) -> Chain | None:
        f = self.file(cmd.cwd, cmd.path)
        facts = self.facts(f.path) if f is not None else None
        if is_test_file(cmd.path):
            # Running a test module runs its checks, unless it only defines tests for a runner to collect.
            defines_tests = facts is not None and any(fn.name.startswith("test") for fn in facts.python.functions)
            return [] if facts is None or facts.python.main_guard or not defines_tests else None
        if facts is None:
            return None
        for call in facts.python.calls:
            if call.name in PYTHON_TEST_CALLS:
                return [Link(f.path, call.line, f"{call.name}(...)")]
            if call.name in SUBPROCESS_CALLS and call.args:
                text = command_of(call, first=0)
                chain = self.line_chain(text, "", depth) if text else None
                if chain is not None:
                    return [Link(f.path, call.line, text)] + chain
        return None

    def _wrapped(self, cmd: Cmd, depth: int) -> Chain | None:
        """`docker run img pytest`, `ray job submit -- pytest`: the command inside."""
        words = list(cmd.extra)
        start = next((i + 1 for i, w in enumerate(words) if w in ("run", "exec", "--", "submit")), None)
        if start is None:
            return None
        for i in range(start, len(words)):
            inner = classify(shlex.join(words[i:]), cmd.cwd)
            if inner is not None and inner.kind not in ("wrapped", "cd"):
                chain = self.follow(inner, depth)
                if chain is not None:
                    return chain
        return None

    def _anyscale(self, cmd: Cmd, depth: int) -> Chain | None:
        for name in cmd.names:
            f = self.file(cmd.cwd, name)
            doc = self.ctx.store.yaml(f) if f is not None else None
            entry = doc.data.get("entrypoint") if doc is not None and isinstance(doc.data, dict) else None
            if isinstance(entry, str):
                chain = self.line_chain(entry, "", depth)
                if chain is not None:
                    return [Link(f.path, doc.lines.get(("entrypoint",)), entry)] + chain
        return None

OUTSIDE = ".."  # a folder above the repository root: whatever is joined to it stays outside


def _join(cwd: str, path: str) -> str:
    """Where a command's path points from its working folder. An absolute path is read from the
    repository root, as CI checkouts usually sit at the top of their workspace."""
    path = WORKSPACE.sub("", path.strip("'\""))
    if path.startswith("/"):
        return path.lstrip("/")
    joined = join(cwd, path)
    return OUTSIDE if joined is None else joined


def _join_recipe(recipe: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A recipe's `\\`-continued lines as one command, at the first line's number."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for n, text in recipe:
        cont = text.rstrip().endswith("\\")
        body = text.rstrip()[:-1] if cont else text
        pending = (pending[0], pending[1] + " " + body.strip()) if pending else (n, body.strip())
        if not cont:
            out.append(pending)
            pending = None
    if pending:
        out.append(pending)
    return out
