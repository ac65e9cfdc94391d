"""The HTML report as a document: self-contained, locked down by CSP, escaped."""

from __future__ import annotations

import html as html_lib
import re

from conftest import make_repo

from mlaudit.renderers.html_report import _inline_code, render_html
from mlaudit.renderers.links import Linker, forge_base
from mlaudit.scan import ScanOptions, run_scan


def test_report_is_self_contained_and_allows_only_its_own_script_and_style(tmp_path):
    repo = make_repo(tmp_path / "r", {"train.py": "import numpy as np\n"})
    html = render_html(run_scan(repo, ScanOptions(use_cache=False)), tmp_path / "report.html")
    csp = html_lib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?:', html)  # nothing fetched
    assert ' style="' not in html  # inline style attributes would need 'unsafe-inline'


def test_backticks_become_code_only_after_escaping():
    assert str(_inline_code("set `random_state` <b>`x`</b>")) == (
        "set <code>random_state</code> &lt;b&gt;<code>x</code>&lt;/b&gt;")


def test_links_go_to_the_forge_at_the_commit_or_stay_relative(tmp_path):
    assert forge_base("git@github.com:org/proj.git") == ("github.com", "https://github.com/org/proj")
    assert forge_base("https://gitlab.com/g/sub/proj") == ("gitlab.com", "https://gitlab.com/g/sub/proj")
    assert forge_base("https://example.com/x/y.git") is None
    gh = Linker("https://github.com/org/proj.git", "abc123", "sub/", str(tmp_path), tmp_path)
    assert gh.href("a b.py", 3) == "https://github.com/org/proj/blob/abc123/sub/a%20b.py#L3"
    bb = Linker("git@bitbucket.org:team/repo.git", "abc123", "", str(tmp_path), tmp_path)
    assert bb.href("x.py", 7) == "https://bitbucket.org/team/repo/src/abc123/x.py#lines-7"
    local = Linker(None, None, "", str(tmp_path / "repo"), tmp_path)
    assert local.href("javascript:alert(1).py") == "./repo/javascript%3Aalert%281%29.py"


def test_edited_and_untracked_files_link_locally_not_to_the_forge(tmp_path):
    import json as json_lib

    from conftest import git

    repo = make_repo(tmp_path / "r", {"a.ipynb": json_lib.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                                                  "nbformat_minor": 5}),
                                      "train.py": "from sklearn.model_selection import train_test_split\n"})
    git(repo, "remote", "add", "origin", "git@github.com:org/proj.git")
    (repo / "train.py").write_text("from sklearn.model_selection import train_test_split\ntrain_test_split(X)\n")
    (repo / "new.py").write_text("import numpy\n")
    result = run_scan(repo, ScanOptions(use_cache=False))
    assert result.target.changed == ["new.py", "train.py"]
    t = result.target
    linker = Linker(t.remote_url, t.commit, t.prefix, t.path, tmp_path, frozenset(t.changed))
    assert linker.href("train.py", 2) == "./r/train.py"  # the forge's copy at the commit has other lines
    assert linker.href("a.ipynb") == f"https://github.com/org/proj/blob/{t.commit}/a.ipynb"


def test_text_that_is_not_utf8_is_escaped_not_fatal(tmp_path):
    from mlaudit.probes.model import Evidence

    assert Evidence(path="a\udcff.py", detail="x\udcfe").path == "a\\udcff.py"


TEAM_RUBRIC = """\
id: team
title: Team checks
version: "1"
scoring: ml-test-score
description: Ours.
references:
  h: {title: Handbook, url: "https://example.com/h"}
sections:
  - {id: infra, title: Infrastructure}
checks:
  - id: splits
    section: infra
    title: Splits are seeded.
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [splits.unseeded]
    rules:
      - {when: {splits.unseeded: true}, status: fail, evidence_class: absent, message: Unseeded.}
      - {when: {splits.unseeded: false}, status: pass, evidence_class: automated, message: Seeded.}
    otherwise: {status: not_applicable, message: No splits.}
  - id: staleness
    section: infra
    title: Models are not too stale.
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    otherwise: {status: not_observable, message: Not visible.}
  - id: slices
    section: infra
    title: Slices.
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    otherwise: {status: not_observable, message: Not visible.}
  - id: serving
    section: infra
    title: Serving is monitored.
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    otherwise: {status: not_observable, message: Not visible.}
"""


