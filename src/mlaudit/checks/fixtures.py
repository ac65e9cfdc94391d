"""Check fixtures: small repositories that show what each check must decide.

`mlaudit rubrics test` and the test suite both run them through here. Each fixture is copied into
a temporary folder and committed into a fresh git repository, then scanned; nothing in it is
ever executed, and the fixture folder itself is never touched. Git runs with no system or user
configuration, no hooks and no templates, so neither the fixture nor the machine it runs on can
make it execute anything.

Layout (one convention for mlaudit's own rubrics and for a team's):

    <fixtures>/<rubric id>/<check id>/<status>[-what it shows]/
        ...the repository's files...
        .fixture-history   optional: one more commit per line, `author: subject`
        expected.yaml      optional: see fixture_expect.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import mlaudit
from mlaudit.checks.fixture_expect import EXPECTED, Expectation, read_expectations
from mlaudit.checks.loader import LoadedRubric
from mlaudit.resources import rubrics_dir

HISTORY = ".fixture-history"
HARNESS_FILES = frozenset({HISTORY, EXPECTED})  # read by the runner, never committed
FIXTURES_FOLDER = "fixtures"  # beside a team's rubric files
_GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Fixture", "GIT_AUTHOR_EMAIL": "fixture@example.com",
                 "GIT_COMMITTER_NAME": "Fixture", "GIT_COMMITTER_EMAIL": "fixture@example.com"}


@dataclass(frozen=True)
class Fixture:
    folder: Path
    rubric: LoadedRubric
    check: str  # "<rubric>/<check>": the check the folder belongs to
    expectations: tuple[Expectation, ...]
    problems: tuple[str, ...] = ()  # why it cannot run as written

    @property
    def name(self) -> str:
        return f"{self.check}/{self.folder.name}"


@dataclass
class FixtureRun:
    fixture: Fixture
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def builtin_fixtures_dir() -> Path:
    """Where mlaudit's own fixtures are in a source checkout. A wheel does not ship tests/, so
    in an installed copy this folder does not exist and the caller says where it looked."""
    return Path(mlaudit.__file__).resolve().parents[2] / "tests" / "check_fixtures"


def is_builtin(location: Path) -> bool:
    builtin = rubrics_dir().resolve()
    location = location.resolve()
    return location == builtin or location.parent == builtin


def default_fixtures_dir(location: Path | None) -> Path:
    """The fixtures of the rubric file or folder at `location` (None: the built-in rubrics)."""
    if location is None or is_builtin(location):
        return builtin_fixtures_dir()
    return (location if location.is_dir() else location.parent) / FIXTURES_FOLDER


def discover(fixtures_dir: Path, rubrics: list[LoadedRubric]) -> list[Fixture]:
    """Every fixture of these rubrics. Folders of other rubrics are left alone (they may belong to a
    rubric not being tested); a folder naming no check of its rubric is a fixture with a problem."""
    found: list[Fixture] = []
    for lr in rubrics:
        root = fixtures_dir / lr.rubric.id
        if not root.is_dir():
            continue
        known = {c.id for c in lr.rubric.checks}
        for check_dir in _folders(root):
            check = f"{lr.rubric.id}/{check_dir.name}"
            for folder in _folders(check_dir):
                if check_dir.name not in known:
                    found.append(Fixture(folder, lr, check, (), (f"{check_dir}: no check `{check_dir.name}` in rubric "
                                                                  f"`{lr.rubric.id}` ({lr.path})",)))
                    continue
                expectations, problems = read_expectations(folder, lr.rubric, check)
                found.append(Fixture(folder, lr, check, tuple(expectations), tuple(problems)))
    return found


def _folders(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.is_dir() and not p.name.startswith("."))  # .git, .idea


def missing(fixtures: list[Fixture], rubrics: list[LoadedRubric], only: set[str] | None = None) -> list[str]:
    """Like a Semgrep rule's annotated targets: every status a check's rules name must be shown
    by a fixture. A check without probes decides nothing and needs none."""
    covered: dict[str, set[str]] = {}
    for fx in fixtures:
        for exp in fx.expectations:
            covered.setdefault(exp.check, set()).add(exp.status)
    out = []
    for lr in rubrics:
        for c in lr.rubric.checks:
            full = f"{lr.rubric.id}/{c.id}"
            if only is not None and full not in only:
                continue
            for status in sorted({r.status.value for r in c.rules} - covered.get(full, set())):
                out.append(f"{full}: no fixture shows `{status}`")
    return out


def run(fixture: Fixture) -> FixtureRun:
    """Build the fixture's repository in a temporary folder, scan it, compare."""
    from mlaudit.renderers.ordering import location
    from mlaudit.scan import ScanOptions, run_scan  # the scan pulls in every probe: only when running

    outcome = FixtureRun(fixture, list(fixture.problems))
    if fixture.problems:
        return outcome
    with tempfile.TemporaryDirectory(prefix="mlaudit-fixture-") as tmp:
        repo = Path(tmp) / fixture.folder.name
        build_repository(fixture.folder, repo)
        result = run_scan(repo, ScanOptions(use_cache=False), rubrics=[fixture.rubric])
    got = {r.check: r for r in result.results}
    for exp in fixture.expectations:
        r = got[exp.check]
        about = "" if exp.check == fixture.check else f"{exp.check}: "  # another check named in expected.yaml
        if r.status.value != exp.status:
            outcome.mismatches.append(f"{about}expected {exp.status}, got {r.status.value}: {r.message}")
            continue
        for place in exp.evidence:
            if not any(place.matches(e) for e in r.evidence):
                shown = ", ".join(location(e) for e in r.evidence[:5]) or "none"
                outcome.mismatches.append(f"{about}evidence at `{place.text}` was not reported (reported: {shown})")
        if exp.status in ("fail", "partial"):
            # a finding a team must act on points somewhere they can click
            for e in r.evidence:
                if not (e.path or e.commit):
                    outcome.mismatches.append(f"{about}evidence with no path or commit: {e.message}")
    return outcome


def build_repository(folder: Path, repo: Path) -> None:
    """Copy the fixture (without any `.git` of its own, which could point git elsewhere) and commit
    it; then one commit per line of `.fixture-history`."""
    def ignore(directory: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n == ".git"}
        if Path(directory) == folder:
            skip |= HARNESS_FILES & set(names)
        return skip

    shutil.copytree(folder, repo, symlinks=True, ignore=ignore)  # a symlink stays a link, never followed
    history = folder / HISTORY
    later = history.read_text(encoding="utf-8").splitlines() if history.is_file() else []
    _git(repo, "init", "-q", "-b", "main", "--template=")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "fixture")
    for n, line in enumerate(x for x in later if x.strip() and not x.startswith("#")):
        author, _, subject = line.partition(": ")
        (repo / "CHANGES").write_text(f"{n}\n", encoding="utf-8")
        _git(repo, "add", "CHANGES")
        _git(repo, "-c", f"user.name={author}", "commit", "-qm", subject or "change",
             f"--author={author} <{author}@example.com>")


def _git(cwd: Path, *args: str) -> None:
    # Inherited GIT_* variables (GIT_DIR inside a hook, say) would aim these commands at another repository.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(_GIT_IDENTITY, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0")
    subprocess.run(["git", "-c", "core.hooksPath=" + os.devnull, "-c", "commit.gpgsign=false", *args],
                   cwd=cwd, env=env, check=True, capture_output=True, text=True)
