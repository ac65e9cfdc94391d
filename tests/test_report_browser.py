"""The HTML report in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, git, make_repo, notebook

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


# WCAG 2 contrast of every visible text against the background it sits on (4.5:1, 3:1 for large
# text); striped cells are judged against their darker stripe, faded elements by their opacity.
CONTRAST_JS = r"""() => {
  function parse(c) { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; }
  function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); }
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage !== "none") return {r: 0xea, g: 0xee, b: 0xf2, a: 1};  // the striped cells' darker stripe
      const c = parse(s.backgroundColor); if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  }
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const t = walker.currentNode; if (!t.textContent.trim()) continue;
    const el = t.parentElement; if (seen.has(el)) continue; seen.add(el);
    if (!el.getClientRects().length || el.closest("svg")) continue;
    const s = getComputedStyle(el); if (s.visibility === "hidden" || parseFloat(s.opacity) === 0) continue;
    const fg = parse(s.color), bg = background(el);
    let op = 1; for (let e = el; e; e = e.parentElement) op *= parseFloat(getComputedStyle(e).opacity);
    const mix = {r: fg.r * op + bg.r * (1 - op), g: fg.g * op + bg.g * (1 - op), b: fg.b * op + bg.b * (1 - op)};
    const [hi, lo] = [lum(mix), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) bad.push(`${el.tagName}.${el.className} "${t.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)} < ${need}`);
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test installs it)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


def open_report(browser, report: Path, width: int = 1280, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests


def scan_to_html(cli, repo: Path, out: Path) -> Path:
    code, _, err = cli("scan", str(repo), "-o", str(out), "-q")
    assert code == 0, err
    return out


def test_example_report_is_usable(browser, cli, tmp_path):
    repo = tmp_path / "churn-model"
    shutil.copytree(EXAMPLE, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "example")
    report = scan_to_html(cli, repo, tmp_path / "report.html")
    page, errors, requests = open_report(browser, report)

    card = page.locator(".card", has_text="The ML Test Score")
    assert card.is_visible() and "More of a research project" in card.inner_text()
    assert page.locator("table.grid td.cell:not(.empty)").count() == 28
    infra1 = page.locator("#ml-test-score--infra-1")
    split_line = next(n for n, text in enumerate((repo / "churn/train.py").read_text().splitlines(), 1)
                      if "train_test_split(" in text)
    assert infra1.is_visible() and f"churn/train.py:{split_line}" in infra1.inner_text()

    shown = page.locator("details.finding:visible")
    before = shown.count()
    page.uncheck("input[name=status][value=fail]")
    assert shown.count() < before and page.locator("#ml-test-score--infra-1").is_hidden()
    page.check("input[name=status][value=fail]")
    page.fill("input[name=q]", "notebook")
    assert 0 < shown.count() < before
    page.fill("input[name=q]", "")

    # severity and rubric filters, and sections a filter emptied are hidden with their headings
    page.uncheck("input[name=severity][value=high]")
    assert page.locator("#ml-test-score--infra-1").is_hidden()
    page.check("input[name=severity][value=high]")
    page.select_option("select[name=rubric]", "notebooks")
    assert page.locator("#rubric-ml-test-score").is_hidden() and page.locator("#rubric-notebooks").is_visible()
    assert all(el.get_attribute("data-rubric") == "notebooks" for el in shown.all())
    page.select_option("select[name=rubric]", "")
    page.fill("input[name=q]", "train_test_split(")  # excerpts are searchable too
    sections = page.locator("#rubric-ml-test-score section.section:visible h3")
    assert sections.all_inner_texts() == ["Tests for ML Infrastructure"]
    page.click("button[type=reset]")
    assert shown.count() == before and page.locator(".shown").inner_text() == f"{before} of {before} checks shown"

    # the filters work from the keyboard alone
    page.focus("input[name=status][value=fail]")
    page.keyboard.press("Space")
    assert shown.count() < before
    page.keyboard.press("Space")
    assert shown.count() == before

    # a deep link opens its check, even one the filters had hidden
    page.uncheck("input[name=status][value=pass]")
    page.goto(report.as_uri() + "#ml-test-score--data-7")
    data7 = page.locator("#ml-test-score--data-7")
    assert data7.is_visible() and data7.evaluate("el => el.open")
    assert page.evaluate("document.activeElement.parentElement.id") == "ml-test-score--data-7"

    assert page.evaluate(CONTRAST_JS) == []
    excerpt = infra1.locator("code.excerpt").first
    page.goto(report.as_uri() + "#ml-test-score--infra-1")
    assert "train_test_split(" in excerpt.inner_text()

    # printed, every check is open: a retrospective reads the page on paper
    page.emulate_media(media="print")
    closed = page.locator("#ml-test-score--data-1")
    closed.evaluate("el => el.open = false")
    assert closed.locator(".body").is_visible() and page.locator("#filters").is_hidden()
    page.emulate_media(media="screen")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "example-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "example-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []


def test_hostile_repository_cannot_run_code_in_the_report(browser, cli, tmp_path):
    evil = "<img src=x onerror=alert(1)>"
    repo = make_repo(tmp_path / "evil", {
        f"{evil}.py": "from sklearn.model_selection import train_test_split\n"
                      "a = train_test_split(X)  # <script>alert(2)</script>\n",
        "javascript:alert(3).ipynb": notebook([("code", "print('<script>alert(4)</script>')", 2), ("code", "x" * 5000, 1)],
                            outputs={0: [{"output_type": "stream", "name": "stdout",
                                          "text": "<script>alert(5)</script>"}]}),
    })
    report = scan_to_html(cli, repo, tmp_path / "report.html")
    html = report.read_text()
    assert "<img src=x" not in html and "<script>alert" not in html
    page, errors, requests = open_report(browser, report)
    page.locator("details.finding").evaluate_all("els => els.forEach(e => e.open = true)")
    assert page.locator("img").count() == 0
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
    href = page.locator("a", has_text="javascript:alert(3).ipynb").first.get_attribute("href")
    assert href.startswith("./") and "javascript:" not in href
    # the code itself is shown as text, cut short, inside the page's width
    excerpt = page.locator("#ml-test-score--infra-1 code.excerpt").first
    assert excerpt.inner_text() == "a = train_test_split(X)  # <script>alert(2)</script>"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(ARTIFACTS / "hostile-phone.png"), full_page=True)
    assert errors == []


