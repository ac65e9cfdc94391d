"""`mlaudit history`: commits scanned from git objects into a resumable store, and read back as trends.

The fixture repository is built commit by commit so that its score rises and falls in known ways.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, make_repo

SPLIT = "from sklearn.model_selection import train_test_split\n\n\ndef split(X, y):\n    return train_test_split(X, y{})\n"


def commit(repo: Path, message: str, when: str) -> None:
    git(repo, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "commit", "-qm", message], cwd=repo, env=env, check=True)


@pytest.fixture
def rising_and_falling(tmp_path) -> Path:
    """Four commits: unseeded split (split-seeds fails), seeded (passes), unseeded again, seeded."""
    repo = make_repo(tmp_path / "proj", {"README.md": "# p\n"}, commit=False)
    for i, (seed, when) in enumerate([("", "2026-01-05T10:00:00"), (", random_state=0", "2026-02-05T10:00:00"),
                                      ("", "2026-03-05T10:00:00"), (", random_state=1", "2026-04-05T10:00:00")]):
        (repo / "train.py").write_text(SPLIT.format(seed))
        commit(repo, f"step {i}", when)
    return repo


def snapshot(repo: Path) -> tuple:
    tracked = {p: (repo / p).read_bytes() for p in git(repo, "ls-files").split()}
    return (git(repo, "rev-parse", "HEAD"), (repo / ".git" / "index").read_bytes(), tracked,
            git(repo, "status", "--porcelain", "--untracked-files=all"))


def series(cli, repo: Path, *args: str) -> list[dict]:
    code, out, err = cli("history", str(repo), "--export", "json", "-q", *args)
    assert code == 0, err
    return json.loads(out)


def test_the_stored_series_rises_and_falls_as_the_code_did(rising_and_falling, cli):
    repo = rising_and_falling
    (repo / "train.py").write_text("dirty work tree: not what history reads\n")
    before = snapshot(repo)
    points = series(cli, repo)
    assert [p["subject"] for p in points] == ["step 0", "step 1", "step 2", "step 3"]
    pitfalls = [p["scores"]["ml-pitfalls"] for p in points]
    assert pitfalls[0] < pitfalls[1] and pitfalls[2] == pitfalls[0] and pitfalls[3] == pitfalls[1]
    assert "ml-pitfalls/split-seeds" in points[1]["changed"] and "ml-pitfalls/split-seeds" in points[2]["changed"]
    assert snapshot(repo) == before  # work tree, index, HEAD and status byte-for-byte the same
    assert (repo / ".mlaudit" / "history.sqlite").is_file()


def test_a_second_run_scans_only_new_commits(rising_and_falling, cli):
    repo = rising_and_falling
    code, _, err = cli("history", str(repo), "--commits", "2")
    assert code == 0 and err.count(" scanned") == 2
    code, _, err = cli("history", str(repo))
    assert code == 0 and err.count(" scanned") == 2 and err.count("stored already") == 2


def test_sampling_by_period_and_count(rising_and_falling, cli):
    repo = rising_and_falling
    assert [p["subject"] for p in series(cli, repo, "--every", "2m")] == ["step 0", "step 3"]  # >= 60 days apart
    assert [p["subject"] for p in series(cli, repo, "--every", "1m")] == ["step 0", "step 2", "step 3"]
    assert [p["subject"] for p in series(cli, repo, "--commits", "2")] == ["step 0", "step 3"]
    assert [p["subject"] for p in series(cli, repo, "--since", "2026-02-01", "--until", "2026-03-31")] == [
        "step 1", "step 2"]
    code, _, err = cli("history", str(repo), "--every", "fortnight")
    assert code == 2 and "1w, 2w, 1m" in err


def test_an_interrupted_run_resumes_without_losing_finished_commits(rising_and_falling, tmp_path):
    repo = rising_and_falling
    env = {**os.environ, "MLAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "mlaudit", "history", str(repo)], env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    first = proc.stderr.readline()
    assert "[1/4]" in first and "scanned" in first
    proc.kill()  # midway: no chance to clean up
    proc.wait()
    done = subprocess.run([sys.executable, "-m", "mlaudit", "history", str(repo)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "[1/4]" in done.stderr and "stored already" in done.stderr.splitlines()[0]
    assert done.stderr.count("scanned") + done.stderr.count("stored already") == 4


def test_csv_export_and_the_reports_trend(rising_and_falling, cli, tmp_path):
    repo = rising_and_falling
    git(repo, "commit", "--allow-empty", "-qm", "=HYPERLINK(\"http://evil.example\")")
    code, out, _ = cli("history", str(repo), "--export", "csv", "-q")
    rows = out.splitlines()
    assert code == 0 and rows[0].startswith("commit,date,subject,rubric,score")
    assert "'=HYPERLINK" in out and ',"=HYPERLINK' not in out  # a subject never becomes a spreadsheet formula
    code, _, _ = cli("scan", str(repo), "-q", "-o", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text()
    assert code == 0 and 'id="trend-ml-pitfalls"' in html and "step 1" in html


def test_a_shallow_or_missing_history_is_a_clear_message(tmp_path, cli):
    plain = tmp_path / "plain"
    plain.mkdir()
    code, _, err = cli("history", str(plain))
    assert code == 2 and "not in a git repository" in err


def test_a_database_from_a_newer_mlaudit_is_refused(rising_and_falling, cli, tmp_path):
    import sqlite3

    db = tmp_path / "h.sqlite"
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 99")
    con.close()
    code, _, err = cli("history", str(rising_and_falling), "--db", str(db))
    assert code == 2 and "newer mlaudit" in err


def test_an_older_database_is_migrated_in_place_and_keeps_its_scans(rising_and_falling, cli, tmp_path, monkeypatch):
    from mlaudit.history import store as store_module

    db = tmp_path / "h.sqlite"
    assert cli("history", str(rising_and_falling), "--db", str(db), "-q")[0] == 0
    # The next schema version, as a later mlaudit would ship it: one more migration in the list.
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, "ALTER TABLE scans ADD COLUMN note TEXT"])
    code, _, err = cli("history", str(rising_and_falling), "--db", str(db))
    assert code == 0 and err.count("stored already") == 4  # nothing lost, nothing scanned again
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "note" in [row[1] for row in con.execute("PRAGMA table_info(scans)")]
    con.close()
