"""Parsers for the files a CI command can hand its work to: Makefiles and justfiles, tox
configuration (tox.ini, setup.cfg, pyproject.toml, tox.toml). They keep line numbers, so the
evidence can point at the line that finally runs the tests."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

Lines = list[tuple[int, str]]  # (1-based line, text)


# -- Makefile / justfile ----------------------------------------------------------------------
@dataclass
class Rule:
    prereqs: list[str] = field(default_factory=list)
    recipe: Lines = field(default_factory=list)


@dataclass
class Makefile:
    path: str
    rules: dict[str, Rule] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    includes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # target -> the included file that defines it


MAKE_ASSIGN = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(\?=|::?=|\+=|!=|=)\s*(.*)$")
JUST_NAME = re.compile(r"^@?([A-Za-z_][\w-]*)(?:\s|$)")
CONDITIONAL = re.compile(r"^(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b")


def parse_makefile(path: str, text: str, *, just: bool = False) -> Makefile:
    mf = Makefile(path)
    current: list[str] | None = None
    in_define = False
    lines = text.splitlines()
    n = 0
    while n < len(lines):
        raw = lines[n]
        n += 1
        if in_define:
            in_define = not raw.strip().startswith("endef")
            continue
        indented = raw.startswith("\t") or (just and raw[:1] == " ")
        if indented:
            if current is not None:
                for t in current:
                    mf.rules[t].recipe.append((n, raw.strip() if just else raw[1:]))
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            if not stripped and just:
                current = None  # a blank line ends a just recipe
            continue
        start = n
        while stripped.endswith("\\") and n < len(lines):
            stripped = stripped[:-1] + " " + lines[n].strip()
            n += 1
        if stripped.startswith("define "):
            in_define = True
            continue
        if CONDITIONAL.match(stripped):
            continue
        inc = re.match(r"^(?:-include|sinclude|include|import\??)\s+(.+)$", stripped)
        if inc:
            mf.includes += [w.strip("'\"") for w in inc.group(1).split()]
            current = None
            continue
        assign = MAKE_ASSIGN.match(stripped)
        if assign and not (just and assign.group(2) == "="):
            name, op, value = assign.groups()
            if op == "+=":
                mf.variables[name] = (mf.variables.get(name, "") + " " + value).strip()
            elif op != "?=" or name not in mf.variables:
                mf.variables[name] = value.strip("'\"") if just else value
            current = None
            continue
        rule = _rule_line(stripped, just)
        if rule is None:
            current = None
            continue
        targets = [rule[0]] if just else rule[0].split()
        deps, _, inline = rule[1].partition(";")
        if not just and MAKE_ASSIGN.match(deps.strip()):
            current = None  # a target-specific variable, not a rule
            continue
        current = []
        for t in targets:
            r = mf.rules.setdefault(t, Rule())
            r.prereqs += [d for d in deps.replace("|", " ").split() if not d.startswith("$")]
            if inline.strip():
                r.recipe.append((start, inline.strip()))
            current.append(t)
            if mf.default is None and not t.startswith(".") and "%" not in t:
                mf.default = t
    return mf


def _rule_line(line: str, just: bool) -> tuple[str, str] | None:
    """(targets, the rest after the colon) of a Makefile rule or a just recipe header, else None.

    Split at the first separator rather than with a regex: `name\\s*:` written as one pattern
    backtracks over every space of a long line, quadratic on a 200 kB line of blanks."""
    stops = ":=" if just else ":=#"
    cut = next((i for i, c in enumerate(line) if c in stops), -1)
    if cut <= 0 or line[cut] != ":":
        return None
    rest = line[cut + 1:]
    if not just and rest.startswith(":"):
        rest = rest[1:]  # `target::` is a double-colon rule
    if rest.startswith("="):
        return None  # `:=` and `::=` assign
    head = line[:cut].rstrip()
    if just:
        name = JUST_NAME.match(head)
        if name is None:
            return None
        return name.group(1), rest.lstrip()
    if not head or head[0] == "\t":
        return None
    return head, rest.lstrip()


MAKE_VAR = re.compile(r"\$\(([^()$]*)\)|\$\{([^{}$]*)\}|\{\{\s*([\w-]+)\s*\}\}")
PYTHON_VAR = re.compile(r"^(?:PY|PYTHON)\d*(?:_?(?:EXE|BIN|INTERPRETER|CMD|EXECUTABLE))?$", re.IGNORECASE)
PYTEST_VAR = re.compile(r"^PYTEST(?:_?(?:CMD|BIN|EXE|COMMAND))?$", re.IGNORECASE)


def expand(text: str, variables: dict[str, str]) -> str:
    """Make variables expanded as far as the file defines them; `$(PYTHON)` left undefined is
    the interpreter, anything else undefined is empty, as make would leave it."""
    text = text.replace("$$", "\0")
    for _ in range(8):
        new = MAKE_VAR.sub(lambda m: _lookup(m.group(1) or m.group(2) or m.group(3) or "", variables), text)
        if new == text:
            break
        text = new
    text = re.sub(r"\$[@<^*?%+|]", "", text)
    return text.replace("\0", "$")


def _lookup(name: str, variables: dict[str, str]) -> str:
    name = name.strip()
    if " " in name or "," in name:
        return ""  # a make function: $(shell ...), $(wildcard ...)
    if name == "MAKE":
        return "make"
    if name in variables:
        return variables[name]
    if PYTHON_VAR.match(name):
        return "python"
    if PYTEST_VAR.match(name):
        return "pytest"
    return ""


# -- ini files (tox.ini, setup.cfg) with line numbers -------------------------------------------
@dataclass
class IniValue:
    line: int
    lines: Lines  # the first line's text after `=`, then each continuation line


Ini = dict[str, dict[str, IniValue]]


def parse_ini(text: str, first_line: int = 1) -> tuple[Ini, dict[str, int]]:
    """Sections -> keys -> values, and each section's header line."""
    sections: Ini = {}
    headers: dict[str, int] = {}
    section: dict[str, IniValue] | None = None
    value: IniValue | None = None
    for i, raw in enumerate(text.splitlines()):
        n = first_line + i
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        head = re.match(r"^\[([^\]]+)\]\s*$", raw)
        if head:
            section = sections.setdefault(head.group(1).strip(), {})
            headers[head.group(1).strip()] = n
            value = None
            continue
        if raw[0] in " \t" and value is not None:
            value.lines.append((n, _ini_comment(stripped)))
            continue
        cut = next((i for i, c in enumerate(raw) if c in "=:"), -1)  # no regex: see _rule_line
        if cut > 0 and not raw[0].isspace() and section is not None:
            rest = raw[cut + 1:].strip()
            value = IniValue(n, [(n, _ini_comment(rest))] if rest else [])
            section[raw[:cut].strip().lower()] = value
    return sections, headers