def test_attested_badge_and_suppressed_group_render(browser, cli, tmp_path):
    from test_html_report import team_repo

    report = scan_to_html(cli, team_repo(tmp_path / "team"), tmp_path / "report.html")
    page, errors, requests = open_report(browser, report)

    attested = page.locator("#team--staleness")
    badge = attested.locator("summary .badge.attested")
    assert badge.is_visible() and badge.inner_text() == "attested"
    attested.locator("summary").click()
    block = attested.locator(".attestation")
    assert block.is_visible() and "stated by Ana Lima" in block.inner_text()
    link = block.locator("a", has_text="grafana.example.com")
    assert link.get_attribute("href") == "https://grafana.example.com/d/age?x=1&y=2"
    assert "attested" in page.locator("table.grid td a[title^='team/staleness']").inner_text()

    flagged = page.locator("#team--slices")  # open by default: its attestation does not count
    warning = flagged.locator(".warning")
    assert warning.is_visible() and "not in the repository" in warning.inner_text()
    assert page.locator("#review").is_visible()

    # one of the two findings is suppressed inline: in a closed group, with its reason
    group = page.locator("#team--splits details.suppressed-group")
    reason = group.locator(".why")
    assert group.is_visible() and reason.is_hidden()
    group.locator("summary").click()
    assert reason.is_visible() and "<b>toy</b> data" in reason.inner_text()  # shown as text, never as markup

    # a check ignored in the config sits in the collapsed "Suppressed" group; a link to it opens the way
    suppressed = page.locator("details.suppressed-checks")
    assert suppressed.is_visible() and not suppressed.evaluate("el => el.open")
    assert page.locator("#team--serving").is_hidden()
    page.goto(report.as_uri() + "#team--serving")
    serving = page.locator("#team--serving")
    assert serving.is_visible() and "serving belongs to the platform team" in serving.inner_text()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "team-config.png"), full_page=True)
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []


