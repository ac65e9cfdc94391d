"""Pinned or locked dependencies and update bots (Sculley §8 reproducibility debt; ML Test Score
Infra 1, Monitor 1): the probes and the level decision. Reading the declarations, the lock files
and the bots' configurations is done in the deps_* modules, as data: nothing is installed or run.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.deps_bots import update_bots
from mlaudit.probes.deps_collect import DECLARATION_GLOBS, co_pinned, collect, project_files
from mlaudit.probes.deps_imports import own_packages, third_party_imports
from mlaudit.probes.deps_locks import check_locks
from mlaudit.probes.deps_requirements import Req, redact
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

MAX_EVIDENCE = 20


def _detail(r: Req) -> str:
    shown = redact(r.raw)
    if r.kind == "bare":
        return f"{shown}: " + ("only excludes versions; any other is accepted" if "!=" in r.raw else "no version given")
    if r.kind == "url":
        return f"{shown}: a URL without a fixed commit, tag or archive"
    return f"{shown}: a range, not an exact pin"


@probe("deps.pinned", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def deps_pinned(ctx: ProbeContext) -> ProbeResult:
    """Are the dependencies pinned or locked?

    Reads requirements files (`requirements*.txt`, `requirements/*.txt`, `*.in`, following `-r`
    includes and `-c` constraints), pyproject.toml (`[project]` dependencies and extras,
    `[dependency-groups]`, Poetry, PDM and uv tables), setup.cfg, setup.py (only a literal
    `install_requires` list can be read from its facts; one built in code is named in the
    message), conda `environment*.yml` (conda and pip entries) and Pipfile, and the lock files
    poetry.lock, uv.lock, pdm.lock, Pipfile.lock, conda-lock.yml and requirements files written
    by pip-compile, uv or rye. Levels: `locked` when a lock file lists every runtime dependency
    declared next to it (one that misses some is stale and does not count) or a requirements
    file hashes every entry; `pinned` when every third-party requirement is exact (`==`, a
    Poetry/Pipfile bare version, conda `=1.2.3` or a build string, a URL at a commit or an
    archive); `partial` when some are pinned or bounded; `none` when no requirement has a
    version, or when nothing is declared but the code imports third-party packages. A loose
    requirement is still pinned by an exact pin of the same name in a file installed together
    with it (through `-r` or `-c`). The project's own packages, `python` itself, and files in
    test-data, vendored or template folders are left out. True for locked or pinned (also when
    the code imports nothing outside the standard library: there is nothing to pin).
    A published library (pyproject.toml with a build backend, or a setup.py) declares ranges on
    purpose: the message says so, the level is still reported. Not applicable without Python
    code or declarations. Evidence: each unpinned requirement line (up to 20, the project's
    runtime declarations before docs, tests, CI and examples) or, with nothing declared, the
    first import of each third-party package; the lock file; a stale lock; and the
    configuration of each update bot (as deps.update_bot reads it).
    Values: `level`, `files` read, `unpinned` names (up to 20), `total` and `pinned` counts of
    distinct third-party requirements, `update_bot` (tool, path, ecosystems, whether it covers
    Python) for ML Test Score Monitor 1.
    """
    d = collect(ctx)
    locks = check_locks(ctx, d)
    bots = update_bots(ctx)
    bot_evidence = [b.evidence() for b in bots]
    has_code = bool(ctx.store.code_files())
    files = sorted(set(d.files) | {lk.path for lk in locks})

    own = own_packages(ctx)
    third = [r for r in d.reqs if r.kind != "local" and r.name and r.name not in own and r.name != "python"]
    together = co_pinned(d, third)
    loose = [r for r in third if not r.constraint and r.kind != "pinned" and (r.path, r.name) not in together]
    declared: dict[str, list[Req]] = {}
    for r in third:
        if not r.constraint:
            declared.setdefault(r.name, []).append(r)
    unpinned = sorted({r.name for r in loose})
    pinned = set(declared) - set(unpinned)
    bounded = {n for n, rs in declared.items() if any(r.kind in ("pinned", "ranged") for r in rs)}
    values: dict[str, Any] = {"level": None, "files": files, "unpinned": unpinned[:20], "total": len(declared),
                              "pinned": len(pinned), "update_bot": [b.summary() for b in bots]}
    notes = list(d.notes)

    good_locks = [lk for lk in locks if not lk.missing]
    stale = [lk for lk in locks if lk.missing]
    hashed = [p for p, rf in d.req_files.items()
              if (reqs := [r for r in rf.reqs if r.kind != "local"]) and all(r.hashed for r in reqs)]
    evidence: list[Evidence] = []
    for lk in stale[:MAX_EVIDENCE]:
        shown = ", ".join(lk.missing[:5]) + (" ..." if len(lk.missing) > 5 else "")
        evidence.append(Evidence(path=lk.path, detail=(
            f"stale lock: does not list {shown}, declared in {lk.declared_in}")))

    if good_locks or hashed:
        values["level"] = "locked"
        for lk in good_locks:
            where = f" declared in {lk.declared_in}" if lk.declared_in else ""
            evidence.append(Evidence(path=lk.path, detail=(
                f"{lk.tool} lock file fixes {len(lk.names)} packages, including every runtime dependency{where}")))
        for p in hashed:
            evidence.append(Evidence(path=p, detail="every requirement is pinned with a --hash"))
        return ProbeResult(outcome=Outcome.true, evidence=evidence[:MAX_EVIDENCE] + bot_evidence, values=values,
                           message=_message(notes))

    if not declared:
        imports = third_party_imports(ctx) if has_code else {}
        if not imports:
            if not has_code and not files:
                return ProbeResult(outcome=Outcome.not_applicable, values=values, evidence=bot_evidence,
                                   message="no Python code and no dependency declaration")
            values["level"] = "pinned"
            return ProbeResult(outcome=Outcome.true, values=values, evidence=evidence + bot_evidence, message=_message(
                notes + ["the code imports no third-party package: there is nothing to pin"]))
        values["level"] = "none"
        values["unpinned"] = sorted(imports)[:20]
        values["total"] = len(imports)
        first_seen = sorted(imports.values(), key=lambda e: (e.path, e.cell or 0, e.line or 0))
        evidence += first_seen[:MAX_EVIDENCE]
        return ProbeResult(outcome=Outcome.false, evidence=evidence + bot_evidence, values=values, message=_message(
            notes + ["no dependency declaration: the code imports third-party packages that no file names"]))

    if not unpinned:
        values["level"] = "pinned"
        for path in sorted(d.files)[:MAX_EVIDENCE]:
            evidence.append(Evidence(path=path, detail="every requirement here is pinned to an exact version"))
        return ProbeResult(outcome=Outcome.true, evidence=evidence + bot_evidence, values=values,
                           message=_message(notes))

    values["level"] = "partial" if bounded else "none"
    for r in sorted(loose, key=lambda r: (_secondary(r.path), r.path, r.line or 0))[:MAX_EVIDENCE]:
        evidence.append(Evidence(path=r.path, line=r.line, detail=_detail(r)))
    library = next((f"{p.path} builds a package ({p.library})" for p in d.pyprojects if p.library), None) or next(
        (f"{path} builds a package" for path in d.setup_packages), None)
    if library:
        notes.append(f"{library}: a published library declares version ranges on purpose; "
                     "an application should pin or lock them")
    return ProbeResult(outcome=Outcome.false, evidence=evidence + bot_evidence, values=values, message=_message(notes))


_SECONDARY = frozenset({"examples", "example", "docs", "doc", "doctests", "tests", "test", "testing", "benchmarks",
                        "bench", "scripts", "tools", "ci", "dev", "lint", "typing", "style", "extra", "extras", "gpu"})


def _secondary(path: str) -> tuple[int, int]:
    """Examples, docs, tests and tooling are shown after the project's runtime declarations."""
    p = PurePosixPath(path)
    in_folder = any(part.startswith(".") or part in _SECONDARY for part in p.parts[:-1])
    by_name = bool(set(re.split(r"[-_.]+", p.stem.lower())) & _SECONDARY)
    return int(in_folder) * 2 + int(by_name), len(p.parts)


