"""One pass over the repository that finds every tool of the components table (components_tools).

The six component probes share it: the survey is built once per scan and memoised on the fact
store. Each finding says where it was seen: in the project's own code, in tests, in examples or
docs, or in an integration module, that is code the repository offers its users for a tool
(lightning's `loggers/mlflow.py`) rather than code that uses the tool for the project's own models.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import NamedTuple

from mlaudit.facts.model import Call, FileFacts, PythonFacts, Value
from mlaudit.probes.ci_shell import INSTALLING
from mlaudit.probes.components_tools import (
    CONFIG_WORD, EXAMPLE_DIRS, MANIFEST_PATH, MODEL_LOADERS, NOT_A_MODEL, PYDANTIC_BASES, PYDANTIC_VALIDATE,
    REPORT_TO_CALLS, TOOLS, WEB_MODULES, Tool,
)
from mlaudit.probes.context import ProbeContext, is_test_path
from mlaudit.probes.deps_requirements import normalise
from mlaudit.probes.project import call_key
from mlaudit.probes.repo_paths import folder_of, join
from mlaudit.repository import RepoFile

PROJECT, TEST, EXAMPLE, INTEGRATION = "project", "test", "example", "integration"
COMMAND_FILES = (".github/workflows/*.yml", ".github/workflows/*.yaml", ".gitlab-ci.yml", "Makefile", "*.mk", "*.sh",
                 "Dockerfile", "Dockerfile.*", "*.Dockerfile", "Procfile", "Jenkinsfile", "docker-compose*.yml",
                 "docker-compose*.yaml", "compose.yml", "compose.yaml")
DEPENDENCY_FILES = ("requirements*.txt", "requirements/*.txt", "requirements*.in", "pyproject.toml", "Pipfile",
                    "environment.yml", "environment.yaml", "conda.yml", "conda.yaml", "setup.cfg")
# Libraries wrap trackers, config systems and checkers for their users; serving and pipeline
# code named for its tool (`serve.py`) is the project's own.
ADAPTER_AREAS = frozenset({"tracking", "config", "validation", "monitoring"})
SCHEMA_CALLS = ("expect_", "infer_schema", "load_schema")  # calls that write expectations down
NEARBY = 4  # lines above a load call where the `with open(...)` feeding it may sit


class Finding(NamedTuple):
    area: str
    tool: str
    path: str
    line: int | None
    cell: int | None
    detail: str
    where: str  # project | test | example | integration
    kind: str = ""  # the row's kind (drift, endpoint, registry...); "serving"/"records" for pydantic models


@dataclass
class Survey:
    findings: list[Finding] = field(default_factory=list)
    stages: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # tool -> steps (counted code only)
    config_files: set[str] = field(default_factory=set)
    schemas: list[str] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)  # normalised distribution names


# -- name matching -------------------------------------------------------------------------
class Matcher:
    """Globs indexed by their first segment (or, for "*." globs, their last): a call name is
    compared with a handful of candidates, never with the whole table."""

    def __init__(self, entries: Iterable[tuple[str, object]]):
        self.by_root: dict[str, list] = defaultdict(list)
        self.by_last: dict[str, list] = defaultdict(list)
        self.by_prefix: list[tuple[str, str, object]] = []
        self.builtins: dict[str, list] = defaultdict(list)
        for pattern, payload in entries:
            if "." not in pattern:
                self.builtins[pattern].append((pattern, payload))
            elif pattern.startswith("*."):
                last = pattern.rsplit(".", 1)[1]
                if any(ch in last for ch in "*?["):
                    self.by_prefix.append((re.split(r"[*?\[]", last)[0], pattern, payload))
                else:
                    self.by_last[last].append((pattern, payload))
            else:
                self.by_root[pattern.split(".", 1)[0]].append((pattern, payload))

    def match(self, name: str, resolved: bool) -> list:
        out = []
        if "." not in name:
            if not resolved:
                out += [p for pat, p in self.builtins.get(name, ()) if pat == name]
            return out
        last = name.rsplit(".", 1)[1]
        if resolved:
            out += [p for pat, p in self.by_root.get(name.split(".", 1)[0], ()) if fnmatch.fnmatchcase(name, pat)]
        out += [p for pat, p in self.by_last.get(last, ()) if fnmatch.fnmatchcase(name, pat)]
        out += [p for prefix, pat, p in self.by_prefix if last.startswith(prefix) and fnmatch.fnmatchcase(name, pat)]
        return out


# One index for everything a call name can be: a tool's API or pipeline step, a model loader,
# a Hugging Face TrainingArguments (report_to=...).
_NAMES = Matcher([(pat, (t, "api")) for t in TOOLS for pat in t.api]
                 + [(pat, (t, "stage")) for t in TOOLS for pat in t.stages]
                 + [(pat, (None, "loader")) for pat in MODEL_LOADERS]
                 + [(pat, (None, "report_to")) for pat in REPORT_TO_CALLS])
_PYDANTIC = Matcher([(pat, pat) for pat in PYDANTIC_BASES])
_ROOTS = frozenset(pat.split(".", 1)[0] for t in TOOLS for pat in t.api if "." in pat and not pat.startswith("*"))


class Use(NamedTuple):
    line: int
    cell: int | None
    name: str  # normalised: "()" dropped, re-exports rewritten
    resolved: bool
    what: str  # call | decorator | base
    call: Call | None
    scope: str


def where_of(path: str, *, code: bool = True) -> str:
    """project, test or example. Code in hidden folders (`.actions/`, `.github/scripts/`) is
    repository tooling and is reported with examples; CI files there are the project's own."""
    if is_test_path(path):
        return TEST
    folders = PurePosixPath(path).parts[:-1]
    if any(part.lower() in EXAMPLE_DIRS or (code and part.startswith(".")) for part in folders):
        return EXAMPLE
    return PROJECT


