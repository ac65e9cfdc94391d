"""Reading shell commands as CI systems, Makefiles and scripts write them.

A command line is split into simple commands (`a && b; c | d`), each is stripped of what only
wraps the real program (`FOO=1`, `time`, `uv run`, `coverage run -m`), and the program is
classified: a test runner, or a tool whose configuration says what it runs (make, tox, nox,
pre-commit, a script). Installing, printing or asking a runner for its version runs no test.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

# Runners that run a test suite when called as programs or as `python -m <module>`.
TEST_PROGRAMS = frozenset({"pytest", "py.test", "pytest-3", "nosetests", "nose2"})
TEST_MODULES = frozenset({"pytest", "unittest", "nose", "nose2", "xmlrunner"})
# Asking a runner about itself or its collection runs nothing.
NOT_A_RUN = frozenset({"--collect-only", "--co", "--version", "-V", "--help", "-h", "--fixtures",
                       "--markers", "--setup-plan", "--fixtures-per-test"})
# Programs that only prefix the real command. Value: options that take a value.
WRAPPERS: dict[str, frozenset[str]] = {
    "time": frozenset(), "sudo": frozenset({"-u", "-g"}), "nice": frozenset({"-n"}), "exec": frozenset(),
    "command": frozenset(), "xvfb-run": frozenset({"-s", "--server-args", "-n", "--server-num", "-e", "-f"}),
    "catchsegv": frozenset(), "stdbuf": frozenset(), "travis_retry": frozenset(), "travis_wait": frozenset(),
    "then": frozenset(), "else": frozenset(), "do": frozenset(), "if": frozenset(), "while": frozenset(),
    "until": frozenset(), "!": frozenset(), "{": frozenset(), "(": frozenset(),
    "ionice": frozenset({"-c", "-n"}), "retry": frozenset({"-t", "--times", "-d", "--delay"}),
    "env": frozenset({"-u", "--unset", "-C", "--chdir"}),
}
# Environment and project runners: `uv run pytest` runs pytest.
RUNNERS: dict[tuple[str, ...], frozenset[str]] = {
    ("uv", "run"): frozenset({"--with", "--python", "-p", "--extra", "--group", "--package", "--env-file",
                              "--directory", "--project", "--only-group", "--no-group", "--index", "--with-requirements"}),
    ("poetry", "run"): frozenset({"-C", "--directory", "-P", "--project"}),
    ("pdm", "run"): frozenset({"-p", "--project"}), ("pipenv", "run"): frozenset(), ("rye", "run"): frozenset(),
    ("pixi", "run"): frozenset({"-e", "--environment", "--manifest-path"}),
    ("conda", "run"): frozenset({"-n", "--name", "-p", "--prefix", "--cwd"}),
    ("mamba", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("micromamba", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("uvx",): frozenset({"--with", "--python", "-p", "--from", "--with-requirements"}),
    ("pipx", "run"): frozenset({"--spec", "--python"}),
    ("tox", "exec"): frozenset({"-e", "-c"}),
    ("timeout",): frozenset({"-s", "--signal", "-k", "--kill-after"}),
}
PYTHON = re.compile(r"^(?:python(?:\d+(?:\.\d+)*)?|pypy\d*|py)(?:\.exe)?$")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
SCRIPT_SUFFIXES = (".sh", ".bash", ".zsh", ".ps1", ".bat", ".cmd")
BINARY_SUFFIXES = (".exe", ".jar", ".so", ".dll", ".bin", ".zip", ".gz", ".whl", ".appimage")
# A line that installs packages runs none of them: `pip install pytest mlflow` is neither a test
# run nor a use of mlflow (tests_config and components_scan skip such lines).
INSTALLING = re.compile(r"\b(?:pip3?|python[\d.]*\s+-m\s+pip|uv\s+pip|conda|mamba|micromamba|apt(?:-get)?|pipx|npm)"
                        r"\s+install\b|\b(?:poetry|uv|pdm)\s+add\b")


@dataclass(frozen=True)
class Cmd:
    """A classified simple command. kind: test, make, tox, nox, pre-commit, script, python-file,
    shell (a `bash -c` string), anyscale, hatch-run, task (poe/pdm scripts), wrapped (a program
    in a container or job runner, to be searched for a test command)."""

    kind: str
    text: str
    cwd: str = ""
    path: str = ""  # make: directory; -f file in `names`; script / python file path; config file
    names: tuple[str, ...] = ()  # make targets, tox envs, nox sessions, pre-commit hooks
    extra: tuple[str, ...] = field(default=())  # tox labels, pre-commit stage, inner tokens


# -- lines ------------------------------------------------------------------------------------
def _strip_comment(line: str) -> str:
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
            elif c == "\\" and quote == '"':
                continue
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t;"):
            return line[:i].rstrip()
    return line


HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")


def logical_lines(physical: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """Join `\\` continuations, drop comments and the bodies of here-documents (they are data)."""
    out: list[tuple[int | None, str]] = []
    pending: tuple[int | None, str] | None = None
    heredoc: str | None = None
    for line_no, raw in physical:
        if heredoc is not None:
            if raw.strip() == heredoc:
                heredoc = None
            continue
        text = _strip_comment(raw).rstrip()
        continued = text.endswith("\\") and not text.endswith("\\\\")
        if continued:
            text = text[:-1]
        if pending is not None:
            pending = (pending[0], pending[1] + " " + text.strip())
        else:
            pending = (line_no, text.strip())
        if not continued:
            if pending[1]:
                out.append(pending)
                m = HEREDOC.search(pending[1])
                if m:
                    heredoc = m.group(2)
            pending = None
    if pending is not None and pending[1]:
        out.append(pending)
    return out


def _expressions(text: str) -> str:
    """`${{ ... }}` (a CI expression) as the word EXPR. Found with str.find, not a lazy regex:
    `\\$\\{\\{.*?\\}\\}` scans to the end of the line from every unclosed `${{`."""
    out, pos = [], 0
    while (start := text.find("${{", pos)) >= 0 and (end := text.find("}}", start + 3)) >= 0:
        out += [text[pos:start], "EXPR"]
        pos = end + 2
    return "".join(out) + text[pos:]


def simple_commands(line: str) -> list[str]:
    """Split a command line on `&&`, `||`, `;`, `|` and `&`, outside quotes and `$( )`."""
    parts, buf, quote, depth, i = [], [], None, 0, 0
    while i < len(line):
        c = line[i]
        if quote:
            buf.append(c)
            if c == quote:
                quote = None
        elif c in "'\"`":
            quote = c
            buf.append(c)
        elif line.startswith("$(", i):
            depth += 1
            buf.append("$(")
            i += 2
            continue
        elif c == ")" and depth:
            depth -= 1
            buf.append(c)
        elif depth == 0 and c in ";|&" and not (c == "&" and (line[i - 1:i] in (">", "<") or line[i + 1:i + 2] == ">")):
            parts.append("".join(buf))
            buf = []
            while i + 1 < len(line) and line[i + 1] in "|&":
                i += 1
        else:
            buf.append(c)
        i += 1
    parts.append("".join(buf))
    return [p.strip() for p in parts if p.strip()]


def _drop_substitutions(command: str) -> str:
    """`$(...)` and backquoted command substitutions as one opaque word: their output is data here."""
    out, i, depth = [], 0, 0
    while i < len(command):
        if command.startswith("$(", i):
            if depth == 0:
                out.append("SUBST")
            depth += 1
            i += 2
            continue
        if depth:
            depth += (command[i] == "(") - (command[i] == ")")
        else:
            out.append(command[i])
        i += 1
    return re.sub(r"`[^`]*`", "SUBST", "".join(out))


def tokens(command: str) -> list[str]:
    command = _drop_substitutions(_expressions(command))
    try:
        return shlex.split(command, comments=False, posix=True)
    except ValueError:
        return command.split()


# -- classification -----------------------------------------------------------------------------
def _skip_options(words: list[str], i: int, with_value: frozenset[str]) -> int:
    while i < len(words) and words[i].startswith("-"):
        if words[i] == "--":
            return i + 1
        opt = words[i].split("=", 1)[0]
        i += 2 if (opt in with_value and "=" not in words[i]) else 1
    return i


def unwrap(words: list[str]) -> list[str]:
    """The real program and its arguments, without assignments, wrappers and env runners."""
    i, changed = 0, True
    while changed and i < len(words):
        changed = False
        while i < len(words) and ASSIGNMENT.match(words[i]):
            i, changed = i + 1, True
        if i < len(words) and _program(words[i]) in WRAPPERS:  # /usr/bin/env, /usr/bin/time
            i = _skip_options(words, i + 1, WRAPPERS[_program(words[i])])
            if i < len(words) and words[i].isdigit():
                i += 1  # travis_wait 30, nice 10
            changed = True
            continue
        for prefix, opts in RUNNERS.items():
            n = len(prefix)
            if tuple(words[i:i + n]) == prefix:
                i = _skip_options(words, i + n, opts)
                if prefix == ("timeout",) and i < len(words):
                    i += 1  # the duration
                changed = True
                break
    return words[i:]


def _program(word: str) -> str:
    word = word.replace("\\", "/")
    return word.rsplit("/", 1)[-1] if "/" in word and not word.startswith(("./", "../")) else word


def _names_after(words: list[str], flags: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        hit = next((f for f in flags if w == f or w.startswith(f + "=")), None)
        if hit is None:
            i += 1
            continue
        if "=" in w:
            out += w.split("=", 1)[1].split(",")
            i += 1
        else:
            i += 1
            while i < len(words) and not words[i].startswith("-"):
                out += words[i].split(",")
                i += 1
    return [n for n in out if n]


def classify(command: str, cwd: str = "") -> Cmd | None:
    raw = tokens(command)
    words = unwrap(raw)
    if words and words[0] != raw[0] and raw[:2] == ["pdm", "run"] and words == raw[2:]:
        words = raw  # `pdm run <script>` names a pdm script, unless it names a program
    if not words:
        return None
    prog, args = _program(words[0]), words[1:]
    if prog in ("cd", "pushd"):
        return Cmd("cd", command, cwd, path=args[0] if args else "")
    if PYTHON.match(prog):
        return _python(command, args, cwd)
    if prog in ("coverage",) and args[:1] == ["run"]:
        return _coverage(command, args[1:], cwd)
    if prog in TEST_PROGRAMS:
        return None if NOT_A_RUN & set(args) else Cmd("test", command, cwd, extra=(prog,))
    if prog == "hatch" and args[:1] == ["test"]:
        return None if NOT_A_RUN & set(args) else Cmd("test", command, cwd, extra=("hatch test",))
    if prog in ("hatch", "pdm") and args[:1] == ["run"]:
        rest = args[_skip_options(args, 1, frozenset({"-e", "--env", "-p", "--project"})):]
        if not rest:
            return None
        inner = classify(shlex.join(rest), cwd)
        if inner is not None:
            return replace(inner, text=command)
        return Cmd("hatch-run" if prog == "hatch" else "task", command, cwd, path=prog, names=(rest[0],))
    if prog in ("make", "gmake", "$(MAKE)", "${MAKE}", "$MAKE", "mingw32-make"):
        return _make(command, args, cwd)
    if prog == "tox" or prog == "tox4":
        return _tox(command, args, cwd)
    if prog == "nox":
        return _nox(command, args, cwd)
    if prog in ("pre-commit", "prek") and args[:1] == ["run"]:
        return _pre_commit(command, args[1:], cwd)
    if prog in ("bash", "sh", "zsh", "dash", "source", ".", "pwsh", "powershell"):
        return _shell(command, args, cwd)
    if prog.endswith(".py") and not prog.startswith("-"):
        return Cmd("python-file", command, cwd, path=words[0])  # run through its shebang
    if prog.endswith(SCRIPT_SUFFIXES) or words[0].startswith(("./", "../")) or "/" in words[0]:
        if prog.lower().endswith(BINARY_SUFFIXES):
            return None
        return Cmd("script", command, cwd, path=words[0])
    if prog in ("poe", "pdm", "just", "invoke", "inv", "task"):
        name = next((a for a in args if not a.startswith("-")), None)
        return Cmd("task", command, cwd, path=prog, names=(name,)) if name else None
    if prog == "anyscale" and "submit" in args:
        return Cmd("anyscale", command, cwd, names=tuple(a for a in args if a.endswith((".yaml", ".yml"))))
    if prog in ("docker", "docker-compose", "podman", "kubectl", "ray", "srun", "singularity", "apptainer"):
        return Cmd("wrapped", command, cwd, extra=tuple(args))
    return None


def _python(command: str, args: list[str], cwd: str) -> Cmd | None:
    i = 0
    while i < len(args) and args[i].startswith("-") and not args[i].startswith(("-m", "-c")):
        i += 2 if args[i] in ("-W", "-X") else 1
    if i < len(args) and args[i].startswith("-m") and len(args[i]) > 2:
        args = args[:i] + ["-m", args[i][2:]] + args[i + 1:]
    rest = args[i:]
    if rest[:1] == ["-m"] and len(rest) > 1:
        module, margs = rest[1], rest[2:]
        if module in TEST_MODULES:
            return None if NOT_A_RUN & set(margs) else Cmd("test", command, cwd, extra=(f"python -m {module}",))
        if module == "coverage" and margs[:1] == ["run"]:
            return _coverage(command, margs[1:], cwd)
        if module in ("tox", "nox"):
            return (_tox if module == "tox" else _nox)(command, margs, cwd)
        if module == "pre_commit" and margs[:1] == ["run"]:
            return _pre_commit(command, margs[1:], cwd)
        return None
    if rest[:1] == ["-c"] or not rest:
        return None
    script = rest[0]
    if script.endswith(("setup.py", "manage.py")) and rest[1:2] == ["test"]:
        return Cmd("test", command, cwd, extra=(f"python {_program(script)} test",))
    if script.endswith(".py"):
        return Cmd("python-file", command, cwd, path=script)
    return None


def _coverage(command: str, args: list[str], cwd: str) -> Cmd | None:
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-m":
        takes_value = args[i] in ("--source", "--rcfile", "--omit", "--include", "--data-file", "--context",
                                  "--concurrency")
        i += 2 if takes_value else 1
    rest = args[i:]
    if rest[:1] == ["-m"] and len(rest) > 1:
        return Cmd("test", command, cwd, extra=("coverage",)) if rest[1] in TEST_MODULES else None
    if rest and rest[0].endswith(".py"):
        return Cmd("python-file", command, cwd, path=rest[0])
    return None


MAKE_VALUE_OPTIONS = frozenset({"-C", "--directory", "-f", "--file", "--makefile", "-j", "--jobs", "-l", "-o", "-W", "-I"})


def _make(command: str, args: list[str], cwd: str) -> Cmd | None:
    if any(a in ("-n", "--dry-run", "--just-print", "--recon", "-q", "--question", "-p", "--print-data-base")
           for a in args):
        return None  # prints or checks what would run, runs nothing
    directory, makefile, targets, i = "", "", [], 0
    while i < len(args):
        a = args[i]
        if a in ("-C", "--directory", "-f", "--file", "--makefile") and i + 1 < len(args):
            if a in ("-C", "--directory"):
                directory = args[i + 1]
            else:
                makefile = args[i + 1]
            i += 2
            continue
        if a.startswith(("--directory=", "--file=", "--makefile=")):
            if a.startswith("--directory="):
                directory = a.split("=", 1)[1]
            else:
                makefile = a.split("=", 1)[1]
        elif a.startswith("-C") and len(a) > 2:
            directory = a[2:]
        elif a in MAKE_VALUE_OPTIONS:
            i += 1
        elif not a.startswith("-") and "=" not in a:
            targets.append(a)
        i += 1
    return Cmd("make", command, cwd, path=directory, names=tuple(targets), extra=(makefile,))


def _tox(command: str, args: list[str], cwd: str) -> Cmd | None:
    if NOT_A_RUN & set(args) or any(a in ("-l", "--listenvs", "list", "l", "config", "c", "--showconfig",
                                          "quickstart", "depends", "--notest", "--no-test") for a in args):
        return None
    envs = _names_after(args, ("-e", "--envlist", "--env"))
    config = _names_after(args, ("-c", "--conf", "--configfile"))
    labels = _names_after(args, ("-m", "--labels"))
    assign = [w.split("=", 1)[1] for w in tokens(command) if w.startswith("TOXENV=")]
    if not envs and assign:
        envs = [e for e in assign[0].split(",") if e]
    return Cmd("tox", command, cwd, path=config[0] if config else "", names=tuple(envs), extra=tuple(labels))


def _nox(command: str, args: list[str], cwd: str) -> Cmd | None:
    if NOT_A_RUN & set(args) or any(a in ("-l", "--list", "--list-sessions", "--install-only") for a in args):
        return None
    sessions = _names_after(args, ("-s", "--session", "--sessions", "-e"))
    tags = _names_after(args, ("-t", "--tags"))
    noxfile = _names_after(args, ("-f", "--noxfile"))
    if any(a == "-k" or a.startswith("--keywords") for a in args):
        sessions = []
    return Cmd("nox", command, cwd, path=noxfile[0] if noxfile else "", names=tuple(sessions), extra=tuple(tags))


def _pre_commit(command: str, args: list[str], cwd: str) -> Cmd:
    stage = _names_after(args, ("--hook-stage",))
    config = _names_after(args, ("-c", "--config"))
    rest, i = [], 0
    while i < len(args):
        if args[i] in ("--hook-stage", "-c", "--config", "--from-ref", "--to-ref", "-s", "-o", "--files",
                       "--source", "--origin"):
            i += 2 if args[i] != "--files" else len(args)
            continue
        if not args[i].startswith("-"):
            rest.append(args[i])
        i += 1
    return Cmd("pre-commit", command, cwd, path=config[0] if config else "", names=tuple(rest[:1]),
               extra=(stage[0] if stage else "pre-commit",))


def _shell(command: str, args: list[str], cwd: str) -> Cmd | None:
    i = 0
    while i < len(args) and args[i].startswith("-"):
        if args[i] in ("-c", "-Command", "-command") and i + 1 < len(args):
            return Cmd("shell", command, cwd, extra=(args[i + 1],))
        i += 1
    if i < len(args):
        return Cmd("script", command, cwd, path=args[i])
    return None
