"""Named tasks a CI command can run: nox sessions and invoke tasks (Python functions, read from
facts), hatch scripts, poe tasks and pdm scripts (pyproject tables), just recipes. A mixin of
the Resolver: it follows each task's commands with the Resolver's own `line_chain`."""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass
from typing import Any

from mlaudit.facts.model import Call, FileFacts, Value
from mlaudit.probes.ci_configs import Makefile, parse_makefile
from mlaudit.probes.ci_model import Chain, Link
from mlaudit.probes.ci_shell import Cmd
from mlaudit.repository import RepoFile

NOX_DECORATORS = frozenset({"nox.session", "nox_poetry.session", "nox_uv.session"})
INVOKE_DECORATORS = frozenset({"invoke.task", "invoke.tasks.task"})


class TaskRunners:
    """Handlers for named tasks; they use the Resolver's `file`, `text`, `facts`, `toml`,
    `line_chain`, `_make_target` and `_makefiles`."""

    # -- just -----------------------------------------------------------------------------------
    def _justfile(self, directory: str) -> Makefile | None:
        for n in ("justfile", "Justfile", ".justfile"):
            f = self.file(directory, n)
            if f is not None:
                if f.path not in self._makefiles:
                    text = self.text(f)
                    self._makefiles[f.path] = parse_makefile(f.path, text, just=True) if text is not None else None
                return self._makefiles[f.path]
        return None

    # -- nox and invoke: sessions and tasks are Python functions ---------------------------------
    def _nox(self, cmd: Cmd, depth: int) -> Chain | None:
        f = self.file(cmd.cwd, cmd.path or "noxfile.py")
        facts = self.facts(f.path) if f is not None else None
        if facts is None:
            return None
        sessions = python_tasks(facts, NOX_DECORATORS)
        chosen = _choose_sessions(facts, sessions, list(cmd.names), list(cmd.extra))
        for name in chosen:
            chain = self._task_chain(f.path, facts, sessions, name, "run", depth, set())
            if chain is not None:
                return chain
        return None

    def _task_chain(self, path: str, facts: FileFacts, tasks: dict[str, "PyTask"], name: str, method: str,
                    depth: int, seen: set[str]) -> Chain | None:
        task = tasks.get(name)
        if task is None or name in seen:
            return None
        seen.add(name)
        helpers = {fn.name: fn for fn in facts.python.functions if fn.class_name is None}
        scopes = [(task.qualname, task.param)]
        for call in facts.python.calls:  # helpers the session hands its session object to
            if call.scope == task.qualname and call.name in helpers and helpers[call.name].params:
                scopes.append((helpers[call.name].qualname, helpers[call.name].params[0].name))
        for call in facts.python.calls:
            for scope, param in scopes:
                if call.scope != scope:
                    continue
                if call.name == f"{param}.{method}" and call.args:
                    text = command_of(call)
                    chain = self.line_chain(text, posixpath.dirname(path), depth) if text else None
                    if chain is not None:
                        return [Link(path, call.line, text)] + chain
                if call.name == f"{param}.notify" and call.args and call.args[0].kind == "const":
                    chain = self._task_chain(path, facts, tasks, str(call.args[0].value), method, depth, seen)
                    if chain is not None:
                        return chain
        return None

    # -- named tasks: hatch scripts, poe and pdm tasks, just recipes, invoke tasks ----------------
    def _hatch_run(self, cmd: Cmd, depth: int) -> Chain | None:
        env, _, script = cmd.names[0].rpartition(":")
        env = env or "default"
        for name, prefix in (("pyproject.toml", ("tool", "hatch", "envs")), ("hatch.toml", ("envs",))):
            f = self.file(cmd.cwd, name)
            data = self.toml(f) if f is not None else None
            scripts = _dig(data, *prefix, env, "scripts")
            if isinstance(scripts, dict) and script in scripts:
                return self._table_chain(f, scripts, script, cmd.cwd, depth, set())
        return None

    def _task(self, cmd: Cmd, depth: int) -> Chain | None:
        tool, name = cmd.path, cmd.names[0]
        if tool == "just":
            jf = self._justfile(cmd.cwd)
            return self._make_target(jf, cmd.cwd, name, depth, set()) if jf else None
        if tool in ("invoke", "inv"):
            f = self.file(cmd.cwd, "tasks.py")
            facts = self.facts(f.path) if f is not None else None
            tasks = python_tasks(facts, INVOKE_DECORATORS) if facts else {}
            return self._task_chain(f.path, facts, tasks, name.replace("-", "_"), "run", depth, set()) if tasks else None
        f = self.file(cmd.cwd, "pyproject.toml")
        data = self.toml(f) if f is not None else None
        table = _dig(data, "tool", "poe", "tasks") if tool == "poe" else _dig(data, "tool", "pdm", "scripts")
        if isinstance(table, dict) and name in table:
            return self._table_chain(f, table, name, cmd.cwd, depth, set())
        return None

    def _table_chain(self, f: RepoFile, table: dict, name: str, cwd: str, depth: int, seen: set[str]) -> Chain | None:
        """A named task whose value is a command, a list of commands or task names, or a table
        with `cmd`/`shell`/`sequence`/`composite` (hatch, poe and pdm all spell it one of these ways)."""
        if name in seen:
            return None
        seen.add(name)
        value = table[name]
        if isinstance(value, dict):
            value = next((value[k] for k in ("cmd", "shell", "sequence", "composite", "ref") if k in value), None)
        items = value if isinstance(value, list) else [value]
        lines = (self.text(f) or "").splitlines()
        for item in items:
            if isinstance(item, dict):
                item = next((item[k] for k in ("cmd", "shell", "ref") if k in item), None)
            if not isinstance(item, str):
                continue
            first = item.split()[0] if item.split() else ""
            if first in table:
                chain = self._table_chain(f, table, first, cwd, depth, seen)
            else:
                chain = self.line_chain(item, cwd, depth)
            if chain is not None:
                line = next((i + 1 for i, ln in enumerate(lines) if item[:40] in ln), None)
                return [Link(f.path, line, item)] + chain
        return None