def _local_packages(ctx: ProbeContext) -> set[str]:
    names = set()
    for f in ctx.store.code_files():
        parts = PurePosixPath(f.path).parts
        if parts and parts[0] == "src" and len(parts) > 1:
            parts = parts[1:]
        names.add(PurePosixPath(parts[0]).stem if len(parts) == 1 else parts[0])
    return names


def _reexports(py: PythonFacts, local: set[str]) -> dict[str, str]:
    """`from madewithml.config import mlflow`: the project re-exports a tool module; calls through
    it (`madewithml.config.mlflow.search_runs`) are calls to the tool."""
    out = {}
    for i in py.imports:
        if i.name in _ROOTS and i.module.split(".")[0] != i.name and (
                i.module.startswith(".") or i.module.split(".")[0] in local):
            sep = "" if i.module.endswith(".") else "."
            out[f"{i.module}{sep}{i.name}"] = i.name
    return out


def _uses(py: PythonFacts, rewrite: dict[str, str]) -> list[Use]:
    """Calls, bare decorators and base classes, with names as the table spells them."""
    roots = {i.alias for i in py.imports} | {i.module.split(".")[0] for i in py.imports}

    def norm(name: str) -> str:
        name = name.replace("()", "")
        for prefix, target in rewrite.items():
            if name == prefix or name.startswith(prefix + "."):
                return target + name[len(prefix):]
        return name

    uses = [Use(c.line, c.cell, norm(c.name), c.resolved, "call", c, c.scope) for c in py.calls]
    called = {(c.cell, c.line, c.name) for c in py.calls}
    for fn in py.functions:
        for i, dec in enumerate(fn.decorators):
            line = fn.line - len(fn.decorators) + i
            if any((fn.cell, ln, dec) in called for ln in range(max(1, line - 10), fn.line)):
                continue  # `@app.get("/")` is also a call: counted once
            uses.append(Use(line, fn.cell, norm(dec), dec.split(".")[0] in roots, "decorator", None, fn.qualname))
    for cls in py.classes:
        for base in cls.bases:
            uses.append(Use(cls.line, cls.cell, norm(base), base.split(".")[0] in roots, "base", None, cls.name))
    return uses


# -- config-file loads ------------------------------------------------------------------------
def _hints(values: Iterable[Value]) -> Iterable[tuple[str, str]]:
    for v in values:
        if v.kind == "const" and isinstance(v.value, str) and len(v.value) < 300 and "\n" not in v.value:
            yield "path", v.value
        elif v.kind == "fstring" and isinstance(v.value, str):
            yield "path", v.value
        elif v.kind == "name":
            yield "name", v.local or str(v.value)


