"""The project's mlaudit configuration: `.mlaudit.yaml`, or `[tool.mlaudit]` in pyproject.toml.

One pydantic model. Command-line options override it. A bad config stops the scan with
`file:line: where: what is wrong (how to fix it)` and exit code 2: a silently ignored setting,
attestation or suppression is worse. Check and probe names can only be checked once the rubrics
are loaded, so `LoadedConfig.check_names` does that part, with the same kind of message.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mlaudit.compare.gates import Gates
from mlaudit.config_entries import Attest, Ignore, fmt_loc, suggest
from mlaudit.errors import ConfigError
from mlaudit.tomllines import toml_lines
from mlaudit.yamlsource import YamlSyntaxError, load_yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

CONFIG_FILES = (".mlaudit.yaml", ".mlaudit.yml")
DOCS = "docs/configuration.md"
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)i?[bB]?\s*$")


def parse_size(value: str | int) -> int:
    if isinstance(value, int):
        return value
    m = _SIZE.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a size; write e.g. 5MB, 500kB or 1048576")
    return int(float(m.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2).lower()])


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rubrics: list[str] = Field(default_factory=list, description="Extra rubric files or folders, relative to the config file.")
    builtin_rubrics: bool = Field(True, description="Load mlaudit's own rubrics as well.")
    max_file_size: int = Field(5 * 1024 * 1024, description="Files larger than this are inventoried, not parsed (e.g. 5MB).")
    attest: list[Attest] = Field(default_factory=list, description="What the team states about checks a scan cannot see.")
    ignore: list[Ignore] = Field(default_factory=list, description="Checks or findings the team decided not to act on.")
    gates: Gates = Field(default_factory=Gates, description="When `mlaudit scan` exits 1 in CI (command-line "
                                                            "options override each setting).")

    @field_validator("max_file_size", mode="before")
    @classmethod
    def _size(cls, v: object) -> int:
        if isinstance(v, (int, str)) and not isinstance(v, bool):
            return parse_size(v)
        raise ValueError("not a size (give a size such as 5MB)")


def _nearest(lines: dict, loc: tuple) -> int:
    """The line of `loc`, or of its nearest ancestor that has one (a missing key has none)."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get((), 1)


class LoadedConfig(BaseModel):
    config: Config
    path: Path | None = None
    lines: dict[Any, int] = Field(default_factory=dict, repr=False)  # location tuple -> 1-based line

    def rubric_paths(self) -> list[Path]:
        base = self.path.parent if self.path else Path.cwd()
        return [(base / p) for p in self.config.rubrics]

    def line_of(self, loc: tuple) -> int:
        return _nearest(self.lines, loc)

    def check_names(self, checks: set[str], probes: set[str]) -> None:
        """Every check and probe named must exist in this scan's rubrics and probes; a typo
        would otherwise attest or silence nothing, silently."""
        problems = self._name_problems(checks, probes)
        if problems:
            raise ConfigError(str(self.path), [f"{self.path}:{line}: {message}" for _, line, message in problems])

    def usable(self, checks: set[str], probes: set[str]) -> tuple["LoadedConfig", list[tuple[int, str]]]:
        """A past commit's config, written for the rubrics of its day: the entries check_names
        would refuse are left out (with their line and why), the others still count."""
        problems = self._name_problems(checks, probes)
        if not problems:
            return self, []
        dropped = {(loc[0], loc[1]) for loc, _, _ in problems}
        config = self.config.model_copy(update={
            kind: [e for i, e in enumerate(getattr(self.config, kind)) if (kind, i) not in dropped]
            for kind in ("attest", "ignore")})

        def moved(loc):  # an entry's lines follow it to its new index
            if isinstance(loc, tuple) and len(loc) > 1 and loc[0] in ("attest", "ignore") and isinstance(loc[1], int):
                if (loc[0], loc[1]) in dropped:
                    return None
                return (loc[0], loc[1] - sum(1 for k, i in dropped if k == loc[0] and i < loc[1]), *loc[2:])
            return loc
        lines = {moved(k): v for k, v in self.lines.items() if moved(k) is not None}
        return (self.model_copy(update={"config": config, "lines": lines}),
                [(line, f"{message}; left out at this commit") for _, line, message in problems])

    def _name_problems(self, checks: set[str], probes: set[str]) -> list[tuple[tuple, int, str]]:
        """(location, line, what is wrong) for each attestation or suppression naming no known check."""
        problems: list[tuple[tuple, int, str]] = []

        def at(loc: tuple, message: str) -> None:
            problems.append((loc, self.line_of(loc), f"{fmt_loc(loc)}: {message}"))

        def unknown(name: str, known: list[str], what: str) -> str:
            hint = suggest(name, known)
            if not hint and "/" not in name:
                owners = sorted(c for c in checks if c.endswith("/" + name))
                hint = f"did you mean `{owners[0]}`?" if owners else ""
            return f"unknown {what} `{name}` ({hint or '`mlaudit rubrics list` shows the checks, `mlaudit probe --list` the probes'})"

        attested: dict[str, int] = {}
        for i, a in enumerate(self.config.attest):
            if a.check in probes:
                at(("attest", i, "check"), f"`{a.check}` is a probe; an attestation names a check, "
                   "`<rubric>/<check>` (`mlaudit rubrics list` shows them)")
            elif a.check not in checks:
                at(("attest", i, "check"), unknown(a.check, sorted(checks), "check"))
            elif a.check in attested:
                at(("attest", i, "check"), f"`{a.check}` is already attested at line {attested[a.check]} (keep one entry per check)")
            attested.setdefault(a.check, self.line_of(("attest", i)))
        for i, g in enumerate(self.config.ignore):
            known = checks if "/" in g.check else probes
            if g.check not in known:
                at(("ignore", i, "check"), unknown(g.check, sorted(checks | probes), "check" if "/" in g.check else "check or probe"))
            elif g.paths is None and g.check in attested:
                at(("ignore", i, "check"), f"`{g.check}` is also attested at line {attested[g.check]}; a check is "
                   "either attested or ignored (remove one of them)")
        return problems


