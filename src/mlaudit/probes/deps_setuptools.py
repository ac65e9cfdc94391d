"""Declarations for setuptools: setup.cfg (`install_requires`, `extras_require`) and setup.py,
read from its facts. setup.py is never run, so only a literal `install_requires` list (or a
name bound to one) can be seen; one built in code is named in a note instead."""

from __future__ import annotations

from configparser import ConfigParser, Error as ConfigError

from mlaudit.facts.model import Value
from mlaudit.probes.ci_configs import for_configparser
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.deps_pyproject import line_of
from mlaudit.probes.deps_requirements import COMMENT, Req, parse_pep508
from mlaudit.repository import RepoFile

_SETUP_MODULES = ("setuptools", "distutils", "skbuild", "numpy.distutils")


def parse_setup_cfg(f: RepoFile, text: str) -> list[Req]:
    parser = ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(for_configparser(text))
    except ConfigError:
        return []
    lines = text.splitlines()
    out: list[Req] = []
    sections = [("options", "install_requires", True)] + [
        ("options.extras_require", key, False) for key in (parser["options.extras_require"]
                                                            if parser.has_section("options.extras_require") else [])]
    for section, key, main in sections:
        if not parser.has_option(section, key):
            continue
        start = (line_of(lines, key) or 1) - 1
        for item in parser.get(section, key).splitlines():
            item = COMMENT.sub("", item).strip()
            parsed = parse_pep508(item) if item else None
            if parsed is not None:
                out.append(Req(parsed[0], item, f.path, line_of(lines, item, start), parsed[1], main=main))
    return out


def parse_setup_py(ctx: ProbeContext, setup_files: set[str]) -> tuple[list[Req], list[str], list[str]]:
    """Literal `install_requires` lists of setup() calls in `setup_files`, notes on what could
    not be read, and the setup.py files that call setup() (each builds a distributable package)."""
    reqs: list[Req] = []
    notes: list[str] = []
    packages: list[str] = []
    for f, facts in ctx.code():
        if f.path not in setup_files:
            continue
        for call in facts.python.calls:
            if not call.resolved or not call.name.endswith("setup") or not call.name.startswith(_SETUP_MODULES):
                continue
            if f.path not in packages:
                packages.append(f.path)
            value = call.kwargs.get("install_requires")
            note = None
            if value is None:
                if "**" in call.kwargs:
                    note = f"{f.path}: setup() takes its arguments from a mapping; install_requires not read"
                items = []
            else:
                items, line = _literal_list(facts, value, call.line, call.scope)
                if items is None:
                    note = f"{f.path}: install_requires is computed in code; not read"
            if note and note not in notes:
                notes.append(note)
            if not items:
                continue
            for item in items:
                parsed = parse_pep508(item)
                if parsed is not None:
                    reqs.append(Req(parsed[0], item, f.path, line, parsed[1]))
    return reqs, notes, packages


def _literal_list(facts, value: Value, line: int, scope: str) -> tuple[list[str] | None, int]:
    if value.kind == "const" and isinstance(value.value, list):
        return [v for v in value.value if isinstance(v, str)], line
    if value.kind == "name" and value.local and "." not in value.local:
        bound = [a for a in facts.python.assigns if a.target == value.local and a.scope in (scope, "<module>")
                 and a.line <= line]
        if bound and bound[-1].value.kind == "const" and isinstance(bound[-1].value.value, list):
            return [v for v in bound[-1].value.value if isinstance(v, str)], bound[-1].line
    return None, line