def _config_path(kind: str, text: str, tool: Tool) -> bool:
    if kind == "name":
        return tool.by_name and bool(CONFIG_WORD.search(text.rsplit(".", 1)[-1]))
    suffix = PurePosixPath(text).suffix.lower().lstrip(".")
    return suffix in tool.loads and bool(CONFIG_WORD.search(text))


def _loaded_config(use: Use, tool: Tool, by_line: dict, scope_calls: list[Call],
                   params: tuple[str, ...]) -> tuple[str, str] | None:
    """(kind, text) when a load reads a config file: kind "path" for a literal path, "name" for a
    variable named like one, "param" when the path is a parameter of the enclosing function (its
    callers decide). None when it reads no config file.

    The file is named by the call's own argument, by a call on the same line
    (`yaml.safe_load(open("params.yaml"))`), or by an `open`-like call a few lines above when the
    argument is a handle (`with open(cfg_path) as f: yaml.safe_load(f)`).
    """
    call = use.call
    if call is None:
        return None
    first = call.args[:1] or [v for k, v in call.kwargs.items() if k in ("stream", "fp", "f", "filenames")]
    if not first:
        return None
    arg = first[0]
    if arg.kind == "const":  # a literal: YAML text, or a path for configparser.read
        candidates = [arg] if use.name.endswith(".read") else []
    elif arg.kind == "name":
        candidates = [arg] if use.name.endswith(".read") else []
        for other in scope_calls:
            if use.line - NEARBY <= other.line <= use.line and other.cell == use.cell and _opens(other.name):
                candidates += list(other.args[:3])
    else:
        candidates = [a for other in by_line.get((use.cell, use.line), ()) if other is not call
                      for a in other.args[:2]]
    for kind, text in _hints(candidates):
        if kind == "name" and text in params:
            return "param", text
        if _config_path(kind, text, tool):
            return kind, text
    return None


def _opens(name: str) -> bool:
    last = name.replace("()", "").rsplit(".", 1)[-1]
    return last in ("open", "read_text", "read_bytes", "Path", "join")


# -- declared dependencies ----------------------------------------------------------------------
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# pyproject keys whose quoted values are prose, not requirements
_METADATA_KEY = re.compile(r"^\s*(?:name|description|readme|version|license|keywords|authors?|maintainers|classifiers"
                           r"|homepage|repository|documentation|requires-python|python)\s*=")
_QUOTED = re.compile(r"""["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@ ]|["'])""")


def _declared(ctx: ProbeContext) -> set[str]:
    names: set[str] = set()
    for f in ctx.files(*DEPENDENCY_FILES):
        text = ctx.store.text(f) or ""
        for line in text.splitlines():
            stripped = line.split("#", 1)[0]
            if not stripped.strip() or stripped.lstrip().startswith("-"):
                continue
            if f.suffix in (".txt", ".in"):
                m = _REQUIREMENT.match(stripped)
                names.update([normalise(m.group(1))] if m else [])
            elif f.name in ("environment.yml", "environment.yaml", "conda.yml", "conda.yaml"):
                m = re.match(r"^\s*-\s*([A-Za-z0-9][A-Za-z0-9._-]*)", stripped)
                names.update([normalise(m.group(1))] if m else [])
            else:
                if _METADATA_KEY.match(stripped):
                    continue
                names.update(normalise(n) for n in _QUOTED.findall(stripped))
                m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*[\"'{*]", stripped)  # Pipfile / poetry
                if m and (f.name == "Pipfile" or "[tool.poetry" in text):
                    names.add(normalise(m.group(1)))
    return names


# -- the survey -------------------------------------------------------------------------------
def survey(ctx: ProbeContext) -> Survey:
    return ctx.shared("components.survey", _survey)


class _Hit(NamedTuple):
    tool: Tool
    purpose: str  # api | stage
    use: Use
    detail: str


@dataclass
class _File:
    f: RepoFile
    where: str
    script: bool
    hits: list[_Hit]
    classes: list[str]
    functions: list[str]  # top-level functions
    loaders: list[Use]  # calls that load a model
    loader_scopes: set[str]  # "<module>", or the top-level function or class holding a loader
    imported: set[str]  # last segment of each imported module, and each name imported from one
    call_keys: set[tuple[str, str]] | None  # (module stem, name) of each call; kept for scripts and web modules


