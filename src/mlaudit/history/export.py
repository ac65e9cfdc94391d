"""The stored series for teams that chart it elsewhere: CSV (one row per commit and rubric) or JSON."""

from __future__ import annotations

import csv
import io
import json

from mlaudit.result import TrendPoint


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: commit subjects are the repository's text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_series(points: list[TrendPoint], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([p.model_dump(exclude={"statuses"}) for p in points], indent=2) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    sections = sorted({(r, s) for p in points for r, secs in p.sections.items() for s in secs})
    writer.writerow(["commit", "date", "subject", "rubric", "score"] + [f"section:{s}" for _, s in sections
                                                                       if _ == "ml-test-score"])
    for p in points:
        for rubric, score in sorted(p.scores.items()):
            row = [p.commit, p.date, _cell(p.subject), rubric, "" if score is None else f"{score:g}"]
            if rubric == "ml-test-score":
                secs = p.sections.get(rubric, {})
                row += ["" if secs.get(s) is None else f"{secs[s]:g}" for r, s in sections if r == rubric]
            writer.writerow(row)
    return out.getvalue()
