"""The whole path once: repository → facts → probes → checks → scores."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mlaudit import __version__
from mlaudit.checks.evaluate import ProbeRunner, evaluate
from mlaudit.checks.loader import LoadedRubric, load_rubrics
from mlaudit.facts.cache import FactCache, default_cache_dir
from mlaudit.facts.store import DEFAULT_MAX_FILE_SIZE, FactStore
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Outcome, ProbeResult
from mlaudit.probes.registry import all_probes
from mlaudit.repository import Repository, open_repository
from mlaudit.result import ProbeSummary, ScanResult, Target, Tool, WarningOut
from mlaudit.scores import score_rubric


@dataclass
class ScanOptions:
    rubric_paths: list[Path] = field(default_factory=list)
    builtin_rubrics: bool = True
    cache_dir: Path | None = None  # None: the default cache folder
    use_cache: bool = True
    max_file_size: int = DEFAULT_MAX_FILE_SIZE


@dataclass
class Session:
    """One scan's shared state: the inventory, the fact store and the probe runner."""

    repo: Repository
    store: FactStore
    runner: ProbeRunner

    @classmethod
    def open(cls, path: str | Path, options: ScanOptions) -> "Session":
        repo = open_repository(path)
        cache = FactCache((options.cache_dir or default_cache_dir()) if options.use_cache else None)
        store = FactStore(repo, cache, max_file_size=options.max_file_size)
        runner = ProbeRunner(lambda params: ProbeContext(repo, store, params), all_probes())
        return cls(repo, store, runner)

    def target(self) -> Target:
        git = self.repo.git
        return Target(path=str(self.repo.root), name=self.repo.root.name, git=git is not None,
                      commit=git.commit if git else None, branch=git.branch if git else None,
                      shallow=git.shallow if git else False, remote_url=git.remote_url if git else None,
                      prefix=git.prefix if git else "",
                      changed=sorted({f.path for f in self.repo.files if git and not f.tracked} | self.store.changed))

    def warnings(self) -> list[WarningOut]:
        return [WarningOut(path=w.path, message=w.message, line=w.line, cell=w.cell)
                for w in self.repo.warnings + self.store.warnings]

    def close(self) -> None:
        self.store.cache.close()


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def run_scan(path: str | Path, options: ScanOptions | None = None,
             rubrics: list[LoadedRubric] | None = None) -> ScanResult:
    options = options or ScanOptions()
    rubrics = rubrics if rubrics is not None else load_rubrics(options.rubric_paths, builtin=options.builtin_rubrics)
    started = time.perf_counter()
    session = Session.open(path, options)
    try:
        results, scores = [], []
        for lr in rubrics:
            mine = [evaluate(lr, check, session.runner) for check in lr.rubric.checks]
            results += mine
            score = score_rubric(lr.rubric, mine)
            score.origin = "built-in" if lr.builtin else str(lr.path)
            scores.append(score)
        probe_errors = [WarningOut(path="(probe)", message=f"probe {pid} failed: {r.message}")
                        for pid, r in session.runner.results().items() if r.outcome is Outcome.error]
        return ScanResult(
            tool=Tool(version=__version__), target=session.target(), generated_at=_now(),
            rubrics=scores, results=results, warnings=session.warnings() + probe_errors,
            probes={pid: ProbeSummary(outcome=r.outcome.value, values=r.values, message=r.message)
                    for pid, r in sorted(session.runner.results().items())},
            stats={**session.store.structured(), "files": len(session.repo.files),
                   "code_files": len(session.store.code_files()),
                   "seconds": round(time.perf_counter() - started, 3)},
        )
    finally:
        session.close()


def run_probes(path: str | Path, options: ScanOptions | None = None,
               only: list[str] | None = None) -> tuple[Session, dict[str, ProbeResult]]:
    """Every registered probe (or `only` these) with default parameters: the raw view."""
    from mlaudit.checks.schema import ProbeUse

    session = Session.open(path, options or ScanOptions())
    try:
        probes = all_probes()
        ids = only or sorted(probes)
        return session, {pid: session.runner.run(ProbeUse(id=pid)) for pid in ids}
    finally:
        session.close()