def team_repo(root, *, by: str = "Ana Lima", evidence: str = "https://grafana.example.com/d/age?x=1&y=2"):
    """A repository whose config attests one check, flags another and suppresses findings."""
    import datetime as dt

    day = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    config = ("builtin_rubrics: false\nrubrics: [team.yaml]\n"
              "attest:\n"
              f"  - {{check: team/staleness, level: automated, evidence: '{evidence}', by: '{by}', date: {day}}}\n"
              f"  - {{check: team/slices, level: documented, evidence: docs/gone.md, by: Bo, date: {day}}}\n"
              "ignore:\n  - {check: team/serving, reason: serving belongs to the platform team}\n")
    code = ("from sklearn.model_selection import train_test_split\n"
            "a = train_test_split(X)  # mlaudit: ignore[splits.unseeded] <b>toy</b> data\n"
            "b = train_test_split(X)\n")
    return make_repo(root, {".mlaudit.yaml": config, "team.yaml": TEAM_RUBRIC, "train.py": code})


def test_attested_and_suppressed_items_are_shown_apart_and_escaped(tmp_path):
    from mlaudit.config import load_config

    repo = team_repo(tmp_path / "r", by="<img src=x onerror=alert(1)>")
    loaded = load_config(repo)
    result = run_scan(repo, ScanOptions(use_cache=False, rubric_paths=loaded.rubric_paths(), builtin_rubrics=False,
                                        config=loaded))
    html = render_html(result, tmp_path / "report.html")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>toy</b>" not in html and "&lt;b&gt;toy&lt;/b&gt; data" in html
    def finding(check_id: str) -> str:  # one check's markup, up to the next check
        start = html.index(f'id="{check_id}"')
        end = html.find('<details class="finding', start)
        return html[start:end if end != -1 else len(html)]

    stale = finding("team--staleness")
    assert '<span class="badge attested"' in stale
    attested_group = html[html.index('<h3 id="att-team">'):html.index('id="team--staleness"')]
    assert "Attested by the team (1)" in attested_group  # apart from what the scan observed
    assert 'href="https://grafana.example.com/d/age?x=1&amp;y=2"' in stale
    slices = finding("team--slices")
    assert "attestation not counted" in slices and "<code>docs/gone.md</code> is not in the repository" in slices
    splits = finding("team--splits")
    assert '<details class="suppressed-group">' in splits and "Suppressed findings (1)" in splits
    assert html.count('<span class="mark">attested</span>') == 1  # the grid tells attested from observed
    assert 'id="review"' in html and "Attestations that do not count (1)" in html
    group = html[html.index('<details class="suppressed-checks"'):]
    assert "Suppressed by the team (1)" in group and "serving belongs to the platform team" in group


def test_evidence_that_is_not_a_web_url_is_never_linked_as_given(tmp_path):
    from mlaudit.renderers.html_report import _Places

    places = _Places(Linker(None, None, "", str(tmp_path / "repo"), tmp_path))
    assert places.evidence("https://example.com/a") == "https://example.com/a"
    assert places.evidence('https://example.com/"onmouseover="x') is None
    assert places.evidence("javascript:alert(1)") is None and places.evidence("data:text/html,x") is None
    assert places.evidence("docs/run book.md#sec") == "./repo/docs/run%20book.md"


