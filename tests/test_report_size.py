"""The HTML report stays small for large scans: sizes only (timings live in benchmarks/report_bench.py)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from conftest import ROOT

from mlaudit.renderers.html_report import render_html


def _bench():
    spec = importlib.util.spec_from_file_location("report_bench", ROOT / "benchmarks" / "report_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_thousand_findings_make_a_report_well_under_two_megabytes(tmp_path):
    result = _bench().synthetic_result(1000)
    html = render_html(result, tmp_path / "report.html")
    assert len(html.encode()) < 2_000_000
    assert len(re.findall(r'<details class="finding ', html)) == len(result.results) == 78
    assert len(re.findall(r'<td class="cell ', html)) == 28


def test_evidence_lists_are_capped_so_ten_thousand_findings_still_fit(tmp_path):
    result = _bench().synthetic_result(10_000)
    html = render_html(result, tmp_path / "report.html")
    assert len(html.encode()) < 2_000_000
    biggest = max(result.results, key=lambda r: len(r.evidence))
    start = html.index(f'id="{biggest.check.replace("/", "--")}"')
    block = html[html.index('<ul class="evidence">', start):]
    block = block[:block.index("</ul>")]
    assert block.count("<li>") == 51 and f"and {len(biggest.evidence) - 50} more" in block
