"""The whole path once: repository → facts → probes → checks → scores."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from mlaudit import __version__
from mlaudit.checks.attest import PlacedAttest, apply_attestations
from mlaudit.checks.excerpts import add_excerpts
from mlaudit.checks.evaluate import ProbeRunner, evaluate
from mlaudit.checks.inline import collect_markers
from mlaudit.checks.loader import LoadedRubric, load_rubrics
from mlaudit.checks.suppress import PlacedIgnore, apply_suppressions
from mlaudit.config import LoadedConfig, load_config
from mlaudit.facts.cache import FactCache, default_cache_dir
from mlaudit.facts.store import DEFAULT_MAX_FILE_SIZE, FactStore
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Outcome, ProbeResult
from mlaudit.probes.registry import all_probes
from mlaudit.repository import Repository, open_repository
from mlaudit.result import CheckResult, ProbeSummary, ScanResult, Target, Tool, WarningOut
from mlaudit.scores import score_rubric


@dataclass
class ScanOptions:
    rubric_paths: list[Path] = field(default_factory=list)
    builtin_rubrics: bool = True
    cache_dir: Path | None = None  # None: the default cache folder
    use_cache: bool = True
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    # The attestations and suppressions to apply. None: read the scanned folder's own config
    # (the command line passes what it loaded, so `--config` is honoured).
    config: LoadedConfig | None = None
    config_explicit: bool = False  # named with --config: a history walk uses it for every commit
    lenient_config: bool = False  # a past commit's own config: an unknown check name is a warning, not an error
    today: dt.date | None = None  # when attestations expire against; None: the local date


ANCHOR_FILES = ("README.md", "README.rst", "README.txt", "README", "pyproject.toml", "setup.py", "setup.cfg",
                "requirements.txt")


@dataclass
class Session:
    """One scan's shared state: the inventory, the fact store and the probe runner."""

    repo: Repository
    store: FactStore
    runner: ProbeRunner

    @classmethod
    def open(cls, path: str | Path, options: ScanOptions, repo: Repository | None = None) -> "Session":
        """`repo`: an already opened repository (a past commit read from git objects)."""
        repo = repo if repo is not None else open_repository(path)
        cache = FactCache((options.cache_dir or default_cache_dir()) if options.use_cache else None)
        store = FactStore(repo, cache, max_file_size=options.max_file_size)
        runner = ProbeRunner(lambda params: ProbeContext(repo, store, params), all_probes())
        return cls(repo, store, runner)

    def target(self) -> Target:
        git = self.repo.git
        return Target(path=str(self.repo.root), name=self.repo.root.name, git=git is not None,
                      commit=git.commit if git else None, branch=git.branch if git else None,
                      from_objects=git.from_objects if git else False,
                      shallow=git.shallow if git else False, remote_url=git.remote_url if git else None,
                      prefix=git.prefix if git else "",
                      changed=sorted({f.path for f in self.repo.files if git and not f.tracked} | self.store.changed),
                      anchor=self.anchor())

    def anchor(self) -> str | None:
        """A file every code-scanning tool can show a repository-wide finding on: the README, else
        the project's metadata, else the first file."""
        for name in ANCHOR_FILES:
            f = self.repo.get(name)
            if f is not None and not f.is_symlink:
                return name
        files = sorted(f.path for f in self.repo.files if not f.is_symlink)
        return files[0] if files else None

    def warnings(self) -> list[WarningOut]:
        # Once each: a history walk replays a reused answer's warnings, which another probe's own
        # read of the same file may give again.
        seen = dict.fromkeys((w.path, w.message, w.line, w.cell) for w in self.repo.warnings + self.store.warnings)
        return [WarningOut(path=p, message=m, line=line, cell=cell) for p, m, line, cell in seen]

    def close(self) -> None:
        self.store.cache.close()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _shown(path: Path, root: Path) -> str:
    """The config's path as reports show it: relative to the scanned root when inside it."""
    full = path.resolve()
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return str(full)


def _team_statements(session: "Session", config: LoadedConfig, results: list[CheckResult], rubrics: list[LoadedRubric],
                     today: dt.date) -> list[WarningOut]:
    """Applies the config's suppressions, then its attestations; returns unused suppressions."""
    c = config.config
    where = _shown(config.path, session.repo.root) if config.path else ""
    ignores = [PlacedIgnore(g, where, config.line_of(("ignore", i))) for i, g in enumerate(c.ignore)]
    evidence_paths = {e.path for r in results for e in r.evidence if e.path is not None}
    markers = collect_markers(session.store, evidence_paths)
    unused = apply_suppressions(results, ignores, markers, {r.check for r in results}, set(all_probes()))
    apply_attestations(results, [PlacedAttest(a, where, config.line_of(("attest", i))) for i, a in enumerate(c.attest)],
                       {lr.rubric.id: lr.rubric.scoring for lr in rubrics}, session.repo, today)
    return unused


def known_names(rubrics: list[LoadedRubric]) -> tuple[set[str], set[str]]:
    """The check ids (`<rubric>/<check>`) and probe ids a config may name."""
    return {f"{lr.rubric.id}/{c.id}" for lr in rubrics for c in lr.rubric.checks}, set(all_probes())


def run_scan(path: str | Path, options: ScanOptions | None = None,
             rubrics: list[LoadedRubric] | None = None, repo: Repository | None = None) -> ScanResult:
    options = options or ScanOptions()
    rubrics = rubrics if rubrics is not None else load_rubrics(options.rubric_paths, builtin=options.builtin_rubrics)
    config = options.config if options.config is not None else load_config(Path(path))
    # A misspelt check or probe would attest or silence nothing: stop before the work, not after.
    names = known_names(rubrics)
    stale: list[tuple[int, str]] = []
    if options.lenient_config:
        config, stale = config.usable(*names)
    else:
        config.check_names(*names)
    started = time.perf_counter()
    session = Session.open(path, options, repo)
    try:
        results = [evaluate(lr, check, session.runner) for lr in rubrics for check in lr.rubric.checks]
        unused = _team_statements(session, config, results, rubrics, options.today or dt.date.today())
        add_excerpts(results, session.store)
        scores = []
        for lr in rubrics:
            score = score_rubric(lr.rubric, [r for r in results if r.rubric == lr.rubric.id])
            score.origin = "built-in" if lr.builtin else str(lr.path)
            scores.append(score)
        probe_errors = [WarningOut(path="(probe)", message=f"probe {pid} failed: {r.message}")
                        for pid, r in session.runner.results().items() if r.outcome is Outcome.error]
        return ScanResult(
            tool=Tool(version=__version__), target=session.target(), generated_at=_now(),
            rubrics=scores, results=results, unused_suppressions=unused,
            warnings=[WarningOut(path=_shown(config.path, session.repo.root) if config.path else "(config)", line=line,
                                 message=message) for line, message in stale] + session.warnings() + probe_errors,
            config=_shown(config.path, session.repo.root) if config.path else None,
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
