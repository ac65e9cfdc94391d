"""The HTML report at scale: size and render time for N findings, next to the JSON output as a
baseline measured in the same run, and load and filter time in Chromium next to the same page
without its script.

    python benchmarks/report_bench.py [--findings 1000] [--repeat 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mlaudit.checks.schema import EvidenceClass, Severity, Status
from mlaudit.renderers.html_report import render_html
from mlaudit.renderers.json_report import render_json
from mlaudit.result import (CheckResult, FindingEvidence, RubricScore, ScanResult, SectionScore, SourceLink, Target,
                            Tool)

STATUSES = [Status.fail, Status.partial, Status.passed, Status.not_observable, Status.not_applicable]
PROSE = ("Training twice on the same data should give the same model. Without that, a change in quality cannot be "
         "told apart from noise, and every comparison between runs is in doubt. ")


def synthetic_result(n_findings: int, n_checks: int = 78, seed: int = 0) -> ScanResult:
    """A deterministic scan result shaped like mlaudit's own rubrics: an ML Test Score rubric of 28
    checks in 4 sections of 7, the rest spread over four percentage rubrics, and `n_findings`
    evidence items spread over the checks at random."""
    rnd = random.Random(seed)
    per_check = [0] * n_checks
    for _ in range(n_findings):
        per_check[rnd.randrange(n_checks)] += 1
    counter = iter(per_check)
    results, rubrics = [], []
    plan = [("ml-test-score", "ml-test-score", 28)] + [
        (f"rubric-{i}", "percentage", (n_checks - 28) // 4 + (1 if i < (n_checks - 28) % 4 else 0)) for i in range(4)]
    for rid, scoring, count in plan:
        sections = ["data", "model", "infra", "monitor"] if scoring == "ml-test-score" else ["a", "b", "c"]
        for k in range(count):
            section = sections[k // 7] if scoring == "ml-test-score" else rnd.choice(sections)
            status = rnd.choice(STATUSES)
            evidence = []
            for j in range(next(counter)):
                nb = rnd.random() < 0.2
                path = f"src/pkg_{rnd.randint(0, 40)}/module_{rnd.randint(0, 200)}.{'ipynb' if nb else 'py'}"
                evidence.append(FindingEvidence(
                    path=path, line=rnd.randint(1, 900), cell=rnd.randint(0, 40) if nb else None,
                    message=f"train_test_split(...) splits at random without a fixed seed ({j})",
                    probe="splits.unseeded",
                    excerpt=("X_train, X_test, y_train, y_test = train_test_split(features, labels, test_size=0.2)"
                             + " " * rnd.randint(0, 60))[:160]))
            points = {Status.passed: 1.0, Status.partial: 0.5}.get(status, 0.0)
            results.append(CheckResult(
                check=f"{rid}/check-{k}", rubric=rid, section=section, status=status, points=points, max_points=1.0,
                title=f"Check number {k} of {rid} holds.", severity=rnd.choice(list(Severity)),
                evidence_class=EvidenceClass.automated if status is Status.passed else EvidenceClass.absent,
                message="Data is split at random without a fixed seed, so two runs see different test sets.",
                evidence=evidence, rationale=PROSE * 3, remediation=PROSE * 2,
                sources=[SourceLink(title="The ML Test Score", url="https://research.google/pubs/pub46555/",
                                    section="IV. Infra 1")],
                probes={"splits.unseeded": "true", "seeds.set": "false"}))
        mine = [r for r in results if r.rubric == rid]
        secs = [SectionScore(id=s, title=f"Section {s}", score=sum(r.points for r in mine if r.section == s),
                             max=sum(1.0 for r in mine if r.section == s)) for s in sections]
        final = min(s.score for s in secs) if scoring == "ml-test-score" else 50.0
        rubrics.append(RubricScore(id=rid, title=f"Rubric {rid}", version="1", scoring=scoring, score=final,
                                   max_score=7.0 if scoring == "ml-test-score" else 100.0, sections=secs,
                                   minimum_sections=[s.id for s in secs if s.score == final]
                                   if scoring == "ml-test-score" else []))
    return ScanResult(tool=Tool(version="bench"), target=Target(path="/tmp/bench", name="bench", commit="a" * 40),
                      generated_at="2026-11-23T00:00:00+00:00", rubrics=rubrics, results=results)


def _median(f, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def browser_times(html: str, repeat: int) -> dict[str, float] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None
    folder = Path(tempfile.mkdtemp(prefix="mlaudit-report-bench-"))
    page_file, bare_file = folder / "report.html", folder / "bare.html"
    page_file.write_text(html, encoding="utf-8")
    start, end = html.index("<script>"), html.index("</script>") + len("</script>")
    bare_file.write_text(html[:start] + html[end:], encoding="utf-8")
    out: dict[str, list[float]] = {"load": [], "load without script": [], "filter": [], "search": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        for _ in range(repeat):
            for key, f in (("load", page_file), ("load without script", bare_file)):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                start = time.perf_counter()
                page.goto(f.as_uri())
                page.wait_for_load_state("load")
                out[key].append(time.perf_counter() - start)
                if key == "load":
                    shown = page.locator(".shown")
                    before = shown.inner_text()
                    start = time.perf_counter()
                    page.uncheck("input[name=status][value=pass]")
                    page.wait_for_function("b => document.querySelector('.shown').textContent !== b", arg=before)
                    out["filter"].append(time.perf_counter() - start)
                    before = shown.inner_text()
                    start = time.perf_counter()
                    page.fill("input[name=q]", "module_17")
                    page.wait_for_function("b => document.querySelector('.shown').textContent !== b", arg=before)
                    out["search"].append(time.perf_counter() - start)
                page.close()
        browser.close()
    return {k: statistics.median(v) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=1000, help="evidence items in all (default 1000)")
    parser.add_argument("--checks", type=int, default=78, help="checks they are spread over (default 78, as built in)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    result = synthetic_result(args.findings, args.checks)
    evidence = sum(len(r.evidence) for r in result.results)
    t_json, js = _median(lambda: render_json(result), args.repeat)
    t_html, html = _median(lambda: render_html(result, Path("/tmp/report.html")), args.repeat)
    print(f"{len(result.results)} checks, {evidence} evidence items")
    print(f"  JSON (baseline)  {len(js.encode()) / 1e6:6.2f} MB  {t_json:6.3f} s")
    print(f"  HTML             {len(html.encode()) / 1e6:6.2f} MB  {t_html:6.3f} s   "
          f"ratio size {len(html.encode()) / len(js.encode()):.2f}x, time {t_html / t_json:.2f}x")
    if not args.no_browser:
        b = browser_times(html, args.repeat)
        if b is None:
            print("  browser: skipped (no playwright or /usr/bin/chromium)", file=sys.stderr)
        else:
            print(f"  Chromium load {b['load']:.3f} s (without script {b['load without script']:.3f} s, "
                  f"ratio {b['load'] / b['load without script']:.2f}x); filter {b['filter'] * 1000:.0f} ms; "
                  f"search {b['search'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