def _survey(ctx: ProbeContext) -> Survey:
    out = Survey()
    local = _local_packages(ctx)
    paths = {f.path for f in ctx.repo.files}
    files: list[_File] = []
    pydantic_models: dict[str, tuple[str, int, int | None]] = {}
    helpers: dict[tuple[str, str], _Helper] = {}
    # The names a file's calls match depend on its content and the project's own package names
    # alone: a history walk works them out once per blob and package list.
    local_key = hashlib.sha1("\n".join(sorted(local)).encode()).hexdigest()[:12]
    for f, facts in ctx.code(include_tests=True):
        matched = ctx.store.per_file(f"components.uses{f.suffix}:{local_key}", f,
                                     lambda: _matched_uses(facts.python, local))
        files.append(_scan_file(f, facts, matched, paths, out, helpers))
        _collect_pydantic(f, facts.python, pydantic_models)
    _classify(files, out)
    if pydantic_models or helpers:
        for f, facts in ctx.code(include_tests=True):
            _pydantic_rows(f, facts.python, pydantic_models, out)
            _config_callers(f, facts.python, helpers, paths, out)
    _file_rules(ctx, out)
    _dvc(ctx, paths, out)
    _commands(ctx, out)
    out.declared = _declared(ctx)
    return out


class _Helper(NamedTuple):
    """A project function that loads the config file its caller names."""
    tool: Tool
    param: str
    index: int  # positional index at call sites
    path: str
    line: int
    load: str


def _params(py: PythonFacts, scope: str) -> tuple[tuple[str, ...], tuple[str, int] | None]:
    """Parameters of the function holding a call, and (name callers use, positional shift) when
    callers can be found: a top-level function, or a class's __init__ (called as the class)."""
    fn = next((fn for fn in py.functions if fn.qualname == scope), None)
    if fn is None:
        return (), None
    names = tuple(p.name for p in fn.params)
    if "." not in scope:
        return names, (fn.name, 0)
    head, _, method = scope.partition(".")
    if method == "__init__" and any(c.name == head for c in py.classes):
        return names, (head, 1)
    return names, None


def _matched_uses(py: PythonFacts, local: set[str]) -> tuple[tuple[Use, tuple], ...]:
    """Each call, decorator and base class that names a tool, a model loader or report_to, with what it names."""
    uses = ((use, _NAMES.match(use.name, use.resolved)) for use in _uses(py, _reexports(py, local)))
    return tuple((use, tuple(matches)) for use, matches in uses if matches)


def _scan_file(f: RepoFile, facts: FileFacts, matched: tuple[tuple[Use, tuple], ...], paths: set[str], out: Survey,
               helpers: dict[tuple[str, str], _Helper]) -> _File:
    py = facts.python
    where = where_of(f.path)
    hits: list[_Hit] = []
    loaders: list[Use] = []
    by_line: dict | None = None
    by_scope: dict | None = None
    for use, matches in matched:
        if any(p == "loader" for _, p in matches) and use.what == "call" and not NOT_A_MODEL.search(
                "".join(use.name.split(".")[-2:-1])):
            loaders.append(use)
        if use.call is not None and any(p == "report_to" for _, p in matches):
            hits += _report_to(use)
        for tool, purpose in matches:
            if tool is None:
                continue
            detail = f"{_verb(use)} {use.name}"
            if tool.loads and purpose == "api":
                if by_line is None:
                    by_line, by_scope = defaultdict(list), defaultdict(list)
                    for c in py.calls:
                        by_line[(c.cell, c.line)].append(c)
                        by_scope[c.scope].append(c)
                params, owner = _params(py, use.scope)
                loaded = _loaded_config(use, tool, by_line, by_scope[use.scope], params)
                if loaded is None:
                    continue
                kind, text = loaded
                if kind == "param":
                    if owner is not None:
                        helpers[(PurePosixPath(f.path).stem, owner[0])] = _Helper(
                            tool, text, params.index(text) - owner[1], f.path, use.line, use.name)
                    continue
                named = f"config file {text}" if kind == "path" else f"the config file named by {text}"
                detail = (f"runs {text} as configuration code (exec(open(...).read()))" if kind == "path"
                          and tool.name == "exec-config" else f"loads {named} with {use.name}")
                if kind == "path" and where == PROJECT and tool.name != "exec-config":
                    out.config_files.update(_existing(paths, f.path, text))
            hits.append(_Hit(tool, purpose, use, detail))
            if tool.name == "hydra" and use.call is not None and where == PROJECT:
                out.config_files.update(_hydra_config(paths, f.path, use.call))
            if tool.area == "config" and use.call is not None and where == PROJECT and not tool.loads:
                for kind, text in _hints(use.call.args[:1]):
                    if kind == "path" and PurePosixPath(text).suffix in (".yaml", ".yml", ".gin", ".json", ".toml"):
                        out.config_files.update(_existing(paths, f.path, text))
    script = facts.kind == "notebook" or py.main_guard
    keep_keys = script or any(h.tool.needs_model for h in hits)
    return _File(
        f, where, script, hits, [c.name for c in py.classes],
        [fn.name for fn in py.functions if fn.class_name is None and "." not in fn.qualname],
        loaders, {u.scope.split(".")[0] for u in loaders},
        {i.module.rsplit(".", 1)[-1] for i in py.imports} | {i.name for i in py.imports if i.name},
        {call_key(c, f.path) for c in py.calls} if keep_keys else None,
    )


