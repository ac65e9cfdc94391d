"""Where past scans are kept: one SQLite file, one row per (commit, scan key).

The scan key (kept in the `ruleset` column) stands for all a scan depends on besides the commit
(see scan_key): a scan is redone when mlaudit, a rubric, the scanned folder or the config
changes. Each commit is written in its own transaction, so an interrupted walk keeps every commit
it finished; SQLite's locking (WAL, a busy timeout) lets two runs share the file. The schema has a version and a list of migrations, applied in order.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from mlaudit.errors import MlauditError
from mlaudit.result import ScanResult

SCHEMA_VERSION = 1
# Each migration takes the database from version i to i + 1.
MIGRATIONS = [
    """
    CREATE TABLE scans (
        commit_id TEXT NOT NULL,
        ruleset TEXT NOT NULL,
        committed_at INTEGER NOT NULL,
        subject TEXT NOT NULL,
        scanned_at TEXT NOT NULL,
        result BLOB NOT NULL,
        PRIMARY KEY (commit_id, ruleset)
    );
    """,
]
DEFAULT_DB = Path(".mlaudit") / "history.sqlite"
BUSY_TIMEOUT = 30.0  # seconds a run waits for another one's transaction on the same database


def scan_key(path: Path, options, rubrics) -> str:
    """Everything a stored scan depends on besides its commit, as a short key: mlaudit's version,
    the scanned folder within the repository, each rubric's whole content, the file size limit,
    and the config (`--config`'s content, or each commit's own). A scan is redone when any changes."""
    from mlaudit import __version__
    from mlaudit.repository.gitinfo import read_git_info

    info = read_git_info(path, files=False)
    config = options.config.config.model_dump_json() if options.config_explicit and options.config else "each commit's"
    parts = [f"mlaudit {__version__}", f"folder {info.prefix if info else ''}", f"max_file_size {options.max_file_size}",
             f"config {config}", *sorted(lr.rubric.model_dump_json() for lr in rubrics)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Stored:
    commit: str
    committed_at: int
    subject: str


class HistoryStore:
    def __init__(self, path: Path):
        self.path = path
        if not path.parent.exists():
            try:
                path.parent.mkdir(parents=True)
            except FileExistsError:
                pass  # a second run started at the same moment made it (and its .gitignore)
            else:
                if path.parent.name == ".mlaudit":  # mlaudit's own folder: keep it out of the team's `git status`
                    (path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        try:
            self._db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)
            self._wal()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise MlauditError(f"{path}: not a usable mlaudit history database ({exc}); move it away to start "
                               "a new one") from None

    def _wal(self) -> None:
        # Switching a new database to WAL takes an exclusive lock, and SQLite answers "database is
        # locked" at once there instead of calling the busy handler: two runs started together on a
        # new file would have one fail. Retried here for as long as the busy timeout would wait.
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise MlauditError(f"{self.path}: written by a newer mlaudit (schema {version}, this one reads up to "
                               f"{SCHEMA_VERSION}); upgrade mlaudit or use another --db")
        for target in range(version, SCHEMA_VERSION):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                # Another run may have migrated while this one waited for the lock.
                if self._db.execute("PRAGMA user_version").fetchone()[0] == target:
                    self._db.execute(MIGRATIONS[target])
                    self._db.execute(f"PRAGMA user_version = {target + 1}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def has(self, commit: str, ruleset: str) -> bool:
        row = self._db.execute("SELECT 1 FROM scans WHERE commit_id = ? AND ruleset = ?", (commit, ruleset))
        return row.fetchone() is not None

    def save(self, commit: str, ruleset: str, committed_at: int, subject: str, result: ScanResult) -> None:
        # The probes' raw values are large and only explain one scan: the stored result keeps the rest.
        data = zlib.compress(result.model_copy(update={"probes": {}}).model_dump_json().encode(), 6)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute("INSERT OR REPLACE INTO scans VALUES (?, ?, ?, ?, ?, ?)",
                             (commit, ruleset, committed_at, subject, result.generated_at, data))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def load(self, commit: str, ruleset: str) -> ScanResult | None:
        row = self._db.execute("SELECT result FROM scans WHERE commit_id = ? AND ruleset = ?", (commit, ruleset))
        found = row.fetchone()
        return ScanResult.model_validate_json(zlib.decompress(found[0])) if found else None

    def stored(self, ruleset: str) -> list[Stored]:
        rows = self._db.execute("SELECT commit_id, committed_at, subject FROM scans WHERE ruleset = ? "
                                "ORDER BY committed_at", (ruleset,))
        return [Stored(*r) for r in rows]

    def close(self) -> None:
        self._db.close()