@dataclass(frozen=True)
class PyTask:
    name: str
    qualname: str
    param: str
    line: int
    default: bool
    tags: tuple[str, ...]


def python_tasks(facts: FileFacts, decorators: frozenset[str]) -> dict[str, PyTask]:
    """Functions registered by a decorator (nox sessions, invoke tasks), by the name they are run as."""
    out: dict[str, PyTask] = {}
    previous_end = 0
    for fn in sorted(facts.python.functions, key=lambda fn: fn.line):
        if not any(d in decorators for d in fn.decorators):
            previous_end = max(previous_end, fn.end_line) if fn.class_name is None else previous_end
            continue
        deco = next((c for c in facts.python.calls if c.name in decorators and previous_end < c.line < fn.line
                     and c.scope == "<module>"), None)
        kwargs: dict[str, Value] = deco.kwargs if deco is not None else {}
        name = kwargs["name"].value if "name" in kwargs and kwargs["name"].kind == "const" else fn.name
        default = not ("default" in kwargs and kwargs["default"] == Value("const", False))
        tags = tuple(str(t) for t in kwargs["tags"].value) if "tags" in kwargs and kwargs["tags"].kind == "const" \
            and isinstance(kwargs["tags"].value, list) else ()
        param = fn.params[0].name if fn.params else "session"
        out[str(name)] = PyTask(str(name), fn.qualname, param, fn.line, default, tags)
        previous_end = fn.end_line
    return out


def _choose_sessions(facts: FileFacts, sessions: dict[str, PyTask], names: list[str], tags: list[str]) -> list[str]:
    if names:
        chosen = []
        for n in names:
            base = re.split(r"[-(]", n, maxsplit=1)[0]
            chosen.append(n if n in sessions else base)
        return chosen
    if tags:
        return [s.name for s in sessions.values() if set(tags) & set(s.tags)]
    for a in facts.python.assigns:
        if a.target == "nox.options.sessions" and a.value.kind == "const" and isinstance(a.value.value, list):
            return [str(v) for v in a.value.value]
    return [s.name for s in sessions.values() if s.default]


def command_of(call: Call, first: int = 0) -> str | None:
    """The command line a `session.run("pytest", "-x")` or `subprocess.run(["pytest"])` call runs."""
    args = list(call.args[first:])
    if len(args) == 1 and args[0].kind in ("const", "parts") and isinstance(args[0].value, list):
        words = [w for w in args[0].value]
    else:
        words = [a.value if a.kind == "const" else None for a in args]
    if words[:1] == [None] and words[1:2] == ["-m"]:
        words[0] = "python"  # [sys.executable, "-m", "pytest"]
    if not words or not isinstance(words[0], str):
        return None
    if len(words) == 1 and " " in words[0]:
        return words[0]
    return " ".join(shlex.quote(str(w)) if w is not None else "..." for w in words)


def _dig(data: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(k)
    return data
