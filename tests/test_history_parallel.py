"""`mlaudit history --jobs N`: commits scanned in worker processes store what one process stores,
and stopping the parent (Ctrl-C, or killed outright) leaves no worker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_history_command import SPLIT, commit
from test_history_memo import _view

from conftest import make_repo
from mlaudit.history.store import HistoryStore


@pytest.fixture
def eight_commits(tmp_path) -> Path:
    repo = make_repo(tmp_path / "proj", {"README.md": "# p\n", "broken.ipynb": "{not json"}, commit=False)
    for i in range(8):
        (repo / "train.py").write_text(SPLIT.format(", random_state=0" if i % 3 else ""))
        (repo / f"step{i}.py").write_text(f"x = {i}\n")
        commit(repo, f"step {i}", f"2026-0{1 + i // 4}-{10 + i}T10:00:00")
    return repo


def stored(db: Path) -> dict:
    store = HistoryStore(db)
    try:
        rows = store._db.execute("SELECT commit_id, ruleset FROM scans").fetchall()
        return {c: _view(store.load(c, r)) for c, r in rows}
    finally:
        store.close()


def test_workers_store_what_one_process_stores(eight_commits, tmp_path, cli):
    for jobs in ("1", "3"):
        code, _, err = cli("history", str(eight_commits), "--db", str(tmp_path / f"j{jobs}.sqlite"), "-q",
                           "--jobs", jobs)
        assert code == 0, err
    one, three = stored(tmp_path / "j1.sqlite"), stored(tmp_path / "j3.sqlite")
    assert len(one) == 8 and one == three


def _workers_of(marker: str) -> list[str]:
    out = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout
    return out.split()


def _all_gone(marker: str) -> bool:
    deadline = time.monotonic() + 10
    while _workers_of(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _workers_of(marker) == []


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL])
def test_stopping_the_parent_stops_every_worker(eight_commits, tmp_path, stop):
    db = tmp_path / f"stop-{stop.name}.sqlite"  # in every worker's command line, to find them
    env = {**os.environ, "MLAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "mlaudit", "history", str(eight_commits), "--db", str(db),
                             "--jobs", "2"], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert "scanned" in proc.stderr.readline()
    proc.send_signal(stop)
    code = proc.wait(timeout=60)
    assert code == (130 if stop is signal.SIGINT else -signal.SIGKILL)
    assert _all_gone(str(db))
    done = subprocess.run([sys.executable, "-m", "mlaudit", "history", str(eight_commits), "--db", str(db)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("stored already") >= 1 and len(stored(db)) == 8


def test_a_worker_that_dies_ends_the_run_with_a_message(eight_commits, tmp_path):
    db = tmp_path / "worker-dies.sqlite"
    env = {**os.environ, "MLAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "mlaudit", "history", str(eight_commits), "--db", str(db),
                             "--jobs", "2"], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert "scanned" in proc.stderr.readline()
    workers = [int(pid) for pid in _workers_of(str(db)) if int(pid) != proc.pid]
    assert workers
    os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer would
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 2 and "worker process died" in rest
    assert _all_gone(str(db))
    done = subprocess.run([sys.executable, "-m", "mlaudit", "history", str(eight_commits), "--db", str(db)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and len(stored(db)) == 8
