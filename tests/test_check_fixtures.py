"""Every probe-backed check against its passing and failing fixture repositories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import git

from mlaudit.checks.loader import load_rubrics
from mlaudit.scan import ScanOptions, run_scan

FIXTURES = Path(__file__).parent / "check_fixtures"
# Checks about history read it from this file: one later commit per line, `author: subject`.
HISTORY = ".fixture-history"
STATUSES = ("pass", "partial", "fail", "not_applicable", "not_observable", "error")


def _cases():
    for folder in sorted(FIXTURES.glob("*/*/*")):
        if folder.is_dir():
            rubric, check = folder.parent.parent.name, folder.parent.name
            expected = next(s for s in sorted(STATUSES, key=len, reverse=True) if folder.name.startswith(s))
            yield pytest.param(f"{rubric}/{check}", expected, folder, id=f"{rubric}/{check}/{folder.name}")


@pytest.mark.parametrize(("check", "expected", "folder"), list(_cases()))
def test_check_on_fixture(check, expected, folder, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(folder, repo)
    history = repo / HISTORY
    later = history.read_text().splitlines() if history.exists() else []
    history.unlink(missing_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fixture")
    for n, line in enumerate(l for l in later if l.strip() and not l.startswith("#")):
        author, _, subject = line.partition(": ")
        (repo / "CHANGES").write_text(f"{n}\n")
        git(repo, "add", "CHANGES")
        git(repo, "-c", f"user.name={author}", "commit", "-qm", subject, f"--author={author} <{author}@example.com>")
    result = run_scan(repo, ScanOptions(use_cache=False))
    got = next(r for r in result.results if r.check == check)
    assert got.status.value == expected, got.message
    if expected in ("fail", "partial") and got.evidence:
        assert all(e.path or e.commit for e in got.evidence)


def test_every_status_a_rule_can_give_has_a_fixture():
    """Like a Semgrep rule's annotated targets: each status a check's rules name is shown on a repository."""
    covered: dict[str, set[str]] = {}
    for param in _cases():
        check, expected, _ = param.values
        covered.setdefault(check, set()).add(expected)
    missing = []
    for lr in load_rubrics():
        for c in lr.rubric.checks:
            full = f"{lr.rubric.id}/{c.id}"
            for status in sorted({r.status.value for r in c.rules} - covered.get(full, set())):
                missing.append(f"{full}: no fixture shows `{status}`")
    assert not missing, "\n".join(missing)
