"""What a history walk costs: N sampled commits scanned from git objects, against one cold scan of
the newest commit measured in the same run (same fresh fact cache conditions).

Unchanged files keep their blob id from commit to commit, and facts are cached by blob id, so the
walk should cost a small multiple of one cold scan, not N times it.

    python benchmarks/history_bench.py PATH [--commits 50] [--since 2025-07-20]

How far apart the sampled commits are decides how many distinct files there are to parse: the
script prints that count too (code blobs over all sampled commits against code files in one), the
floor no cache can go under.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
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
    parser.add_argument("--since", help="sample from this date on (git's --since); default: all history")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes, as `mlaudit history --jobs`")
    args = parser.parse_args()
    rubrics = load_rubrics([])
    tmp = Path(tempfile.mkdtemp(prefix="mlaudit-history-bench-"))
    try:
        start = time.perf_counter()
        result = run_scan(args.path, ScanOptions(cache_dir=tmp / "cold"), rubrics)
        cold = time.perf_counter() - start

        commits = thin(first_parent_line(args.path, "HEAD", args.since, None), count=args.commits)
        store = HistoryStore(tmp / "history.sqlite")
        start = time.perf_counter()
        walk(args.path, commits, store, ScanOptions(cache_dir=tmp / "walk"), rubrics, jobs=args.jobs)
        took = time.perf_counter() - start
        start = time.perf_counter()
        walk(args.path, commits, store, ScanOptions(cache_dir=tmp / "walk"), rubrics)
        again = time.perf_counter() - start
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    distinct, newest = _code_blobs(args.path, commits)
    print(f"{args.path}: {result.stats['files']} files; {len(commits)} commits sampled"
          f"{' since ' + args.since if args.since else ''}")
    print(f"  code blobs to parse: {distinct} distinct over the sampled commits, {newest} in the newest "
          f"({distinct / max(newest, 1):.1f}x)")
    print(f"  one cold scan (baseline)   {cold:7.2f} s")
    print(f"  {len(commits)} commits, cold cache, {args.jobs} job(s) {took:7.2f} s   {took / cold:5.1f}x one cold scan "
          f"({took / len(commits):.2f} s per commit)")
    print(f"  the same again (all stored) {again:6.2f} s")


def _code_blobs(path: Path, commits) -> tuple[int, int]:
    seen: set[str] = set()
    newest: set[str] = set()
    for c in commits:
        out = subprocess.run(["git", "-C", str(path), "ls-tree", "-r", "-z", c.commit], capture_output=True).stdout
        newest = {e.split(b"\t")[0].split()[2] for e in out.split(b"\0")
                  if e.endswith((b".py", b".ipynb")) and b"\t" in e}
        seen |= newest
    return len(seen), len(newest)


if __name__ == "__main__":
    main()
