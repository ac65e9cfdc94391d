"""Production code that executes notebooks: Sculley et al.'s prototype smell (2015, §5)."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from typing import Any

from mlaudit.facts.model import Call, FileFacts, Value
from mlaudit.probes.ci import OTHER_CI
from mlaudit.probes.context import ProbeContext, is_test_path
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.notebooks import OUTCOMES, notebook_files
from mlaudit.probes.project import callers, stem
from mlaudit.probes.registry import probe
from mlaudit.repository import RepoFile

NOTEBOOK_IMPORTS = ("import_ipynb", "nbimporter", "importnb", "ipynb.fs")
# Calls that execute a notebook (constructors count: building the executor is the intent).
NOTEBOOK_RUNNERS = frozenset({
    "papermill.execute_notebook", "papermill.execute.execute_notebook",
    "nbclient.NotebookClient", "nbclient.client.NotebookClient", "nbclient.execute", "nbclient.client.execute",
    "nbconvert.preprocessors.ExecutePreprocessor", "nbconvert.preprocessors.execute.ExecutePreprocessor",
    "nbconvert.ExecutePreprocessor", "ploomber.tasks.NotebookRunner",
})
RUN_PATH = frozenset({"exec", "execfile", "runpy.run_path", "runpy.run_module"})
# `%run x.ipynb` as `jupyter nbconvert --to script` writes it; get_ipython may come from IPython or be a builtin.
IPYTHON_RUN = frozenset({f"{head}get_ipython().{magic}" for head in ("", "IPython.", "IPython.core.getipython.")
                         for magic in ("run_line_magic", "magic")})
SHELL_CALLS = frozenset({"os.system", "os.popen", "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell"})
TASK_RUNNERS = frozenset({"c", "ctx", "context", "conn", "connection"})  # invoke / fabric `c.run("...")`
# Where running a notebook means checking it or rendering documentation, not running the product.
TEST_OR_DOCS = re.compile(
    r"(?<![a-z])test|(?:py|unit|nb|smoke)test|docs?(?![a-z])|documentation|sphinx|mkdocs"
    r"|jupyter-?book|check(?!out|point)|lint|valid|verif|smoke"
    r"|example|tutorial|gallery|readthedocs|(?<![a-z])pages|nbval|nbmake|treon")
# In CI, running notebooks is how projects test them; a CI line counts only under one of these names.
PRODUCTION = re.compile(
    r"(?<![a-z])(?:re)?train|deploy|report|predict|inference|(?<![a-z])etl(?![a-z])|refresh|serv(?:e|ing)(?![a-z])"
    r"|scoring|production|ingest|forecast")
RENDER_FORMATS = frozenset({"html", "pdf", "webpdf", "markdown", "md", "latex", "slides", "rst", "asciidoc", "qtpdf",
                            "qtpng"})
CI_DIRS = frozenset({".github", ".circleci", "ci", ".ci", ".gitlab", ".buildkite", ".jenkins", ".azure-pipelines"})
_SEGMENTS = re.compile(r"&&|\|\||[;|`()]|\$\(")
_LITERAL = re.compile(r"""[rRbBuUfF]{0,2}("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")
_WRAPPERS = frozenset({"do", "then", "else", "{", "!", "-", "exec", "time", "sudo", "nohup", "command", "env",
                       "xargs", "xvfb-run", "parallel", "nice"})
# YAML keys whose value is a command (a `name:` or `description:` that mentions papermill is not one).
_COMMAND_KEYS = frozenset({"run:", "cmd:", "script:", "command:", "entrypoint:", "before_script:", "after_script:",
                           "shell:"})
_RUNNERS = frozenset({"uv", "poetry", "pipenv", "pdm", "hatch", "rye", "conda", "mamba", "micromamba", "pixi"})
_VALUED_OPTIONS = frozenset({"-n", "--name", "-p", "--prefix", "-e", "--env", "--environment", "-I", "-P", "-u",
                             "--user"})
