"""Run every probe over several checked-out repositories and print a table of what each said.

The table is the starting point of a precision review: open the evidence (`--evidence`) and
judge each finding by hand in the source.

    python scripts/probe_survey.py /path/to/repo1 /path/to/repo2 [--evidence PROBE]
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from mlaudit.probes.registry import all_probes
from mlaudit.scan import ScanOptions, run_probes


def head(path: Path) -> str:
    out = subprocess.run(["git", "-C", str(path), "rev-parse", "--short=10", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--evidence", action="append", default=[], help="print this probe's evidence")
    args = parser.parse_args()
    probes = sorted(all_probes())
    rows = []
    for repo in args.repos:
        session, results = run_probes(repo, ScanOptions())
        rows.append((repo, results))
        for pid in args.evidence:
            for e in results[pid].evidence:
                where = f"{e.path}:{e.line}" if e.cell is None else f"{e.path} cell {e.cell}:{e.line}"
                print(f"{repo.name}\t{pid}\t{where}\t{e.detail}")
        print(f"# {repo.name} @ {head(repo)}: {len(session.warnings())} warnings")
    print("| probe | " + " | ".join(r.name for r, _ in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for pid in probes:
        cells = [f"{res[pid].outcome.value} ({len(res[pid].evidence)})" for _, res in rows]
        print(f"| {pid} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