def _verb(use: Use) -> str:
    return {"call": "calls", "decorator": "decorated with", "base": "subclasses"}[use.what]


def _report_to(use: Use) -> list[_Hit]:
    value = use.call.kwargs.get("report_to") if use.call else None
    if value is None or value.kind != "const":
        return []
    names = value.value if isinstance(value.value, list) else [value.value]
    out = []
    for name in names:
        tool = next((t for t in TOOLS if t.area == "tracking" and t.name == str(name)), None)
        if tool is not None:
            out.append(_Hit(tool, "api", use, f"{use.name}(report_to={name!r}) logs to {tool.name}"))
    return out


def _existing(paths: set[str], py_path: str, text: str) -> list[str]:
    """The committed file a literal config path points to: from the root, or from the file's folder."""
    if "{" in text or text.startswith("/"):
        return []
    for folder in ("", folder_of(py_path)):
        p = join(folder, text)
        if p is not None and p in paths:
            return [p]
    return []


def _hydra_config(paths: set[str], py_path: str, call: Call) -> list[str]:
    path = call.kwargs.get("config_path")
    name = call.kwargs.get("config_name")
    if path is None or name is None or path.kind != "const" or name.kind != "const":
        return []
    if not isinstance(path.value, str) or not isinstance(name.value, str):
        return []
    return _existing(paths, py_path, f"{path.value}/{name.value}" + ("" if name.value.endswith(".yaml") else ".yaml"))


def _collect_pydantic(f: RepoFile, py: PythonFacts, models: dict) -> None:
    for cls in py.classes:
        if any(_PYDANTIC.match(b, True) for b in cls.bases):
            models.setdefault(cls.name, (f.path, cls.line, cls.cell))


def _adapters(files: list[_File]) -> tuple[dict[tuple[str, str], bool], dict[str, set[str]]]:
    """Integration modules: (path, tool) -> whether a project script calls into it, and the
    classes named for each tool. A script (notebook, `__main__` guard) is never one itself."""
    adapters: dict[tuple[str, str], bool] = {}
    named_classes: dict[str, set[str]] = defaultdict(set)
    for fi in files:
        if fi.script or fi.where != PROJECT:
            continue
        stem = PurePosixPath(fi.f.path).stem.replace("_", "").lower()
        for tool in {h.tool for h in fi.hits if h.tool.area in ADAPTER_AREAS and not h.tool.loads}:
            named = {c for c in fi.classes if any(w in c.lower() for w in tool.names)}
            if named or any(w in stem for w in tool.names):
                named_classes[tool.name].update(named)
                adapters[(fi.f.path, tool.name)] = False
    scripts = [fi for fi in files if fi.script and fi.where == PROJECT]
    by_path = {fi.f.path: fi for fi in files}
    for path, tool in adapters:
        fi = by_path[path]
        stem = PurePosixPath(path).stem
        offered = {(stem, fn) for fn in fi.functions} | {(stem, c) for c in fi.classes}
        classes = {c for c in fi.classes if c in named_classes[tool]}
        adapters[(path, tool)] = any(
            any(k in offered or k[1] in classes for k in s.call_keys or ()) for s in scripts)
    return adapters, named_classes


