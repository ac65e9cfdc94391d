"""Declarations in conda environment files: conda match specs and the `pip:` list."""

from __future__ import annotations

import re

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.deps_requirements import Req, normalise, parse_requirements
from mlaudit.repository import RepoFile

# Packages a conda file lists that are the interpreter or the installer, not dependencies.
_CONDA_TOOLS = frozenset({"python", "pip"})


def conda_kind(spec: str) -> tuple[str, str] | None:
    spec = spec.split("::")[-1].strip()
    m = re.match(r"^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*(.*)$", spec)
    if m is None:
        return None
    name, rest = m.group(1), m.group(2).strip()
    if not rest:
        return normalise(name), "bare"
    if rest.startswith("=="):
        return normalise(name), "pinned" if "*" not in rest else "ranged"
    if rest[0] in "<>!~" or "," in rest or "|" in rest:
        return normalise(name), "ranged"
    # `name=1.2` means 1.2.*; a full version (three parts) or a build string fixes it.
    parts = rest.lstrip("=").strip().split("=")
    version = parts[0].split()[0] if parts[0].split() else ""
    if "*" in version:
        return normalise(name), "ranged"
    exact = len(parts) > 1 or len(rest.lstrip("=").split()) > 1 or version.count(".") >= 2
    return normalise(name), "pinned" if exact else "ranged"


def parse_environment(f: RepoFile, ctx: ProbeContext) -> list[Req] | None:
    """The file's requirements, or None when it is no environment file (no `dependencies:` list)."""
    doc = ctx.store.yaml(f)
    if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get("dependencies"), list):
        return None
    out: list[Req] = []
    for i, dep in enumerate(doc.data["dependencies"]):
        line = doc.lines.get(("dependencies", i))
        if isinstance(dep, str):
            parsed = conda_kind(dep)
            if parsed and parsed[0] not in _CONDA_TOOLS:
                out.append(Req(parsed[0], dep, f.path, line, parsed[1]))
        elif isinstance(dep, dict) and isinstance(dep.get("pip"), list):
            for j, item in enumerate(dep["pip"]):
                if not isinstance(item, str):
                    continue
                pline = doc.lines.get(("dependencies", i, "pip", j), line)
                for r in parse_requirements(f.path, item).reqs:  # `-r file` here is read with the other files
                    out.append(Req(r.name, r.raw, f.path, pline, r.kind, hashed=r.hashed))
    return out
