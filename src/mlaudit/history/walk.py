"""Scans sampled commits from git objects into the store, resumably, with progress."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from mlaudit.checks.loader import LoadedRubric
from mlaudit.config import Config, LoadedConfig, load_config_in
from mlaudit.errors import ConfigError
from mlaudit.facts.memo import ContentMemo
from mlaudit.history.sample import Sampled, describe, first_parent_line
from mlaudit.history.store import HistoryStore, scan_key
from mlaudit.repository.git_tree import revision_repository
from mlaudit.result import ScanResult, TrendPoint, WarningOut


def walk(path: Path, commits: list[Sampled], store: HistoryStore, options, rubrics: list[LoadedRubric],
         on_done: Callable[[Sampled, bool], None] = lambda c, scanned: None, jobs: int = 1) -> int:
    """Scans each commit the store does not have yet, `jobs` at a time; returns how many were
    scanned. A commit is stored as soon as it is scanned, so an interrupted walk resumes where it
    stopped."""
    ruleset = scan_key(path, options, rubrics)
    todo = []
    for c in commits:
        if store.has(c.commit, ruleset):
            on_done(c, False)
        else:
            todo.append(c)
    if jobs > 1 and len(todo) > 1:
        from mlaudit.history.parallel import scan_in_parallel

        scan_in_parallel(path, todo, store, options, rubrics, min(jobs, len(todo)), on_done)
        return len(todo)
    memo = ContentMemo()  # what unchanged files gave at the previous commit
    for c in todo:
        memo.advance()
        _scan_and_store(path, c, store, ruleset, options, rubrics, memo)
        on_done(c, True)
    return len(todo)


def _scan_and_store(path: Path, c: Sampled, store: HistoryStore, ruleset: str, options, rubrics: list[LoadedRubric],
                    memo: ContentMemo | None = None) -> ScanResult:
    from mlaudit.scan import run_scan

    with revision_repository(path, c.commit, memo) as repo:
        at, problem = _options_at(repo, options, c)
        result = run_scan(path, at, rubrics, repo=repo)
    if problem:  # named by its path in the scanned folder, as a work-tree scan names its config
        problem = problem.replace(f"{Path(path).resolve()}/", "")
        file, line = (problem.split(":") + ["", ""])[:2]
        result.warnings.insert(0, WarningOut(path=file, line=int(line) if line.isdigit() else None, message=(
            f"the config at this commit was not used: {problem}")))
    store.save(c.commit, ruleset, c.time, c.subject, result)
    return result


def _options_at(repo, options, c: Sampled):
    """The team's config as this commit had it (unless --config names one), its attestations judged
    on the commit's day: the history shows what was true then."""
    day = dt.datetime.fromtimestamp(c.time, dt.timezone.utc).date()
    if options.config_explicit:
        return replace(options, today=day), None
    try:
        # Written for the rubrics of its day: a check since renamed is a warning, the rest still counts.
        return replace(options, config=load_config_in(repo), today=day, lenient_config=True), None
    except ConfigError as exc:
        return replace(options, config=LoadedConfig(config=Config()), today=day), "; ".join(exc.problems)


def scan_at(path: Path, commit: str, store: HistoryStore, options, rubrics: list[LoadedRubric]) -> tuple[ScanResult, Sampled]:
    """One commit's scan: the stored one, else scanned from git objects now and stored for next time."""
    c = describe(path, commit)
    ruleset = scan_key(path, options, rubrics)
    stored = store.load(commit, ruleset)
    return (stored if stored is not None else _scan_and_store(path, c, store, ruleset, options, rubrics)), c


def last_stored_before(path: Path, commit: str, store: HistoryStore, options, rubrics: list[LoadedRubric]) -> str | None:
    """The newest commit before `commit` on its first-parent line that has a stored scan."""
    stored = {s.commit for s in store.stored(scan_key(path, options, rubrics))}
    line = first_parent_line(path, commit, None, None)
    return next((c.commit for c in reversed(line[:-1]) if c.commit in stored), None)


def trend_points(store: HistoryStore, ruleset: str, commits: list[Sampled], *, leave_out: str | None = None) -> list[TrendPoint]:
    """The stored scans of these commits, oldest first, as the report's trend reads them;
    `leave_out`: the commit a report's own scan stands for (it may differ from the stored one)."""
    points: list[TrendPoint] = []
    stored = {s.commit for s in store.stored(ruleset)} - {leave_out}  # one query, not one per commit of the line
    for c in commits:
        if c.commit in stored:
            result = store.load(c.commit, ruleset)
            when = dt.datetime.fromtimestamp(c.time, dt.timezone.utc).isoformat()
            points.append(TrendPoint.of(result, c.commit, when, c.subject, points[-1] if points else None))
    # Only the newest point's statuses are read again (to tell what this scan changed): the others'
    # would make a report's JSON grow by every check for every stored commit.
    for p in points[:-1]:
        p.statuses = {}
    return points


def plain_progress(total: int) -> Callable[[Sampled, bool], None]:
    """One line per commit, for logs (no terminal animation)."""
    done = [0]

    def report(c: Sampled, scanned: bool) -> None:
        done[0] += 1
        print(f"[{done[0]}/{total}] {c.commit[:10]} {'scanned' if scanned else 'stored already'}", file=sys.stderr,
              flush=True)
    return report
