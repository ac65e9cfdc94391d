"""What a history walk costs: N sampled commits scanned from git objects, against one cold scan of
the newest commit measured in the same run (same fresh fact cache conditions).

Unchanged files keep their blob id from commit to commit, and facts are cached by blob id, so the
walk should cost a small multiple of one cold scan, not N times it.

    python benchmarks/history_bench.py PATH [--commits 50]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from mlaudit.checks.loader import load_rubrics
from mlaudit.history.sample import first_parent_line, thin
from mlaudit.history.store import HistoryStore
from mlaudit.history.walk import walk
from mlaudit.scan import ScanOptions, run_scan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--commits", type=int, default=50)
    args = parser.parse_args()
    rubrics = load_rubrics([])
    tmp = Path(tempfile.mkdtemp(prefix="mlaudit-history-bench-"))
    try:
        start = time.perf_counter()
        result = run_scan(args.path, ScanOptions(cache_dir=tmp / "cold"), rubrics)
        cold = time.perf_counter() - start

        commits = thin(first_parent_line(args.path, "HEAD", None, None), count=args.commits)
        store = HistoryStore(tmp / "history.sqlite")
        start = time.perf_counter()
        walk(args.path, commits, store, ScanOptions(cache_dir=tmp / "walk"), rubrics)
        took = time.perf_counter() - start
        start = time.perf_counter()
        walk(args.path, commits, store, ScanOptions(cache_dir=tmp / "walk"), rubrics)
        again = time.perf_counter() - start
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.path}: {result.stats['files']} files; {len(commits)} commits sampled")
    print(f"  one cold scan (baseline)   {cold:7.2f} s")
    print(f"  {len(commits)} commits, cold cache {took:7.2f} s   {took / cold:5.1f}x one cold scan "
          f"({took / len(commits):.2f} s per commit)")
    print(f"  the same again (all stored) {again:6.2f} s")


if __name__ == "__main__":
    main()