def test_trend_charts_render_from_earlier_commits(browser, tmp_path):
    from mlaudit.renderers.html_report import render_html
    from mlaudit.result import TrendPoint
    from mlaudit.scan import ScanOptions, run_scan

    repo = make_repo(tmp_path / "r", {"train.py": "from sklearn.model_selection import train_test_split\n"
                                                  "a = train_test_split(X)\n"})
    result = run_scan(repo, ScanOptions(use_cache=False))
    result.trend = [TrendPoint(commit=f"{i:040x}", date=f"2026-0{i + 1}-01T00:00:00+00:00", subject=f"week {i}",
                               scores={"ml-test-score": [0, 0.5, 1.5, 1.0][i], "notebooks": [None, 40.0, 60.0, 75.0][i]},
                               sections={"ml-test-score": {"data": [0, 1, 2, 2][i], "model": [0, 0.5, 1.5, 1][i],
                                                           "infra": [1, 1, 2, 2][i], "monitor": [0, 1, 2, 3][i]}},
                               changed=["ml-test-score/model-1"] if i else [])
                    for i in range(4)]
    report = tmp_path / "report.html"
    report.write_text(render_html(result, report), encoding="utf-8")
    page, errors, requests = open_report(browser, report)

    chart = page.locator("#trend-ml-test-score")
    assert chart.is_visible() and chart.locator("svg").bounding_box()["width"] > 300
    assert chart.locator(".series-score circle").count() == 5  # four earlier commits and this scan
    labels = chart.locator("text.label").all_text_contents()
    assert labels[-1] == "Score" and len(labels) == 5
    boxes = [chart.locator("text.label").nth(i).bounding_box() for i in range(5)]
    svg_box = chart.locator("svg").bounding_box()
    assert all(svg_box["y"] <= b["y"] and b["y"] + b["height"] <= svg_box["y"] + svg_box["height"] + 1 for b in boxes)
    assert all(a["y"] + a["height"] <= b["y"] + 1 or b["y"] + b["height"] <= a["y"] + 1
               for i, a in enumerate(boxes) for b in boxes[i + 1:])  # labels of equal scores do not overlap
    notebooks = page.locator("#trend-notebooks .series-score path").get_attribute("d")
    assert notebooks.startswith("M") and notebooks.count("M") == 1  # the unscored first commit is a gap
    rows = chart.locator("table.changes tbody tr")
    assert rows.count() == 4 and "this scan" in rows.first.inner_text()
    page.locator("nav a", has_text="Trend").click()
    assert page.evaluate("location.hash") == "#trends"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "trend-desktop.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    chart.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "trend-phone.png"), full_page=False)
    assert page.evaluate(CONTRAST_JS) == []
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []


def test_compare_page_leads_with_what_changed(browser, cli, tmp_path):
    """`mlaudit compare -o page.html`: the later commit's report with the retrospective on top, made
    from a history database, so its trend charts are real stored scans."""
    import os
    import subprocess

    repo = make_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=False)
    for i, seed in enumerate(["", ", random_state=0", ""]):
        (repo / "train.py").write_text("from sklearn.model_selection import train_test_split\n\n\n"
                                       f"def split(X, y):\n    return train_test_split(X, y{seed})\n")
        git(repo, "add", "-A")
        when = f"2026-0{i + 1}-05T10:00:00"
        subprocess.run(["git", "commit", "-qm", f"<b>step {i}</b>"], cwd=repo, check=True,
                       env={**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})
    assert cli("history", str(repo), "-q")[0] == 0
    report = tmp_path / "retro.html"
    code, _, err = cli("compare", "-C", str(repo), "HEAD~1", "-o", str(report))
    assert code == 0, err
    page, errors, requests = open_report(browser, report)

    since = page.locator("#since")
    assert since.is_visible() and since.bounding_box()["y"] < page.locator("section.cards").bounding_box()["y"]
    assert "<b>step 1</b>" in since.inner_text()  # the subject shown as text, not markup
    worse = since.locator("table.changes td.down", has_text="worse")
    assert worse.count() >= 1
    assert "ml-pitfalls/split-seeds" in since.locator("h3:has-text('New findings') + ul").inner_text()
    since.locator("a", has_text="ml-pitfalls/split-seeds").first.click()
    assert page.evaluate("location.hash") == "#ml-pitfalls--split-seeds"
    assert page.locator("#trend-ml-pitfalls .series-score circle").count() == 3  # the stored commits
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "compare-desktop.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(ARTIFACTS / "compare-phone.png"), full_page=False)
    assert page.evaluate(CONTRAST_JS) == []
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
