"""How the repository tells pytest and unittest what to collect: its pytest configuration files,
`collect_ignore` in conftest.py, and the paths named on test command lines in CI, Makefiles and tox.

pytest reads one configuration file per run: the first of pytest.toml, .pytest.toml, pytest.ini,
.pytest.ini, pyproject.toml (with a pytest table), tox.ini ([pytest]) and setup.cfg
([tool:pytest]) in the directory it starts from or above. We give each test file the nearest such
file above it, which is what a run started in that part of the tree would use.
"""

from __future__ import annotations

import configparser
import fnmatch
import itertools
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mlaudit.probes import repo_paths
from mlaudit.probes.ci_configs import for_configparser
from mlaudit.probes.ci_shell import INSTALLING  # `pip install pytest tests/x.py` names no test to run
from mlaudit.probes.context import ProbeContext

DEFAULT_FILES = ("test_*.py", "*_test.py")
DEFAULT_NORECURSE = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}")
UNITTEST_FILES = ("test*.py",)  # unittest's discovery pattern: also `tests.py`, Django's convention
CONFIG_NAMES = ("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")


@dataclass(frozen=True)
class PytestConfig:
    path: str | None  # the file it came from; None for pytest's defaults
    root: str  # the folder it governs ("" for the repository root)
    testpaths: tuple[str, ...] = ()
    python_files: tuple[str, ...] = DEFAULT_FILES
    python_classes: tuple[str, ...] = ("Test",)
    python_functions: tuple[str, ...] = ("test",)
    norecursedirs: tuple[str, ...] = DEFAULT_NORECURSE
    ignore: tuple[str, ...] = ()  # --ignore / --ignore-glob in addopts, relative to root
    pythonpath: tuple[str, ...] = ()  # folders put on sys.path, relative to the repository


DEFAULTS = PytestConfig(None, "")


def _words(value) -> tuple[str, ...]:
    """An ini `args` value (shell words) or a TOML list."""
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError:
            return tuple(value.split())
    return ()


