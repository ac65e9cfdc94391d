"""Scans sampled commits from git objects into the store, resumably, with progress."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from mlaudit.checks.loader import LoadedRubric
from mlaudit.facts.memo import ContentMemo
from mlaudit.history.sample import Sampled
from mlaudit.history.store import HistoryStore, ruleset_key
from mlaudit.repository.git_tree import revision_repository
from mlaudit.result import TrendPoint


def walk(path: Path, commits: list[Sampled], store: HistoryStore, options, rubrics: list[LoadedRubric],
         on_done: Callable[[Sampled, bool], None] = lambda c, scanned: None) -> int:
    """Scans each commit the store does not have yet; returns how many were scanned. A commit is
    stored as soon as it is scanned, so an interrupted walk resumes where it stopped."""
    from mlaudit.scan import run_scan

    ruleset = ruleset_key([lr.rubric for lr in rubrics])
    memo = ContentMemo()  # what unchanged files gave at the previous commit
    scanned = 0
    for c in commits:
        if store.has(c.commit, ruleset):
            on_done(c, False)
            continue
        memo.advance()
        with revision_repository(path, c.commit, memo) as repo:
            result = run_scan(path, options, rubrics, repo=repo)
        store.save(c.commit, ruleset, c.time, c.subject, result)
        scanned += 1
        on_done(c, True)
    return scanned


def trend_points(store: HistoryStore, ruleset: str, commits: list[Sampled]) -> list[TrendPoint]:
    """The stored scans of these commits, oldest first, as the report's trend reads them."""
    import datetime as dt

    points, previous = [], None
    for c in commits:
        result = store.load(c.commit, ruleset)
        if result is None:
            continue
        statuses = {r.check: r.status.value for r in result.results}
        changed = sorted(k for k, v in statuses.items() if previous is not None and previous.get(k) != v)
        points.append(TrendPoint(
            commit=c.commit, date=dt.datetime.fromtimestamp(c.time, dt.timezone.utc).isoformat(), subject=c.subject,
            scores={r.id: r.score for r in result.rubrics},
            sections={r.id: {s.id: s.score for s in r.sections} for r in result.rubrics},
            statuses=statuses, changed=changed))
        previous = statuses
    return points


def plain_progress(total: int) -> Callable[[Sampled, bool], None]:
    """One line per commit, for logs (no terminal animation)."""
    done = [0]

    def report(c: Sampled, scanned: bool) -> None:
        done[0] += 1
        print(f"[{done[0]}/{total}] {c.commit[:10]} {'scanned' if scanned else 'stored already'}", file=sys.stderr,
              flush=True)
    return report
