"""What `--baseline-ref` costs: a scan with a baseline revision next to the same scan without, in one run.

The baseline revision is checked out into a temporary shared clone and scanned with the same
fact cache, so files unchanged since that revision are not parsed again. Reported: the plain
scan (warm cache), the scan with `--baseline-ref REF` (warm cache), and their ratio; and the
same with a cold cache, where both revisions' files are parsed.

    python benchmarks/baseline_bench.py PATH [--ref HEAD~20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from mlaudit.checks.loader import load_rubrics
from mlaudit.compare.gates import Gates
from mlaudit.compare.judge import baseline_from, judge
from mlaudit.scan import ScanOptions, run_scan


def timed(path: Path, cache: Path, ref: str | None) -> tuple[float, str]:
    options = ScanOptions(cache_dir=cache)
    rubrics = load_rubrics([])
    start = time.perf_counter()
    result = run_scan(path, options, rubrics)
    baseline = baseline_from(path, baseline_file=None, baseline_ref=ref, options=options, rubrics=rubrics)
    verdict = judge(result, Gates(), baseline)
    took = time.perf_counter() - start
    d = verdict.delta
    return took, (f"{len(d.new)} new, {len(d.fixed)} fixed, {len(d.unchanged)} unchanged" if d else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--ref", default="HEAD~20", help="the baseline revision (default HEAD~20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is reported")
    args = parser.parse_args()

    rows: dict[str, list[float]] = {"cold plain": [], "cold with baseline": [], "warm plain": [], "warm with baseline": []}
    summary = ""
    for _ in range(args.repeat):
        for label, ref in (("plain", None), ("with baseline", args.ref)):
            cache = Path(tempfile.mkdtemp(prefix="mlaudit-bench-"))
            try:
                rows[f"cold {label}"].append(timed(args.path, cache, ref)[0])
                t, text = timed(args.path, cache, ref)
                rows[f"warm {label}"].append(t)
                summary = text or summary
            finally:
                shutil.rmtree(cache, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"{args.path} against {args.ref}: {summary}")
    for k, v in med.items():
        print(f"  {k:<20} {v:7.2f} s")
    print(f"  ratio cold: {med['cold with baseline'] / med['cold plain']:.2f}x   "
          f"ratio warm: {med['warm with baseline'] / med['warm plain']:.2f}x")


if __name__ == "__main__":
    main()