_HINTS = {
    "level": "write `automated` (a system runs it on a repeated basis: 1 point) or `documented` "
             "(run by hand with the results written down: 0.5 points)",
    "date": "write the date as YYYY-MM-DD",
    "expires": "write the date as YYYY-MM-DD",
    "evidence": "give an http(s) URL, or a path relative to the repository's root",
    "paths": "globs relative to the repository's root, e.g. legacy/** or *.ipynb",
    "fail_on": "write `fail`, `partial` (fail or partial) or `never`",
    "min_severity": "write `info`, `low`, `medium`, `high` or `critical`",
    "fail_under": "map rubric ids to scores, e.g. `fail_under: {ml-test-score: 2, technical-debt: 60}`",
}


def _model_at(loc: tuple) -> type[BaseModel]:
    if len(loc) >= 2 and loc[0] == "attest" and isinstance(loc[1], int):
        return Attest
    if len(loc) >= 2 and loc[0] == "ignore" and isinstance(loc[1], int):
        return Ignore
    if len(loc) >= 2 and loc[0] == "gates":
        return Gates
    return Config


def _problems(path: Path, exc: ValidationError, line_of) -> list[str]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = "fail_under" if loc[:2] == ("gates", "fail_under") else next(
            (p for p in reversed(loc) if isinstance(p, str)), "")
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            known = list(_model_at(loc).model_fields)
            fix = suggest(str(loc[-1]), known) or f"known keys: {', '.join(known)}"
            msg = f"unknown key `{loc[-1]}`"
        elif err["type"] == "missing":
            msg, fix = f"`{loc[-1]}` is required", f"add `{loc[-1]}:`"
        elif err["type"] == "value_error":
            fix = ""  # our validators say how to fix it themselves
        elif err["type"] == "literal_error":
            msg, fix = f"`{err.get('input')}` is not one of the choices", _HINTS.get(field, f"see {DOCS}")
        else:
            fix = _HINTS.get(field, f"see {DOCS}")
        out.append(f"{path}:{line_of(loc) or 1}: {fmt_loc(loc)}: {msg}" + (f" ({fix})" if fix else ""))
    return out


_YAML_DATE = re.compile(r"(?<![\w.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w.:-])")