def _ignores(addopts: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for i, word in enumerate(addopts):
        for opt in ("--ignore", "--ignore-glob"):
            if word.startswith(opt + "="):
                out.append(word.split("=", 1)[1])
            elif word == opt and i + 1 < len(addopts):
                out.append(addopts[i + 1])
    return tuple(p.rstrip("/") for p in out)


def _options(path: str, text: str) -> dict | None:
    """The pytest options a configuration file holds, or None when it is not a pytest configuration."""
    name = PurePosixPath(path).name
    if name.endswith(".toml"):
        try:
            data = tomllib.loads(text)
        except (ValueError, RecursionError):  # TOMLDecodeError is a ValueError
            return None
        if name == "pyproject.toml":
            tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
            pytest = tool.get("pytest") if isinstance(tool.get("pytest"), dict) else None
            if pytest is None:
                return None
            legacy = pytest.get("ini_options")
            return legacy if isinstance(legacy, dict) else pytest
        table = data.get("pytest")
        return table if isinstance(table, dict) else {}
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(for_configparser(text))
    except configparser.Error:
        return {} if name in ("pytest.ini", ".pytest.ini") else None
    section = {"setup.cfg": "tool:pytest"}.get(name, "pytest")
    if parser.has_section(section):
        return dict(parser.items(section))
    return {} if name in ("pytest.ini", ".pytest.ini") else None  # pytest.ini counts even when empty


def read_config(path: str, text: str) -> PytestConfig | None:
    opts = _options(path, text)
    if opts is None:
        return None
    root = str(PurePosixPath(path).parent)
    root = "" if root == "." else root

    def get(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        return _words(opts[key]) if key in opts else default

    return PytestConfig(
        path, root,
        testpaths=tuple(p.rstrip("/") for p in get("testpaths", ()) if p.rstrip("/") not in ("", ".")),
        python_files=get("python_files", DEFAULT_FILES),
        python_classes=get("python_classes", ("Test",)),
        python_functions=get("python_functions", ("test",)),
        norecursedirs=get("norecursedirs", DEFAULT_NORECURSE),
        ignore=_ignores(get("addopts", ())),
        pythonpath=tuple(join(root, p) for p in get("pythonpath", ())),
    )


def configs(ctx: ProbeContext) -> dict[str, PytestConfig]:
    """Pytest configuration per folder that has one, keyed by folder ("" for the root)."""
    found: dict[str, PytestConfig] = {}
    rank = {name: i for i, name in enumerate(CONFIG_NAMES)}
    for f in sorted(ctx.files(*CONFIG_NAMES), key=lambda f: rank.get(f.name, 99)):
        folder = str(PurePosixPath(f.path).parent)
        folder = "" if folder == "." else folder
        if folder in found or f.path.count("/") > 6:
            continue
        text = ctx.store.text(f)
        config = read_config(f.path, text) if text is not None else None
        if config is not None:
            found[folder] = config
    return found


def governing(path: str, by_folder: dict[str, PytestConfig]) -> PytestConfig:
    """The configuration nearest above a file."""
    parts = PurePosixPath(path).parts[:-1]
    for n in range(len(parts), -1, -1):
        config = by_folder.get("/".join(parts[:n]))
        if config is not None:
            return config
    return DEFAULTS


def matches_name(name: str, patterns: tuple[str, ...]) -> bool:
    """pytest's python_classes / python_functions test: a prefix, or a glob when it has one."""
    return any(name.startswith(p) or (any(c in p for c in "*?[") and fnmatch.fnmatchcase(name, p))
               for p in patterns)


def matches_path(path: str, patterns: tuple[str, ...]) -> bool:
    """pytest's fnmatch_ex: a pattern without "/" is matched against the name, else the path's end."""
    p = PurePosixPath(path)
    for pat in patterns:
        if "/" not in pat:
            if fnmatch.fnmatchcase(p.name, pat):
                return True
        elif fnmatch.fnmatchcase(path, pat) or fnmatch.fnmatchcase(path, "*/" + pat):
            return True
    return False


def under(path: str, folder: str) -> bool:
    return folder == "" or path == folder or path.startswith(folder + "/")


OUTSIDE = ".."  # a path that leaves the repository: it names no file or folder collected here


def join(folder: str, rel: str) -> str:
    """A path from a configuration file as a repository path, or OUTSIDE (see repo_paths.join)."""
    joined = repo_paths.join(folder, rel)
    return OUTSIDE if joined is None else joined


# -- conftest.py: collect_ignore ------------------------------------------------------------
def conftest_ignores(ctx: ProbeContext) -> list[str]:
    """Paths (globs) that conftest.py files exclude through collect_ignore / collect_ignore_glob."""
    out = []
    for f, facts in ctx.code():
        if f.name != "conftest.py" or facts.kind != "python":
            continue
        folder = str(PurePosixPath(f.path).parent)
        folder = "" if folder == "." else folder
        values = []
        for a in facts.python.assigns:
            if a.scope == "<module>" and a.target in ("collect_ignore", "collect_ignore_glob") \
                    and a.value.kind in ("const", "parts") and isinstance(a.value.value, list):
                values += a.value.value
        for c in facts.python.calls:
            if c.name in ("collect_ignore.append", "collect_ignore_glob.append", "collect_ignore.extend",
                          "collect_ignore_glob.extend") and c.args and c.args[0].kind == "const":
                v = c.args[0].value
                values += v if isinstance(v, list) else [v]
        out += [join(folder, v.rstrip("/")) for v in values if isinstance(v, str) and v]
    return out


# -- test command lines -------------------------------------------------------------------
RUNNER = re.compile(r"(?:^|[\s;&|(`'\"])(?P<runner>py\.test|pytest|-m\s+pytest|-m\s+unittest)(?=\s|$|[;&|)`'\"])")
MAX_RUNS_PER_LINE = 50
SHELL_END = re.compile(r"\s(?:&&|\|\||;|\|)\s|[;`]|\s[12]?>")
# Options whose value is the next word: it is not a path to collect.
VALUE_OPTIONS = frozenset({
    "-k", "-m", "-n", "-p", "-c", "-o", "-W", "-r", "--ignore", "--ignore-glob", "--deselect", "--cov",
    "--cov-config", "--cov-report", "--cov-fail-under", "--rootdir", "--durations", "--timeout", "--junitxml",
    "--junit-xml", "--maxfail", "--dist", "--tb", "--log-level", "--basetemp", "--confcutdir", "--randomly-seed",
    "--random-order-seed", "--reruns", "--html", "--import-mode", "--capture", "--color", "--numprocesses",
    "--splits", "--group", "--tx", "--benchmark-json", "--log-file", "--override-ini", "--durations-min",
})
UNITTEST_VALUE_OPTIONS = frozenset({"-s", "-t", "-p", "-k", "--start-directory", "--top-level-directory", "--pattern"})
COMMAND_FILES = (".github/workflows/*.yml", ".github/workflows/*.yaml", ".gitlab-ci.yml", "Makefile", "makefile",
                 "GNUmakefile", "tox.ini", "azure-pipelines.yml", ".circleci/config.yml", "Jenkinsfile",
                 "bitbucket-pipelines.yml", ".travis.yml", "justfile", "noxfile.py")


@dataclass
class Invocations:
    """What test command lines name explicitly."""

    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # test file -> (runner, "path:line")
    folders: set[str] = field(default_factory=set)
    unittest_patterns: list[tuple[str, str]] = field(default_factory=list)  # (start folder, file glob)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with backslash continuations joined, each with its first line number."""
    out: list[tuple[int, str]] = []
    pending, start = "", 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not pending:
            start = n
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        out.append((start, pending + line))
        pending = ""
    if pending:
        out.append((start, pending))
    return out


def command_args(line: str) -> list[tuple[str, list[str]]]:
    """(runner, words after it) for each pytest / unittest run on a shell line."""
    stripped = line.strip()
    if stripped.startswith(("#", "//")) or INSTALLING.search(stripped):
        return []
    found = []
    runs = list(itertools.islice(RUNNER.finditer(line), MAX_RUNS_PER_LINE))
    for m, after in zip(runs, runs[1:] + [None]):
        # A run's words end where the shell command ends, or at the next run on the line: each
        # part of the line is read once, however many runs it holds.
        stop = after.start() if after is not None else len(line)
        end = SHELL_END.search(line, m.end(), stop)
        rest = line[m.end():end.start() if end else stop]
        try:
            words = shlex.split(rest)
        except ValueError:  # the command sat inside a quoted YAML or Python string
            try:
                words = shlex.split(rest.rstrip().rstrip("'\""))
            except ValueError:
                words = rest.split()
        found.append(("unittest" if m.group("runner").endswith("unittest") else "pytest", words))
    return found


def _positional(words: list[str], takes_value: frozenset[str]) -> list[str]:
    out, skip = [], False
    for w in words:
        if skip:
            skip = False
            continue
        if w.startswith("-"):
            skip = w in takes_value
            continue
        out.append(w)
    return out


def invocations(ctx: ProbeContext) -> Invocations:
    inv = Invocations()
    known = {f.path for f in ctx.repo.files if not f.is_symlink}
    folders = {str(PurePosixPath(p).parent) for p in known}
    by_name: dict[str, list[str]] = {}
    for p in known:
        if p.endswith(".py"):
            by_name.setdefault(PurePosixPath(p).name, []).append(p)

    def resolve(word: str, base: str) -> tuple[str, str] | None:
        word = word.split("::", 1)[0].rstrip("/")
        if not word or "$" in word or "{" in word or word in (".", "./"):
            return None
        for folder in dict.fromkeys((base, "")):
            p = join(folder, word)
            if p.endswith(".py") and p in known:
                return "file", p
            if p in folders and p not in ("", ".", OUTSIDE):
                return "folder", p
        if word.endswith(".py"):  # run from a working-directory we do not follow: a unique file of that name
            tail = [p for p in by_name.get(PurePosixPath(word).name, []) if p.endswith("/" + word.lstrip("./"))]
            if len(tail) == 1:
                return "file", tail[0]
        return None

    def record(runner: str, words: list[str], where: str, base: str) -> None:
        if runner == "unittest":
            if words[:1] == ["discover"]:
                start, pattern = "", "test*.py"
                for opt, val in zip(words, words[1:]):
                    if opt in ("-s", "--start-directory"):
                        start = join(base, val)
                    elif opt in ("-p", "--pattern"):
                        pattern = val
                inv.unittest_patterns.append((start, pattern))
                return
            words = [w.replace(".", "/") + ".py" if re.fullmatch(r"[\w.]+", w) and "." in w and not w.endswith(".py")
                     else w for w in words]
        for word in _positional(words, UNITTEST_VALUE_OPTIONS if runner == "unittest" else VALUE_OPTIONS):
            hit = resolve(word, base)
            if hit is None:
                continue
            kind, path = hit
            if kind == "file":
                inv.files.setdefault(path, (runner, where))
            elif runner == "pytest":
                inv.folders.add(path)

    for f in ctx.files(*COMMAND_FILES):
        if f.path.count("/") > 3:
            continue  # a vendored project's Makefile is not how this one runs its tests
        base = str(PurePosixPath(f.path).parent)
        base = "" if base in (".", ".github/workflows", ".circleci") else base
        if f.name == "noxfile.py":
            continue  # read from facts below
        text = ctx.store.text(f)
        if text is None:
            continue
        for n, line in _logical_lines(text):
            for runner, words in command_args(line):
                record(runner, words, f"{f.path}:{n}", base)
    for f, facts in ctx.code():
        if facts.kind != "python":
            continue
        if f.name == "noxfile.py":
            for call in facts.python.calls:
                if call.name.endswith(".run") and call.args and call.args[0].kind == "const" \
                        and call.args[0].value in ("pytest", "py.test"):
                    words = [a.value for a in call.args[1:] if a.kind == "const" and isinstance(a.value, str)]
                    record("pytest", words, f"{f.path}:{call.line}", "")
            continue
        # A script that runs pytest itself: subprocess.run(["pytest", "tests/x.py"]), or a command string.
        values = [(a.line, a.value) for a in facts.python.assigns]
        values += [(c.line, v) for c in facts.python.calls for v in c.args]
        for line, v in values:
            if v.kind != "const" or not v.value:
                continue
            text = v.value if isinstance(v.value, str) else " ".join(x for x in v.value if isinstance(x, str)) \
                if isinstance(v.value, list) else ""
            if "test" in text and RUNNER.search(text):
                for runner, words in command_args(text):
                    record(runner, words, f"{f.path}:{line}", "")
    return inv