_REMOTE = frozenset({"docker", "podman", "kubectl", "singularity", "apptainer", "ssh", "srun"})
_TOOLS = frozenset({"jupyter", "jupyter-nbconvert", "jupyter-execute", "jupyter-run", "papermill"})
_IPYNB = re.compile(r"\.ipynb(?![\w.])")
_PYTHON = re.compile(r"^(?:python[\d.]*|py)$")


def notebook_command(command: str) -> tuple[str, str] | None:
    """(what runs, kind) for the first notebook-executing command in a shell line, else None.

    kind is "run" (executes a notebook), or "render" (`nbconvert --execute --to html|pdf|...`:
    running it to produce a document)."""
    for segment in _SEGMENTS.split(command):
        words = [w.strip("\"'") for w in segment.split()]
        words = [w for w in words if w and w != "\\"]
        found = _match_words(words)
        if found:
            return " ".join(words[found[1]:])[:160], found[0]
    return None


def _skip_options(words: list[str], i: int) -> int:
    while i < len(words) and len(words[i]) > 1 and words[i].startswith("-"):
        i += 2 if words[i] in _VALUED_OPTIONS else 1
    return i


def _match_words(words: list[str]) -> tuple[str, int] | None:
    """(kind, index of the command word) when these words run a notebook."""
    i = 0
    while i < len(words):  # step over what only wraps the command: keys, env, sudo, conda run -n x, ...
        w = words[i]
        if w in _WRAPPERS or w in _COMMAND_KEYS or re.match(r"^\w+=", w):
            i = _skip_options(words, i + 1)
        elif w == "timeout":
            i = _skip_options(words, i + 1) + 1
        elif w in _RUNNERS and i + 1 < len(words) and words[i + 1] in ("run", "exec"):
            i = _skip_options(words, i + 2)
        elif w == "find":
            rest = [j for j in range(i, len(words)) if words[j] in ("-exec", "-execdir")]
            if not rest:
                return None
            i = rest[0] + 1
        elif _PYTHON.match(w) and i + 1 < len(words) and words[i + 1] == "-m":
            i += 2
        elif w in _REMOTE:  # docker run [options] IMAGE jupyter ...: options vary too much to parse
            tool = next((j for j in range(i + 1, len(words)) if words[j] in _TOOLS), None)
            if tool is None:
                return None
            i = tool
        else:
            break
    start, head, rest = i, words[i:i + 1], words[i + 1:]
    if not head:
        return None
    if head[0] in ("jupyter", "ipython") and rest:
        head, rest = [f"jupyter-{rest[0]}"], rest[1:]
    tool = head[0].rpartition("/")[2]
    if tool in ("jupyter-nbconvert", "ipython-nbconvert", "nbconvert"):
        if "--execute" not in rest and not any(r.startswith("--ExecutePreprocessor.enabled=True") for r in rest):
            return None
        fmt = next((r.partition("=")[2] for r in rest if r.startswith("--to=")), None)
        if fmt is None and "--to" in rest and rest.index("--to") + 1 < len(rest):
            fmt = rest[rest.index("--to") + 1]
        return ("render" if fmt in RENDER_FORMATS else "run"), start
    if tool == "jupyter-execute":
        return "run", start
    if tool == "jupyter-run":
        targets = [r for r in rest if not r.startswith("-")]
        return ("run", start) if targets and not all(t.endswith(".py") for t in targets) else None
    if tool == "papermill":
        return ("run", start) if any(not r.startswith("-") for r in rest) else None
    return None


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) with backslash continuations joined and comment lines dropped."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if pending is None and line.lstrip().startswith(("#", "//")):
            continue
        start, sofar = pending if pending else (n, "")
        joined = sofar + " " + line.rstrip()
        if joined.endswith("\\"):
            pending = (start, joined[:-1])
            continue
        pending = None
        out.append((start, re.sub(r"(?:^|\s)#.*$", "", joined).strip()))
    if pending:
        out.append(pending)
    return out


