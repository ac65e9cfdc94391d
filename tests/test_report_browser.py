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

    page.goto(report.as_uri() + "#ml-test-score--data-7")
    assert page.locator("#ml-test-score--data-7").evaluate("el => el.open")

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
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


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