INLINE_COMMENT = re.compile(r"\s#")
LONG_BLANKS = re.compile(r"[^\S\n]{64,}")


def for_configparser(text: str) -> str:
    """Text for the standard library's configparser, whose option pattern (`.*?\\s*[=:]`) takes
    time quadratic in a run of blanks: runs over 64 long are cut to one space (no option needs
    them), so a 300 kB line of spaces parses at once rather than in minutes."""
    return LONG_BLANKS.sub(" ", text)


def _ini_comment(text: str) -> str:
    m = INLINE_COMMENT.search(text)  # not `\s+#.*$`: quadratic in a long run of blanks
    return text[:m.start()].rstrip() if m else text


MAX_ENVS = 256  # names one generative tox env name expands to: `{a,b}{a,b}...` doubles each time


def expand_braces(name: str) -> list[str]:
    """`py{38,39}-test` as py38-test and py39-test."""
    done, todo = [], [name]
    while todo and len(done) < MAX_ENVS:
        item = todo.pop(0)
        m = re.search(r"\{([^{}]*)\}", item)
        if not m:
            done.append(item)
            continue
        todo += [item[:m.start()] + part.strip() + item[m.end():] for part in m.group(1).split(",")]
        todo = todo[:MAX_ENVS]
    return done


def split_list(lines: Lines) -> list[str]:
    out: list[str] = []
    for _, text in lines:
        # commas inside braces belong to the generative name: py{38,39}-test
        depth, buf = 0, ""
        for c in text:
            depth += (c == "{") - (c == "}")
            if c == "," and depth == 0:
                out.append(buf)
                buf = ""
            else:
                buf += c
        out.append(buf)
    names: list[str] = []
    for item in out:
        names += expand_braces(item.strip()) if item.strip() else []
    return names


@dataclass
class ToxConfig:
    path: str
    envlist: list[str]
    envs: dict[str, Lines]  # env name (or "" for the base testenv) -> command lines
    bases: dict[str, str] = field(default_factory=dict)
    setenv: dict[str, Lines] = field(default_factory=dict)  # `setenv` lines, for `{env:NAME}` in commands

    def commands(self, env: str) -> Lines:
        if env in self.envs:
            return self.envs[env]
        return self.envs.get(self.bases.get(env, ""), [])  # an env without commands inherits [testenv]


FACTOR_LINE = re.compile(r"^([!\w.]+(?:-[!\w.]+)*(?:\s*,\s*[!\w.]+(?:-[!\w.]+)*)*)\s*:\s+(\S.*)$")


def _factored(text: str, env: str) -> str | None:
    """`py38,lint: flake8` applies to envs having one of the factors; other lines apply to all."""
    m = FACTOR_LINE.match(text)
    if not m:
        return text
    factors = set(env.split("-"))
    for cond in m.group(1).split(","):
        parts = [p.strip() for p in cond.split("-")]
        if all((p[1:] not in factors) if p.startswith("!") else (p in factors) for p in parts):
            return m.group(2)
    return None