def _yaml_context(ctx: ProbeContext, f: RepoFile, line: int) -> str:
    """Keys and `name:`s on the way to the YAML node that holds `line` (job, stage, step)."""
    doc = ctx.store.yaml(f)
    if doc is None or not doc.lines:
        return ""
    loc = max((loc for loc, n in doc.lines.items() if n <= line), key=lambda loc: (doc.lines[loc], len(loc)),
              default=())
    words: list[str] = []
    node: Any = doc.data
    for key in (None, *loc):
        if key is not None:
            if isinstance(key, str):
                words.append(key)
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
        if isinstance(node, dict) and isinstance(node.get("name"), str):
            words.append(node["name"])
    return " ".join(words)


def _make_target(lines: list[str], line: int) -> str:
    for n in range(line - 1, -1, -1):
        m = re.match(r"^([^\s:#=][^:=]*):(?!=)", lines[n])
        if m:
            return m.group(1)
    return ""


def _script_findings(ctx: ProbeContext) -> tuple[list[Evidence], int]:
    """Notebook runs in CI, Makefiles, Dockerfiles, shell scripts and DVC pipelines."""
    ci = {f.path: f for f in ctx.files(".github/workflows/*.yml", ".github/workflows/*.yaml",
                                       ".github/actions/*/action.yml", ".github/actions/*/action.yaml",
                                       ".gitlab-ci.yml", *OTHER_CI)}
    others = ctx.files("Makefile", "makefile", "GNUmakefile", "*.mk", "Dockerfile", "Dockerfile.*", "*.Dockerfile",
                       "*.dockerfile", "*.sh", "*.bash", "dvc.yaml")
    evidence: list[Evidence] = []
    skipped = 0
    for f in [*ci.values(), *(f for f in others if f.path not in ci)]:
        if f.is_symlink or is_test_path(f.path):
            continue
        text = ctx.store.text(f)
        if text is None:
            continue
        kind = _script_kind(f)
        raw_lines = text.splitlines()
        for line, command in _logical_lines(text):
            if kind == "make" and not raw_lines[line - 1].startswith("\t"):
                continue
            if kind == "docker":
                command = _docker_command(command)
                if command is None:
                    continue
            found = notebook_command(command.lstrip("\t@-+ "))
            if found is None:
                continue
            what, how = found
            context = f.path.lower() + " " + (
                _make_target(raw_lines, line) if kind == "make" else
                _yaml_context(ctx, f, line) if f.suffix in (".yml", ".yaml") else "").lower()
            in_ci = f.path in ci or any(p in CI_DIRS for p in PurePosixPath(f.path).parts[:-1])
            testing = (how == "render" or TEST_OR_DOCS.search(context) or TEST_OR_DOCS.search(command.lower())
                       or re.search(r"\bpytest\b", command))
            if testing or (in_ci and not PRODUCTION.search(context)):
                skipped += 1
                continue
            where = {"make": f"Makefile target `{_make_target(raw_lines, line)}`", "docker": "the Dockerfile",
                     "dvc": "the DVC pipeline"}.get(kind, "CI" if in_ci else "the script")
            evidence.append(Evidence(path=f.path, line=line, detail=f"{where} runs a notebook: `{what}`"))
    return evidence, skipped


def _script_kind(f: RepoFile) -> str:
    name = f.name.lower()
    if name in ("makefile", "gnumakefile") or name.endswith(".mk"):
        return "make"
    if name.startswith("dockerfile") or name.endswith(".dockerfile"):
        return "docker"
    return "dvc" if name == "dvc.yaml" else "shell"


def _docker_command(line: str) -> str | None:
    m = re.match(r"^(?:RUN|CMD|ENTRYPOINT)\s+(.*)$", line, re.IGNORECASE)
    if m is None:
        return None
    body = m.group(1).strip()
    if body.startswith("["):  # exec form: a JSON array of words
        try:
            return " ".join(str(w) for w in json.loads(body))
        except ValueError:
            pass
    return body