def _bad_date_line(text: str) -> tuple[int, str] | None:
    """PyYAML turns 2026-13-01 into a ValueError without a line; find the line ourselves."""
    for n, line in enumerate(text.splitlines(), 1):
        for m in _YAML_DATE.finditer(line.split("#", 1)[0]):
            try:
                dt.date(*(int(g) for g in m.groups()))
            except ValueError as exc:
                return n, f"`{m.group(0)}` is not a date: {exc}"
    return None


def _from_yaml(path: Path, text: str | None = None) -> LoadedConfig:
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
        doc = load_yaml(text)
    except YamlSyntaxError as exc:
        raise ConfigError(str(path), [f"{path}:{exc.line or 1}: {exc} (fix the YAML syntax at that line)"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [f"{path}:1: cannot read the config: {exc}"]) from None
    except ValueError as exc:
        line, msg = _bad_date_line(text) or (1, str(exc))
        raise ConfigError(str(path), [f"{path}:{line}: {msg} (write the date as YYYY-MM-DD)"]) from None
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), [f"{path}:1: the config must be a mapping of settings"])
    try:
        return LoadedConfig(config=Config.model_validate(data), path=path, lines=doc.lines)
    except ValidationError as exc:
        raise ConfigError(str(path), _problems(path, exc, doc.line_of)) from None


def _from_pyproject(path: Path, text: str | None = None) -> LoadedConfig | None:
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError):
        return None
    except tomllib.TOMLDecodeError as exc:
        if "tool.mlaudit" not in text:
            return None  # a broken pyproject is that project's problem unless it holds our settings
        m = re.search(r"\(at line (\d+)", str(exc))
        raise ConfigError(str(path), [f"{path}:{m.group(1) if m else 1}: invalid TOML: {exc} "
                                      "(fix the TOML syntax at that line)"]) from None
    tool = data.get("tool")
    section = tool.get("mlaudit") if isinstance(tool, dict) else None
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(str(path), [f"{path}:1: tool.mlaudit must be a table of settings"])
    lines = toml_lines(text, "tool.mlaudit", section)
    try:
        return LoadedConfig(config=Config.model_validate(section), path=path, lines=lines)
    except ValidationError as exc:
        raise ConfigError(str(path), _problems(path, exc, lambda loc: _nearest(lines, loc))) from None


def load_config(root: Path, explicit: Path | None = None) -> LoadedConfig:
    """The config for a scan of `root`: an explicit file, else .mlaudit.yaml, else pyproject.toml."""
    if explicit is not None:
        if explicit.name == "pyproject.toml":
            return _from_pyproject(explicit) or LoadedConfig(config=Config(), path=explicit)
        return _from_yaml(explicit)
    return _discover(root, lambda name: (root / name).read_bytes() if (root / name).is_file() else None)


def load_config_in(repo) -> LoadedConfig:
    """The config a past commit had, read from its tree (a Repository), named as if in the scanned
    folder so reports show it as for a work-tree scan."""
    def read(name: str) -> bytes | None:
        f = repo.get(name)
        return repo.read_bytes(f) if f is not None and not f.is_symlink else None
    return _discover(repo.root, read)


def _discover(root: Path, read: Callable[[str], bytes | None]) -> LoadedConfig:
    """.mlaudit.yaml, else pyproject.toml's [tool.mlaudit]; `read(name)`: the file's bytes, None when absent."""
    def text_of(name: str) -> str | None:
        try:
            data = read(name)
            return None if data is None else data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            if name == "pyproject.toml":
                return None  # an unreadable pyproject is that project's problem unless it holds our settings
            raise ConfigError(str(root / name), [f"{root / name}:1: cannot read the config: {exc}"]) from None

    for name in CONFIG_FILES:
        text = text_of(name)
        if text is not None:
            return _from_yaml(root / name, text)
    text = text_of("pyproject.toml")
    found = _from_pyproject(root / "pyproject.toml", text) if text is not None else None
    return found or LoadedConfig(config=Config())


def json_schema() -> str:
    """The config's JSON schema, published as docs/mlaudit-config.schema.json for editors and CI linters."""
    import json

    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **Config.model_json_schema(),
              "title": "mlaudit configuration (.mlaudit.yaml, or [tool.mlaudit] in pyproject.toml)"}
    return json.dumps(schema, indent=2) + "\n"
