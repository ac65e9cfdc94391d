"""On-disk fact cache keyed by content id.

One SQLite file in a versioned folder (with CACHEDIR.TAG so backup tools skip it). The key is
the git blob id plus the extractor kind; the folder name carries mlaudit's version and a hash of
the extractor's source, so neither an upgrade nor a local change ever reads stale facts. SQLite gives us safe concurrent use by
several scans (e.g. a history walk and a local scan) without lock files of our own.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import zlib
from pathlib import Path

from mlaudit import __version__
from mlaudit.facts.model import FACTS_SCHEMA, FileFacts, decode, encode

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by mlaudit.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def extractor_fingerprint() -> str:
    """A hash of the fact extractor's own source, so changing how facts are taken can never
    serve facts taken the old way (mlaudit's version alone misses unreleased changes)."""
    digest = hashlib.sha1(str(FACTS_SCHEMA).encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:12]


def default_cache_dir() -> Path:
    env = os.environ.get("MLAUDIT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mlaudit"


class FactCache:
    def __init__(self, directory: Path | None):
        self._db: sqlite3.Connection | None = None
        if directory is None:
            return
        folder = Path(directory) / f"v{__version__}-{extractor_fingerprint()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tag = Path(directory) / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(CACHEDIR_TAG)
            self._db = sqlite3.connect(folder / "facts.sqlite", timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
        except (OSError, sqlite3.Error):
            self._db = None  # a read-only home or a full disk costs speed, never the scan

    def get(self, key: str) -> FileFacts | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT data FROM facts WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            return decode(zlib.decompress(row[0]))
        except Exception:
            return None  # a corrupt row is re-extracted and overwritten

    def put_many(self, rows: list[tuple[str, FileFacts]]) -> None:
        if self._db is None or not rows:
            return
        payload = [(k, zlib.compress(encode(f), 1)) for k, f in rows]
        try:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO facts (key, data) VALUES (?, ?)", payload)
            self._db.execute("COMMIT")
        except sqlite3.Error:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