def _classify(files: list[_File], out: Survey) -> None:
    """Decide, per hit, whether the project really uses the tool (see the module docstring)."""
    adapters, named_classes = _adapters(files)
    # Where models get loaded: (module stem, top-level function or class, or "<module>").
    loading = {(PurePosixPath(fi.f.path).stem, scope) for fi in files if fi.where != TEST for scope in fi.loader_scopes}
    loading_modules = {stem for stem, scope in loading if scope == "<module>"}
    for fi in files:
        loads_model = bool(fi.loaders) or bool(fi.imported & loading_modules) or any(
            k in loading for k in fi.call_keys or ())
        for hit in fi.hits:
            tool, use = hit.tool, hit.use
            where = fi.where
            if where == PROJECT and tool.area in ADAPTER_AREAS and not tool.loads:
                adapter = adapters.get((fi.f.path, tool.name))
                last = use.name.rsplit(".", 1)[-1]
                if adapter is False or (adapter is None and not fi.script and last in named_classes.get(tool.name, ())):
                    where = INTEGRATION
            if tool.needs_model and not loads_model:
                continue
            detail = hit.detail
            if tool.needs_model:
                loader = min(fi.loaders, key=lambda u: (u.cell != use.cell, abs(u.line - use.line)), default=None)
                detail += (f" in a module that loads a model ({loader.name}, line {loader.line})" if loader
                           else " in a module that calls project code loading a model")
                if tool.kind == "demo":
                    detail += " (a demo app)"
            if hit.purpose == "stage":
                if where == PROJECT:
                    out.stages[tool.name] += 1
                continue
            out.findings.append(Finding(tool.area, tool.name, fi.f.path, use.line, use.cell, detail, where, tool.kind))
            last = use.name.rsplit(".", 1)[-1]
            if tool.area == "validation" and where in (PROJECT, TEST) and (use.what == "base" or "Schema" in last
                                                                            or last.startswith(SCHEMA_CALLS)):
                out.schemas.append(_loc(fi.f.path, use.line, use.cell))


def _loc(path: str, line: int | None, cell: int | None) -> str:
    if line is None:
        return path
    return f"{path}:cell {cell}:{line}" if cell is not None else f"{path}:{line}"


_CONFIG_LIKE_MODEL = re.compile(r"(?i)config|settings|params|args|options|hparams|cfg")


def _pydantic_rows(f: RepoFile, py: PythonFacts, models: dict, out: Survey) -> None:
    """Pydantic models validating records: a BaseModel subclass the code validates data with
    (`Row.model_validate(r)`, `Row.parse_obj(r)`, `Row(**r)`), or a request model in a web app."""
    if not models:
        return
    where = where_of(f.path)
    web = any(i.module.split(".")[0] in WEB_MODULES for i in py.imports)
    seen: set[str] = set()
    if web:
        for cls in py.classes:
            if cls.name in models and models[cls.name][0] == f.path and cls.name not in seen:
                seen.add(cls.name)
                out.findings.append(Finding("validation", "pydantic", f.path, cls.line, cls.cell,
                                            f"pydantic model {cls.name} validates API requests (serving side)",
                                            where, "serving"))
                out.schemas.append(_loc(f.path, cls.line, cls.cell))
    for c in py.calls:
        parts = c.name.replace("()", "").split(".")
        model = parts[-2] if len(parts) > 1 and parts[-1] in PYDANTIC_VALIDATE else (
            parts[-1] if "**" in c.kwargs else None)
        if model not in models or model in seen or _CONFIG_LIKE_MODEL.search(model):
            continue
        seen.add(model)
        out.findings.append(Finding("validation", "pydantic", f.path, c.line, c.cell,
                                    f"validates records with pydantic model {model} ({c.name.replace('()', '')})",
                                    where, "serving" if web else "records"))
        path, line, cell = models[model]
        out.schemas.append(_loc(path, line, cell))


