"""Declarations in TOML: pyproject.toml (PEP 621 dependencies and extras, PEP 735 groups, Poetry,
PDM and uv tables) and Pipfile. Lines are found in the text, since tomllib keeps none."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.deps_requirements import Req, classify_spec, normalise, parse_pep508, url_kind
from mlaudit.repository import RepoFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]


def load_toml(f: RepoFile, text: str, ctx: ProbeContext) -> dict | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        ctx.store.warn(f.path, f"invalid TOML: {exc}")
        return None
    except RecursionError:
        ctx.store.warn(f.path, "TOML nested too deeply to read; not read")
        return None


def line_of(lines: list[str], needle: str, start: int = 0) -> int | None:
    """The first line from `start` on that contains `needle`, else the first before it."""
    for n in range(start, len(lines)):
        if needle in lines[n]:
            return n + 1
    for n in range(0, min(start, len(lines))):
        if needle in lines[n]:
            return n + 1
    return None


def _header_index(lines: list[str], section: str) -> int:
    pattern = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(re.escape(p) for p in section.split(".")) + r"\s*\]")
    for n, line in enumerate(lines):
        if pattern.match(line):
            return n
    return 0


def _key_line(lines: list[str], section: str, key: str) -> int | None:
    start = _header_index(lines, section)
    pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for n in range(start, len(lines)):
        if pattern.match(lines[n]):
            return n + 1
    sub = _header_index(lines, f"{section}.{key}")
    return sub + 1 if sub else None


def _pep508_list(items: Any, path: str, lines: list[str], section: str, main: bool) -> list[Req]:
    out: list[Req] = []
    if not isinstance(items, list):
        return out
    start = _header_index(lines, section)
    for item in items:
        if not isinstance(item, str):
            continue  # {include-group = ...}
        parsed = parse_pep508(item)
        if parsed is None:
            continue
        line = line_of(lines, f'"{item}"', start) or line_of(lines, f"'{item}'", start)
        out.append(Req(parsed[0], item, path, line, parsed[1], main=main))
    return out


def _poetry_kind(spec: Any) -> str:
    """Poetry and Pipfile versions: a bare version is exact, `^`/`~`/`>=` are ranges, `*` is none."""
    if isinstance(spec, list):
        kinds = {_poetry_kind(s) for s in spec}
        return "pinned" if kinds == {"pinned"} else "ranged" if kinds & {"pinned", "ranged"} else "bare"
    if isinstance(spec, dict):
        if "path" in spec:
            return "local"
        if "git" in spec:
            ref = spec.get("rev") or spec.get("ref") or spec.get("tag")
            fixed = spec.get("tag") or (isinstance(ref, str) and re.fullmatch(r"[0-9a-f]{40}|v?\d+(\.\d+)+", ref))
            return "pinned" if fixed else "url"
        if "url" in spec or "file" in spec:
            return url_kind(str(spec.get("url") or spec.get("file")))
        spec = spec.get("version", "*")
    if not isinstance(spec, str):
        return "bare"
    spec = spec.strip()
    if spec in ("", "*"):
        return "bare"
    if re.fullmatch(r"v?\d+(?:\.\d+)*(?:[a-z]+\d*)?", spec):
        return "pinned"
    if spec.startswith(("^", "~")) and not spec.startswith("~="):
        return "ranged"
    return classify_spec(spec) or "unknown"


def _table_reqs(table: Any, path: str, lines: list[str], section: str, main: bool, skip=("python",)) -> list[Req]:
    out: list[Req] = []
    if not isinstance(table, dict):
        return out
    for name, spec in table.items():
        if name.lower() in skip:
            continue
        kind = _poetry_kind(spec)
        if kind != "unknown":  # a version we cannot read is no requirement we can judge
            out.append(Req(normalise(name), f"{name} {_spec_text(spec)}", path, _key_line(lines, section, name),
                           kind, main=main))
    return out


def _spec_text(spec: Any) -> str:
    """A Poetry/Pipfile version as written, for a message: `>=5.0`, `(git)`, `(path)`."""
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        if isinstance(spec.get("version"), str):
            return spec["version"]
        return next((f"({key})" for key in ("git", "path", "url", "file") if key in spec), "*")
    if isinstance(spec, list):
        return " or ".join(_spec_text(s) for s in spec)
    return "*"


@dataclass
class Pyproject:
    path: str
    reqs: list[Req]
    library: str | None  # the build backend when the file builds a distributable package


def _table(data: dict, key: str) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def parse_pyproject(f: RepoFile, text: str, ctx: ProbeContext) -> Pyproject | None:
    data = load_toml(f, text, ctx)
    if data is None:
        return None
    lines = text.splitlines()
    project, tool = _table(data, "project"), _table(data, "tool")
    reqs = _pep508_list(project.get("dependencies"), f.path, lines, "project", True)
    for items in _table(project, "optional-dependencies").values():
        reqs += _pep508_list(items, f.path, lines, "project.optional-dependencies", False)
    for items in _table(data, "dependency-groups").values():
        reqs += _pep508_list(items, f.path, lines, "dependency-groups", False)
    poetry = _table(tool, "poetry")
    reqs += _table_reqs(poetry.get("dependencies"), f.path, lines, "tool.poetry.dependencies", True)
    reqs += _table_reqs(poetry.get("dev-dependencies"), f.path, lines, "tool.poetry.dev-dependencies", False)
    for group, body in _table(poetry, "group").items():
        if isinstance(body, dict):
            reqs += _table_reqs(body.get("dependencies"), f.path, lines, f"tool.poetry.group.{group}.dependencies", False)
    for items in _table(_table(tool, "pdm"), "dev-dependencies").values():
        reqs += _pep508_list(items, f.path, lines, "tool.pdm.dev-dependencies", False)
    uv = _table(tool, "uv")
    reqs += _pep508_list(uv.get("dev-dependencies"), f.path, lines, "tool.uv", False)
    name = project.get("name") or poetry.get("name")
    backend = _table(data, "build-system").get("build-backend")
    library = backend if isinstance(backend, str) and name and poetry.get("package-mode") is not False else None
    own = normalise(name) if isinstance(name, str) else None
    reqs = [r for r in reqs if r.name != own]  # `myproj[dev]` in a group names the project itself
    return Pyproject(f.path, reqs, library)


def parse_pipfile(f: RepoFile, text: str, ctx: ProbeContext) -> list[Req]:
    data = load_toml(f, text, ctx)
    if data is None:
        return []
    lines = text.splitlines()
    return (_table_reqs(data.get("packages"), f.path, lines, "packages", True, skip=())
            + _table_reqs(data.get("dev-packages"), f.path, lines, "dev-packages", False, skip=()))