def _const_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return " ".join(value)
    return None


def _value_text(value: Value) -> tuple[str, bool] | None:
    """The literal text of an argument, and whether it is the whole of it (no expression in it)."""
    if value.kind == "const":
        text = _const_text(value.value)
        return (text, True) if text else None
    if value.kind == "parts":  # ["jupyter", "nbconvert", fmt, path]: the literals we can read
        words = [str(v) for v in value.value if isinstance(v, str)]
        return (" ".join(words), False) if words else None
    if value.kind == "fstring":
        return value.value.replace("{}", "ARG"), False  # a placeholder word keeps the shape of the command
    return None


def _command_of(facts: FileFacts, call: Call) -> tuple[str, bool] | None:
    """The shell command a subprocess-like call runs, and whether it is known whole (all literal)."""
    if not call.args:
        return None
    first = call.args[0]
    if first.kind == "name":  # cmd = [...]; subprocess.run(cmd)
        bound = [a for a in facts.python.assigns
                 if a.target == first.local and a.scope in (call.scope, "<module>") and a.line <= call.line]
        return _value_text(bound[-1].value) if bound else None
    if len(call.args) > 1 and all(a.kind == "const" for a in call.args):  # os.execlp("papermill", ...)
        text = " ".join(t for t in (_const_text(a.value) for a in call.args) if t)
        return (text, True) if text else None
    return _value_text(first)


def _is_shell_call(call: Call) -> bool:
    head, _, last = call.name.rpartition(".")
    return ((call.resolved and (call.name.startswith("subprocess.") or call.name in SHELL_CALLS
                                or re.match(r"^os\.(?:exec|spawn)\w*$", call.name) is not None))
            or (not call.resolved and last in ("run", "sudo") and head in TASK_RUNNERS))


def _ipynb_arg(call: Call, facts: FileFacts) -> str | None:
    for v in (*call.args, *call.kwargs.values()):
        if v.kind == "const" and isinstance(v.value, str) and _IPYNB.search(v.value):
            return v.value
    # exec(open("nb.ipynb").read()): the path is an argument of the open() on the same line
    return next((a.value for c in facts.python.calls if c.line == call.line and c.name in ("open", "io.open")
                 for a in c.args[:1] if a.kind == "const" and isinstance(a.value, str) and a.value.endswith(".ipynb")),
                None)


def _production_caller(f: RepoFile, scope: str) -> bool:
    return f.suffix == ".py" and not is_test_path(f.path) and not TEST_OR_DOCS.search(f"{f.path} {scope}".lower())


def _test_helper(ctx: ProbeContext, f: RepoFile, scope: str) -> bool:
    """A project function that runs notebooks and is called, but only from tests, docs, examples or
    notebooks: a test utility that happens to live in the package (as in microsoft/recommenders)."""
    if scope == "<module>" or "." in scope:
        return False
    calls = [(cf, call) for cf, call in callers(ctx, (stem(f.path), scope))
             if not (cf.path == f.path and call.scope == scope)]
    return bool(calls) and not any(_production_caller(cf, call.scope) for cf, call in calls)


