"""Scan a repository cold and warm, next to a baseline measured in the same run.

The baseline is one plain `ast.parse` pass over the same .py files (read + parse, nothing
kept): the least any static Python analysis must pay. A cold scan should cost a small multiple
of it; a warm scan (facts from the cache) should cost less than it.

    python benchmarks/scan_bench.py PATH [--repeat 3]
"""

from __future__ import annotations

import argparse
import ast
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from mlaudit.repository import open_repository
from mlaudit.scan import ScanOptions, run_scan


def baseline(path: Path) -> tuple[float, int]:
    repo = open_repository(path)
    files = [f for f in repo.files if f.suffix == ".py" and not f.is_symlink]
    start = time.perf_counter()
    for f in files:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse((repo.root / f.path).read_bytes())
        except (SyntaxError, ValueError):
            pass
    return time.perf_counter() - start, len(files)


def timed_scan(path: Path, cache: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    result = run_scan(path, ScanOptions(cache_dir=cache))
    return time.perf_counter() - start, result.stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is reported")
    args = parser.parse_args()

    base_times, cold_times, warm_times = [], [], []
    for _ in range(args.repeat):
        t, n_py = baseline(args.path)
        base_times.append(t)
        cache = Path(tempfile.mkdtemp(prefix="mlaudit-bench-"))
        try:
            t, cold_stats = timed_scan(args.path, cache)
            cold_times.append(t)
            t, warm_stats = timed_scan(args.path, cache)
            warm_times.append(t)
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    base, cold, warm = (statistics.median(x) for x in (base_times, cold_times, warm_times))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"repository : {args.path} ({cold_stats['files']} files, {n_py} .py, "
          f"{cold_stats['code_files']} Python files + notebooks)")
    print(f"python     : {sys.version.split()[0]} on {os.cpu_count()} cores; median of {args.repeat} runs")
    print(f"baseline   : {base:7.3f} s  (ast.parse of every .py file, same run)")
    print(f"cold scan  : {cold:7.3f} s  = {cold / base:5.2f} x baseline  (parsed {cold_stats['parsed']}, "
          f"cache hits {cold_stats['cache_hits']})")
    print(f"warm scan  : {warm:7.3f} s  = {warm / base:5.2f} x baseline  (parsed {warm_stats['parsed']}, "
          f"cache hits {warm_stats['cache_hits']})")
    print(f"peak RSS   : {rss_mb:7.1f} MB (whole benchmark process)")


if __name__ == "__main__":
    main()
