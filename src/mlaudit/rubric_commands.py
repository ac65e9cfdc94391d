"""`mlaudit rubrics test` and `mlaudit rubrics docs`: the tools of a rubric author.

Kept out of cli.py so the command module stays a thin layer of options. Rubrics are loaded
exactly as a scan loads them, so a rubric that passes here is one a scan accepts.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import click

from mlaudit.checks import fixtures as fx
from mlaudit.checks.loader import LoadedRubric, load_rubrics, rubric_files
from mlaudit.errors import MlauditError


def load_rubrics_at(locations: list[Path]) -> list[LoadedRubric]:
    """The built-in rubrics when `locations` is empty, else the rubrics in these files or folders
    (a location inside mlaudit's own rubrics folder keeps its built-in standing)."""
    if not locations:
        return load_rubrics()
    builtin = [p for p in locations if fx.is_builtin(p)]
    mine = [p for p in locations if not fx.is_builtin(p)]
    wanted = {f.resolve() for p in builtin for f in rubric_files(p)}
    loaded = [lr for lr in load_rubrics() if lr.path.resolve() in wanted] if builtin else []
    if mine:
        loaded += load_rubrics(mine, builtin=False)
    return loaded


def _select(rubrics: list[LoadedRubric], only: tuple[str, ...]) -> set[str] | None:
    if not only:
        return None
    known = {f"{lr.rubric.id}/{c.id}" for lr in rubrics for c in lr.rubric.checks}
    picked = set()
    for name in only:
        matches = {k for k in known if k == name or k.split("/", 1)[1] == name}
        if not matches:
            raise click.UsageError(f"no check {name!r} in these rubrics; `mlaudit rubrics list` shows them")
        picked |= matches
    return picked


def test_fixtures(location: Path | None, fixtures_dir: Path | None, only: tuple[str, ...],
                  echo: Callable[[str], None]) -> int:
    """Run the fixtures; print one line per fixture and a summary. 0 when all agree, 1 otherwise."""
    rubrics = load_rubrics_at([location] if location else [])
    where = fixtures_dir or fx.default_fixtures_dir(location)
    if not where.is_dir():
        if location is None or fx.is_builtin(location):
            raise MlauditError(f"the built-in rubrics' fixtures are not here: looked in {where}. They ship with "
                               "mlaudit's source, not with the installed package; run this from a source checkout, "
                               "or pass --fixtures DIR")
        echo(f"no fixtures: looked in {where} (expected <rubric id>/<check id>/<status>[-what it shows]/ there)")
    selected = _select(rubrics, only)
    found = fx.discover(where, rubrics) if where.is_dir() else []
    if selected is not None:
        found = [f for f in found if f.check in selected]
    failed = 0
    for fixture in found:
        try:
            run = fx.run(fixture)
        except (OSError, subprocess.CalledProcessError) as exc:  # git missing, unreadable fixture
            detail = getattr(exc, "stderr", None) or str(exc)
            run = fx.FixtureRun(fixture, [f"could not build its repository: {str(detail).strip()}"])
        if run.ok:
            echo(f"ok    {fixture.name}")
            continue
        failed += 1
        echo(f"FAIL  {fixture.name}: {run.mismatches[0]}")
        for more in run.mismatches[1:]:
            echo(f"      {more}")
    gaps = fx.missing(found, rubrics, selected)
    for gap in gaps:
        echo(f"MISSING  {gap}")
    n = len(found)
    summary = f"{n} fixture{'' if n == 1 else 's'} in {where}: {n - failed} ok, {failed} failed"
    if gaps:
        summary += f"; {len(gaps)} status{'' if len(gaps) == 1 else 'es'} no fixture shows"
    echo(summary)
    return 1 if failed or gaps else 0


def render_docs(locations: list[Path]) -> str:
    from mlaudit.probes.registry import all_probes
    from mlaudit.renderers.check_docs import render_check_docs

    rubrics = load_rubrics_at(locations)
    # The built-in reference documents every probe, so authors of their own checks find them there.
    if not locations:
        return render_check_docs(rubrics, all_probes(), all_probes=True)
    return render_check_docs(rubrics, all_probes(), all_probes=False, command="mlaudit rubrics docs")