def _message(notes: list[str]) -> str | None:
    return "; ".join(notes) if notes else None


@probe("deps.update_bot", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def deps_update_bot(ctx: ProbeContext) -> ProbeResult:
    """Does a bot announce dependency updates (Dependabot, Renovate, pyup)?

    Reads the bots' configuration files: `.github/dependabot.yml` (and `.gitlab/dependabot.yml`
    for dependabot-gitlab), Renovate's `renovate.json`, `renovate.json5`, `.github/`,
    `.gitlab/` and `.renovaterc*` files and the `renovate` key of package.json, and
    `.pyup.yml`. True when one covers Python packages: a Dependabot `package-ecosystem` of pip
    (which also serves Poetry, Pipenv and pip-compile), uv or conda whose `directory` holds a
    Python dependency file (requirements files may be one folder down); Renovate with its
    default managers (it updates every manager it detects) or `enabledManagers` naming a Python
    one; pyup unless `update: false`. Configurations that announce nothing do not count: a
    Dependabot entry with `open-pull-requests-limit: 0` or ignoring `dependency-name: "*"`,
    Renovate with `enabled: false` or the `:disableRenovate` preset, Python managers turned off
    one by one. Presets kept in another repository cannot be read; the message names them.
    False when no configuration covers Python (the message says which ecosystems they cover),
    or when there is none; bots set up only in a web interface cannot be seen. Not applicable
    without Python code or dependency declarations. This is ML Test Score Monitor 1 for code
    dependencies only; changes to upstream data are not visible in a repository.
    Evidence: for each configuration that covers Python (each configuration when none does), the
    line that turns it on: the first Python `package-ecosystem:` for Dependabot,
    `enabledManagers` or `extends` for Renovate, `update:` for pyup.
    Values: `tools` configured, `ecosystems` they cover (Renovate's default is `all`), `python`
    whether any covers Python packages.
    """
    bots = update_bots(ctx)
    tools = list(dict.fromkeys(b.tool for b in bots))
    ecosystems = list(dict.fromkeys(e for b in bots for e in b.ecosystems))
    python = any(b.python for b in bots)
    values = {"tools": tools, "ecosystems": ecosystems, "python": python}
    notes = [n for b in bots for n in b.notes]
    if python:
        evidence = [b.evidence() for b in bots if b.python]
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values, message=_message(notes))
    if not ctx.store.code_files() and not project_files(ctx, *DECLARATION_GLOBS):
        return ProbeResult(outcome=Outcome.not_applicable, values=values,
                           message="no Python code and no dependency declaration")
    if not bots:
        return ProbeResult(outcome=Outcome.false, values=values, message=(
            "no Dependabot, Renovate or pyup configuration: nothing announces new versions of the dependencies"))
    notes.insert(0, "no update bot covers Python packages: " + "; ".join(b.coverage() for b in bots))
    return ProbeResult(outcome=Outcome.false, evidence=[b.evidence() for b in bots], values=values,
                       message=_message(notes))