def tox_from_ini(path: str, sections: Ini, main: str) -> ToxConfig | None:
    if main not in sections and "testenv" not in sections and not any(s.startswith("testenv:") for s in sections):
        return None
    top = sections.get(main, {})
    envlist = split_list((top.get("envlist") or top.get("env_list") or IniValue(0, [])).lines)
    envs: dict[str, Lines] = {}
    bases: dict[str, str] = {}
    raw: dict[str, IniValue | None] = {}
    setenv: dict[str, Lines] = {}
    for name, keys in sections.items():
        if name == "testenv":
            raw[""] = keys.get("commands")
            setenv[""] = keys["setenv"].lines if "setenv" in keys else []
        elif name.startswith("testenv:"):
            for env in expand_braces(name[len("testenv:"):].strip()):
                raw[env] = keys.get("commands")
                if "setenv" in keys:
                    setenv[env] = keys["setenv"].lines
                if "base" in keys:
                    bases[env] = keys["base"].lines[0][1].removeprefix("testenv:") if keys["base"].lines else ""
    for env, value in raw.items():
        if value is None:
            continue
        lines: Lines = []
        for n, text in value.lines:
            ref = re.fullmatch(r"\{\[([^\]]+)\]commands\}", text.strip())
            if ref:
                target = sections.get(ref.group(1), {}).get("commands")
                lines += target.lines if target else []
            else:
                lines.append((n, text))
        envs[env] = lines
    return ToxConfig(path, envlist, envs, bases, setenv)


def tox_commands(cfg: ToxConfig, env: str) -> Lines:
    """The commands an env runs, with tox's substitutions read as the shell would see them."""
    variables: dict[str, str] = {}
    for _, line in cfg.setenv.get("", []) + cfg.setenv.get(env, []):
        line = _factored(line, env)
        m = re.match(r"^([A-Za-z_]\w*)\s*=\s*(.*)$", line or "")
        if m:
            variables[m.group(1)] = m.group(2)
    out: Lines = []
    for n, text in cfg.commands(env):
        text = _factored(text, env)
        if text is None:
            continue
        text = re.sub(r"\{posargs:?([^}]*)\}", lambda m: m.group(1), text)
        text = re.sub(r"\{env:([^:}]+):?([^}]*)\}", lambda m: variables.get(m.group(1), m.group(2)), text)
        text = text.replace("{envpython}", "python").replace("{envbindir}/", "").replace("{toxinidir}/", "")
        text = re.sub(r"\{[^}]*\}", "", text).strip().lstrip("-!").strip()
        if text:
            out.append((n, text))
    return out


def tox_from_toml(path: str, text: str, root: dict) -> ToxConfig | None:
    """tox 4's native TOML: env_list, env_run_base and env.<name> tables of argv lists."""
    lines = text.splitlines()
    listed = root.get("env_list")
    envlist = [e for e in listed if isinstance(e, str)] if isinstance(listed, list) else []
    envs = root.get("env") if isinstance(root.get("env"), dict) else {}
    tables = {"": root.get("env_run_base")} | {str(k): v for k, v in envs.items()}
    cfg = ToxConfig(path, envlist, {})
    for env, table in tables.items():
        if not isinstance(table, dict) or not isinstance(table.get("commands"), list):
            continue
        header = _toml_header(lines, env)
        out: Lines = []
        for argv in table["commands"]:
            if not isinstance(argv, list):
                continue
            words = []
            for w in argv:
                if isinstance(w, str):
                    words.append(w)
                elif isinstance(w, dict) and isinstance(w.get("default"), list):
                    words += [str(d) for d in w["default"]]
            if words:
                needle = f'"{words[0]}"'
                line = next((i + 1 for i in range(header, len(lines)) if needle in lines[i]), header + 1)
                out.append((line, " ".join(words)))
        cfg.envs[env] = out
    return cfg


def _toml_header(lines: list[str], env: str) -> int:
    pattern = re.compile(r"^\[(?:tool\.tox\.)?" + (r"env_run_base" if not env else r"env\.\"?" + re.escape(env)))
    return next((i for i, ln in enumerate(lines) if pattern.match(ln.strip())), 0)


def load_tox(path: str, text: str) -> ToxConfig | None:
    name = path.rsplit("/", 1)[-1]
    if name == "tox.ini":
        sections, _ = parse_ini(text)
        return tox_from_ini(path, sections, "tox")
    if name == "setup.cfg":
        sections, _ = parse_ini(text)
        cfg = tox_from_ini(path, sections, "tox:tox")
        return cfg if "tox:tox" in sections else None
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError):  # TOMLDecodeError is a ValueError
        return None
    root = data if name == "tox.toml" else (data.get("tool") or {}).get("tox")
    if not isinstance(root, dict):
        return None
    legacy = root.get("legacy_tox_ini")
    if isinstance(legacy, str):
        lines = text.splitlines()
        key = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("legacy_tox_ini")), 0)
        after = lines[key].split('"""', 1)[-1].split("'''", 1)[-1] if key < len(lines) else ""
        first = key + 2 if not after.strip() else key + 1  # TOML drops a newline right after the quotes
        sections, _ = parse_ini(legacy, first_line=first)
        return tox_from_ini(path, sections, "tox")
    return tox_from_toml(path, text, root)
