"""The project's mlaudit configuration: `.mlaudit.yaml`, or `[tool.mlaudit]` in pyproject.toml.

One pydantic model. Command-line options override it. A bad config stops the scan with
`file:line: what is wrong (how to fix it)` and exit code 2: a silently ignored setting is worse.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mlaudit.errors import ConfigError
from mlaudit.yamlsource import YamlSyntaxError, load_yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

CONFIG_FILES = (".mlaudit.yaml", ".mlaudit.yml")
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

    @field_validator("max_file_size", mode="before")
    @classmethod
    def _size(cls, v: object) -> int:
        if isinstance(v, (int, str)) and not isinstance(v, bool):
            return parse_size(v)
        raise ValueError("give a size such as 5MB")


class LoadedConfig(BaseModel):
    config: Config
    path: Path | None = None

    def rubric_paths(self) -> list[Path]:
        base = self.path.parent if self.path else Path.cwd()
        return [(base / p) for p in self.config.rubrics]


def _problems(path: Path, exc: ValidationError, line_of) -> list[str]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or "(top level)"
        if err["type"] == "extra_forbidden":
            fix = f"known keys: {', '.join(Config.model_fields)}"
            msg = f"unknown key `{loc[-1]}`"
        else:
            fix, msg = "see the README's configuration section", err["msg"]
        out.append(f"{path}:{line_of(loc) or 1}: {where}: {msg} ({fix})")
    return out


def _from_yaml(path: Path) -> LoadedConfig:
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        raise ConfigError(str(path), [f"{path}:{exc.line or 1}: {exc} (fix the YAML syntax at that line)"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [f"{path}:1: cannot read the config: {exc}"]) from None
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), [f"{path}:1: the config must be a mapping of settings"])
    try:
        return LoadedConfig(config=Config.model_validate(data), path=path)
    except ValidationError as exc:
        raise ConfigError(str(path), _problems(path, exc, doc.line_of)) from None


def _from_pyproject(path: Path) -> LoadedConfig | None:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError):
        return None
    except tomllib.TOMLDecodeError as exc:
        if "[tool.mlaudit]" not in text:
            return None  # a broken pyproject is that project's problem unless it holds our settings
        raise ConfigError(str(path), [f"{path}: invalid TOML: {exc}"]) from None
    section = data.get("tool", {}).get("mlaudit")
    if section is None:
        return None
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if line.strip() == "[tool.mlaudit]"), 0)

    def line_of(loc: tuple) -> int:
        key = str(loc[0]) if loc else ""
        for i in range(header, len(lines)):
            if re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
                return i + 1
        return header + 1

    try:
        return LoadedConfig(config=Config.model_validate(section), path=path)
    except ValidationError as exc:
        raise ConfigError(str(path), _problems(path, exc, line_of)) from None


def load_config(root: Path, explicit: Path | None = None) -> LoadedConfig:
    """The config for a scan of `root`: an explicit file, else .mlaudit.yaml, else pyproject.toml."""
    if explicit is not None:
        if explicit.name == "pyproject.toml":
            return _from_pyproject(explicit) or LoadedConfig(config=Config(), path=explicit)
        return _from_yaml(explicit)
    for name in CONFIG_FILES:
        if (root / name).is_file():
            return _from_yaml(root / name)
    if (root / "pyproject.toml").is_file():
        found = _from_pyproject(root / "pyproject.toml")
        if found is not None:
            return found
    return LoadedConfig(config=Config())