def test_evidence_shows_its_source_line_escaped_and_never_a_secret(tmp_path):
    from conftest import notebook

    token = "ghp_" + "Zq8XbT4mR2vN6kL1pW9sD3fH7jC5gA0eY2uQ"
    repo = make_repo(tmp_path / "r", {
        "train.py": "from sklearn.model_selection import train_test_split\n"
                    "a = train_test_split(X)  # <script>alert(1)</script>\n",
        "nb.ipynb": notebook([("markdown", "# data", None),
                              ("code", "import random\nfrom sklearn.model_selection import train_test_split\n"
                                       f"b = train_test_split(X, y); TOKEN = '{token}'", 1)]),
        "sep.py": "from sklearn.model_selection import train_test_split\n# a\u2028b\f\n"
                  "d = train_test_split(X)\n",
        "long.py": "from sklearn.model_selection import train_test_split\n"
                   "c = train_test_split(X, y, test_size=0.2, stratify=" + "y" * 400 + ")\n",
    })
    result = run_scan(repo, ScanOptions(use_cache=False))
    infra1 = next(r for r in result.results if r.check == "ml-test-score/infra-1")
    by_place = {(e.path, e.cell, e.line): e.excerpt for e in infra1.evidence}
    assert by_place[("train.py", None, 2)] == "a = train_test_split(X)  # <script>alert(1)</script>"
    assert by_place[("nb.ipynb", 1, 3)] is None  # the line holds a token: not copied into the report
    assert by_place[("sep.py", None, 3)] == "d = train_test_split(X)"  # only newlines end a line
    long_line = by_place[("long.py", None, 2)]
    assert len(long_line) == 160 and long_line.endswith("…")

    html = render_html(result, tmp_path / "report.html")
    assert "<script>alert(1)" not in html
    assert '<code class="excerpt">a = train_test_split(X)  # &lt;script&gt;alert(1)&lt;/script&gt;</code>' in html
    assert token not in html and token not in result.model_dump_json()


def test_trend_charts_show_each_rubric_over_earlier_commits(tmp_path):
    from mlaudit.result import TrendPoint

    repo = make_repo(tmp_path / "r", {"train.py": "from sklearn.model_selection import train_test_split\n"
                                                  "a = train_test_split(X)\n"})
    result = run_scan(repo, ScanOptions(use_cache=False))
    assert render_html(result, tmp_path / "report.html").count('class="chart"') == 0  # nothing to compare with

    mts = next(r for r in result.rubrics if r.id == "ml-test-score")
    result.trend = [
        TrendPoint(commit="a" * 40, date="2026-08-01T10:00:00+00:00", subject="<b>start</b>",
                   scores={"ml-test-score": 0.0}, sections={"ml-test-score": {"data": 0.0, "model": 0.0}}),
        TrendPoint(commit="b" * 40, date="2026-09-01T10:00:00+00:00", subject="add data tests",
                   scores={"ml-test-score": 1.0}, sections={"ml-test-score": {"data": 2.0, "model": 1.0}},
                   changed=["ml-test-score/data-7", "notebooks/execution-order"],
                   statuses={"ml-test-score/data-7": "pass", "ml-test-score/infra-1": "pass"}),
    ]
    html = render_html(result, tmp_path / "report.html")
    chart = html[html.index('id="trend-ml-test-score"'):]
    chart = chart[:chart.index("</figure>")]
    assert chart.count("<circle") >= 3 + 2 * 3  # the score at three commits, sections where known
    assert 'role="img"' in chart and "Score from 0 to " in chart
    assert "2026-08-01 to " in chart
    # the table of moves: newest first, with the checks that moved it, linked; other rubrics' checks left out
    rows = chart[chart.index("<tbody>"):]
    assert "bbbbbbbbbb" in rows and 'href="#ml-test-score--data-7"' in rows and "execution-order" not in rows
    assert "&lt;b&gt;start&lt;/b&gt;" not in rows  # the first commit moved nothing: no row
    assert html.count('class="chart"') == 1  # the other rubrics have no earlier score: one point is no trend
    # this scan, newest first: the score fell back to 0, and the statuses say which checks moved it
    assert mts.score == 0.0
    now, then = rows.split("</tr>")[:2]
    assert "this scan" in now and "1 → 0" in now and ">down<" in now and 'href="#ml-test-score--infra-1"' in now
    assert "0 → 1" in then and ">up<" in then


def test_notebook_evidence_links_to_the_notebook_not_to_a_line_of_its_json(tmp_path):
    from conftest import git, notebook

    repo = make_repo(tmp_path / "r", {"nb.ipynb": notebook([
        ("markdown", "# x", None),
        ("code", "from sklearn.model_selection import train_test_split\na = train_test_split(X)", 1)])})
    git(repo, "remote", "add", "origin", "https://github.com/org/proj.git")
    result = run_scan(repo, ScanOptions(use_cache=False))
    html = render_html(result, tmp_path / "report.html")
    sha = result.target.commit
    assert f'href="https://github.com/org/proj/blob/{sha}/nb.ipynb"><code>nb.ipynb cell 1, line 2</code>' in html
    assert "nb.ipynb#L" not in html