def _config_callers(f: RepoFile, py: PythonFacts, helpers: dict[tuple[str, str], _Helper], paths: set[str],
                    out: Survey) -> None:
    """Calls to a config-loading helper with a config path: `load_config("configs/train.yaml")`."""
    if not helpers:
        return
    where = where_of(f.path)
    names = {name for _, name in helpers}
    for c in py.calls:
        if c.name.rsplit(".", 1)[-1] not in names:
            continue
        helper = helpers.get(call_key(c, f.path))
        if helper is None:
            continue
        arg = c.kwargs.get(helper.param) or (c.args[helper.index] if 0 <= helper.index < len(c.args) else None)
        params, _ = _params(py, c.scope)
        for kind, text in _hints([arg] if arg is not None else []):
            if (kind == "name" and text in params) or not _config_path(kind, text, helper.tool):
                continue
            named = f"config file {text}" if kind == "path" else f"the config file named by {text}"
            out.findings.append(Finding("config", helper.tool.name, f.path, c.line, c.cell,
                                        f"loads {named} through {c.name.replace('()', '')}() "
                                        f"({helper.load} at {helper.path}:{helper.line})", where))
            if kind == "path" and where == PROJECT and helper.tool.name != "exec-config":
                out.config_files.update(_existing(paths, f.path, text))


def _file_rules(ctx: ProbeContext, out: Survey) -> None:
    manifests = None
    for tool in TOOLS:
        if not tool.files and not tool.manifests:
            continue
        candidates = list(ctx.files(*tool.files)) if tool.files else []
        if tool.manifests:
            if manifests is None:
                manifests = [f for f in ctx.files("*.yaml", "*.yml") if MANIFEST_PATH.search(f.path)]
            candidates += manifests
        for f in candidates:
            line, text = None, None
            if tool.contains:
                text = ctx.store.text(f)
                m = re.search(tool.contains, text) if text else None
                if m is None:
                    continue
                start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())  # its first non-blank
                line = text.count("\n", 0, start) + 1
            where = where_of(f.path, code=False)
            detail = f"{f.path} is read by {tool.name}" + (f" ({tool.kind})" if tool.kind else "")
            if tool.name == "snakemake" and text:
                rules = len(re.findall(tool.contains, text))
                if where == PROJECT:
                    out.stages["snakemake"] += rules
                detail = f"Snakemake workflow with {rules} rule(s)"
            out.findings.append(Finding(tool.area, tool.name, f.path, line, None, detail, where, tool.kind))
            if tool.area == "validation" and where in (PROJECT, TEST):
                out.schemas.append(_loc(f.path, line, None))


def _dvc(ctx: ProbeContext, paths: set[str], out: Survey) -> None:
    """dvc.yaml stages are an orchestrated pipeline; the params they declare are configuration."""
    for f in ctx.files("dvc.yaml"):
        doc = ctx.store.yaml(f)
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        stages = data.get("stages")
        if not isinstance(stages, dict) or not stages:
            continue
        where = where_of(f.path)
        out.findings.append(Finding("pipeline", "dvc", f.path, doc.lines.get(("stages",)), None,
                                    f"dvc.yaml defines {len(stages)} pipeline stage(s): {', '.join(list(stages)[:6])}",
                                    where))
        if where == PROJECT:
            out.stages["dvc"] += len(stages)
        params: dict[str, tuple] = {}
        for name, stage in stages.items():
            declared = stage.get("params") if isinstance(stage, dict) else None
            for i, entry in enumerate(declared if isinstance(declared, list) else []):
                files = [str(k) for k in entry] if isinstance(entry, dict) else ["params.yaml"]
                for p in files:
                    params.setdefault(p, (name, i))
        for p, (name, i) in params.items():
            out.findings.append(Finding("config", "dvc", f.path, doc.lines.get(("stages", name, "params")), None,
                                        f"dvc stage {name} reads parameters from {p}", where))
            if where == PROJECT:
                out.config_files.update(_existing(paths, f.path, p))


def _commands(ctx: ProbeContext, out: Survey) -> None:
    tools = [t for t in TOOLS if t.command]
    pattern = re.compile("|".join(f"(?P<t{i}>{t.command})" for i, t in enumerate(tools)))
    for f in ctx.files(*COMMAND_FILES):
        text = ctx.store.text(f)
        if not text:
            continue
        where = where_of(f.path, code=False)
        seen = set()
        for n, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith(("#", "//")) or INSTALLING.search(stripped):
                continue
            for m in pattern.finditer(stripped):
                tool = tools[int(m.lastgroup[1:])]
                if tool.name in seen:
                    continue
                seen.add(tool.name)
                out.findings.append(Finding(tool.area, tool.name, f.path, n, None,
                                            f"runs `{m.group(0)}`", where, tool.kind))