def _code_findings(ctx: ProbeContext) -> tuple[list[Evidence], int]:
    evidence: list[Evidence] = []
    skipped = 0
    for f, facts in ctx.code(include_tests=False):
        if facts.kind != "python":
            continue
        found: list[tuple[int, str, str]] = []  # (line, scope, detail)
        for imp in facts.python.imports:
            if imp.module.startswith(NOTEBOOK_IMPORTS) or (imp.module == "ipynb" and imp.name == "fs"):
                found.append((imp.line, "<module>", f"imports {imp.module}, which loads notebooks as modules"))
        for call in facts.python.calls:
            detail = None
            if call.resolved and call.name in NOTEBOOK_RUNNERS:
                nb = _ipynb_arg(call, facts)
                detail = f"calls {call.name}" + (f" on {nb}" if nb else "") + ", which executes a notebook"
            elif call.name in RUN_PATH or call.name in IPYTHON_RUN:
                nb = _ipynb_arg(call, facts)
                if nb and (call.name not in IPYTHON_RUN
                           or call.args and re.match(r"^%?run\b", str(call.args[0].value or ""))):
                    detail = f"runs the notebook {nb} with {call.name}"
            elif _is_shell_call(call):
                command = _command_of(facts, call)
                hit = notebook_command(command[0]) if command else None
                if hit is not None and hit[1] == "run":
                    partial = "" if command[1] else " (the command is built at run time; these are its literal parts)"
                    detail = f"runs a notebook through {call.name}: `{hit[0]}`{partial}"
                elif hit is not None:
                    skipped += 1  # rendering a report or docs
            if detail:
                found.append((call.line, call.scope, detail))
        for line, scope, detail in sorted(set(found)):
            if TEST_OR_DOCS.search(f"{f.path} {scope}".lower()) or _test_helper(ctx, f, scope):
                skipped += 1
                continue
            if not any(e.path == f.path and e.line == line for e in evidence):
                evidence.append(Evidence(path=f.path, line=line, detail=detail))
    return evidence, skipped


@probe("notebooks.prototype_in_production", outcomes=OUTCOMES)
def notebooks_prototype_in_production(ctx: ProbeContext) -> ProbeResult:
    """Does production code import or execute notebooks (Sculley's "prototype smell")?

    Python files outside tests that import notebooks as modules (`import_ipynb`, `nbimporter`,
    `importnb`, `ipynb.fs.*`), execute them (`papermill.execute_notebook`, nbclient's
    `NotebookClient`, nbconvert's `ExecutePreprocessor`, ploomber's `NotebookRunner`,
    `runpy`/`exec`/`%run` on a `.ipynb` path), or shell out to `jupyter nbconvert --execute`,
    `jupyter execute`, `jupyter run` or `papermill` (read from the call's string literals). Also
    lines in Makefiles, Dockerfiles (RUN/CMD/ENTRYPOINT), shell scripts, `dvc.yaml` and CI
    configurations that run those commands; comment lines and installs do not count.
    Running notebooks to test them or to build documentation is good practice, not the smell:
    `pytest --nbval`, `--nbmake` and `treon` never count, nor does anything whose path, Make
    target, job, step or function name, or the command itself, says test, docs, check, lint,
    validate, smoke, example or tutorial, nor `nbconvert --execute --to html|pdf|markdown|...` (rendering a document), nor a
    project function that runs notebooks and is called only from tests, docs or examples.
    In CI configurations (and scripts under .github/, ci/ and the like), executing notebooks is
    usually how projects check they still run, so a CI line counts only when its workflow file,
    workflow, job or step is named for a production task (train,
    deploy, report, predict, inference, ETL, refresh, serving, scoring, ingest, forecast).
    Notebooks running other notebooks are not production code and are not read.
    Not applicable when the repository has no notebooks and nothing runs any; false when notebooks
    exist and no production code runs them.
    Values: `notebooks`, `in_code` and `in_scripts` (findings), `test_or_docs_runs` (runs left out
    as testing, docs or rendering).
    """
    in_code, skipped_code = _code_findings(ctx)
    in_scripts, skipped_scripts = _script_findings(ctx)
    notebooks = len(notebook_files(ctx))
    skipped = skipped_code + skipped_scripts
    values = {"notebooks": notebooks, "in_code": len(in_code), "in_scripts": len(in_scripts),
              "test_or_docs_runs": skipped}
    evidence = in_code + in_scripts
    if evidence:
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    if notebooks or skipped:
        return ProbeResult(outcome=Outcome.false, values=values)
    return ProbeResult(outcome=Outcome.not_applicable, values=values,
                       message="no notebooks, and nothing in the repository runs one")
