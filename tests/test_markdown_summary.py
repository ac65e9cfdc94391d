"""The Markdown summary (`--format markdown`): for `$GITHUB_STEP_SUMMARY` and pull-request comments.

Rendered from real scans of real git repositories; the hostile repository's summary is parsed with
markdown-it-py (installed with rich) to prove that nothing from the repository becomes markup.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import git, make_repo, notebook
from markdown_it import MarkdownIt

from mlaudit.config import load_config
from mlaudit.renderers.advice_text import lead, minimum_text
from mlaudit.renderers.check_docs import DOCS_URL
from mlaudit.renderers.markdown_summary import LIMIT, render_markdown, text
from mlaudit.renderers.ordering import PROBLEM, worst_first
from mlaudit.result import TrendPoint
from mlaudit.scan import ScanOptions, run_scan

FORGE = "https://github.com/acme/churn"
SPLIT = "from sklearn.model_selection import train_test_split\n"
FILES = {
    "train.py": SPLIT + "X_tr, X_te = train_test_split(X)\n",
    "data/customers.csv": "a,b\n" + "1,2\n" * 50,
    "nb.ipynb": notebook([("code", "x = 1", 2), ("code", "y = 2", 1)]),
}


def scan(repo, **options):
    loaded = load_config(repo)
    return run_scan(repo, ScanOptions(use_cache=False, rubric_paths=loaded.rubric_paths(), config=loaded, **options))


def table(md: str, header: str) -> list[list[str]]:
    """The rows of the table whose header starts with `header`, split on unescaped pipes."""
    lines = md.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(cells(line))
    return rows


def cells(line: str) -> list[str]:
    # A pipe ends a cell unless an odd number of backslashes precedes it (as markdown-it and GitHub read it).
    parts, cell, backslashes = [], "", 0
    for ch in line.strip()[1:-1]:
        if ch == "|" and backslashes % 2 == 0:
            parts.append(cell.strip())
            cell = ""
        else:
            cell += ch
        backslashes = backslashes + 1 if ch == "\\" else 0
    return parts + [cell.strip()]


def findings(md: str) -> list[str]:
    return re.findall(r"^- \*\*(?:fail|error|partial)\*\* \S*?`([^`]+)`", md, re.M)


@pytest.fixture(scope="module")
def churn(tmp_path_factory):
    """A small project with a GitHub remote, scanned once."""
    repo = make_repo(tmp_path_factory.mktemp("md") / "churn", FILES)
    git(repo, "remote", "add", "origin", "https://github.com/acme/churn.git")
    result = scan(repo)
    return result, render_markdown(result)


def test_one_table_row_per_rubric_ml_test_score_first_with_its_arithmetic_and_cheapest_steps(churn):
    result, md = churn
    t = result.target
    assert md.startswith(f"## mlaudit {result.tool.version}: churn at [`{t.commit[:10]}`]"
                         f"(<{FORGE}/commit/{t.commit}>) (main)\n")
    rows = table(md, "| rubric |")
    assert len(rows) == len(result.rubrics) and all(len(r) == 6 for r in rows)
    mts = next(r for r in result.rubrics if r.id == "ml-test-score")
    first = rows[0]
    assert first[0] == "The ML Test Score (`ml-test-score`)"
    assert first[1] == f"**{mts.score:g} / 7** " + mts.band.replace(".", "\\.")
    assert first[2:5] == [str(mts.counts.get(s, 0)) for s in ("fail", "partial", "not_observable")]
    assert first[5].startswith(minimum_text(mts).split(":")[0])  # "The score is 0": what sets it
    assert f"{lead(mts)}: [`{mts.next_steps[0].check.split('/')[1]}`](<{DOCS_URL}#" in first[5]
    for row, score in zip(rows[1:], [r for r in result.rubrics if r.id != "ml-test-score"]):
        assert row[0].endswith(f"(`{score.id}`)")
        assert row[1] == ("**n/a**" if score.score is None else f"**{score.score:g}%**")
        assert row[2:5] == [str(score.counts.get(s, 0)) for s in ("fail", "partial", "not_observable")]
        if score.next_steps:
            assert row[5].startswith(f"{lead(score)}: ")


def test_the_ml_test_score_grid_is_four_sections_by_seven_tests_with_markers(repo_factory):
    day = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    config = ("attest:\n  - {check: ml-test-score/monitor-4, level: automated, "
              f"evidence: 'https://grafana.example.com/d/age', by: Ana, date: {day}}}\n"
              "ignore:\n  - {check: ml-test-score/data-1, reason: validated upstream}\n")
    result = scan(repo_factory({**FILES, ".mlaudit.yaml": config}))
    md = render_markdown(result)
    mts = next(r for r in result.rubrics if r.id == "ml-test-score")
    grid = table(md, "| The ML Test Score | 1 | 2 | 3 | 4 | 5 | 6 | 7 | sum |")
    assert [row[0] for row in grid] == [s.title for s in mts.sections]
    assert all(len(row) == 1 + 7 + 1 for row in grid)
    by_id = {r.check: r for r in result.results}
    for section, row in zip(mts.sections, grid):
        for n, cell in enumerate(row[1:8], 1):
            check = by_id[f"ml-test-score/{section.id}-{n}"]
            assert re.fullmatch(r"(0|0\.5|1)(\\\*|a|s)?", cell), cell
            assert float(re.match(r"[\d.]+", cell).group()) == check.points
        total = row[8]
        assert total.replace("**", "").replace(" (min)", "") == f"{section.score:g}"
        assert total.endswith("(min)") == (section.id in mts.minimum_sections)
    monitor = grid[[s.id for s in mts.sections].index("monitor")]
    assert monitor[4] == "1a"  # attested: a point, marked as the team's
    assert grid[0][1] == "0s"  # data-1 ignored by the config: left out of the score
    assert "0\\*" in monitor  # not observable
    assert "`0*` not observable, `a` attested by the team, `s` suppressed" in md


def test_failing_and_partial_checks_worst_first_with_evidence_linked_at_the_commit(churn):
    result, md = churn
    commit = result.target.commit
    problems = [r for r in worst_first(result.results) if r.status in PROBLEM and not r.suppressed]
    assert problems and findings(md) == [r.check for r in problems]
    assert f"### Failing and partial checks ({len(problems)})" in md
    infra1 = md[md.index("`ml-test-score/infra-1`"):]
    infra1 = infra1[:infra1.index("\n- ")]
    assert infra1.startswith(f"`ml-test-score/infra-1`](<{DOCS_URL}#ml-test-score--infra-1>) Training is reproducible\\. (high)")
    assert f"\n  - [`train.py:2`](<{FORGE}/blob/{commit}/train.py#L2>) `X_tr, X_te = train_test_split(X)`" in infra1
    # a notebook's line counts inside its cell, not in the file: the link goes to the notebook
    assert f"[`nb.ipynb cell 1`](<{FORGE}/blob/{commit}/nb.ipynb>)" in md
    assert f"[`data/customers.csv`](<{FORGE}/blob/{commit}/data/customers.csv>)" in md
    assert re.search(r"^Not listed: 0 suppressed, 0 attested and \d+ not observable checks \(scored 0\)\. "
                     r"0 warning\(s\)", md, re.M)


def test_without_a_forge_locations_are_plain_code_spans(repo_factory):
    md = render_markdown(scan(repo_factory(FILES)))
    assert "\n  - `train.py:2` `X_tr, X_te = train_test_split(X)`" in md and "`nb.ipynb cell 1`" in md
    links = re.findall(r"\]\(<([^>]*)>\)", md)
    assert links and all(u.startswith(DOCS_URL + "#") for u in links)  # the check reference only, no ./relative links
    assert " at `" in md.splitlines()[0]  # the commit, unlinked


def test_output_is_capped_and_says_how_many_findings_are_left_to_the_html(churn):
    result, _ = churn
    infra1 = next(r for r in result.results if r.check == "ml-test-score/infra-1")
    many = [infra1.model_copy(update={"check": f"ml-test-score/infra-1x{i}", "evidence": infra1.evidence * 5})
            for i in range(400)]
    big = result.model_copy(update={"results": result.results + many})
    md = render_markdown(big)
    assert len(md.encode("utf-8")) <= LIMIT
    total = len([r for r in big.results if r.status in PROBLEM and not r.suppressed])
    listed = len(findings(md))
    assert 10 < listed < total
    assert f"- … {total - listed} more in the HTML report\n" in md
    assert "  - … and 2 more" in md  # 3 locations per check at most
    assert md.rstrip().splitlines()[-1].startswith("Not listed:")  # the closing line survives the cut
    small = render_markdown(big, limit=8_000)
    assert len(small.encode("utf-8")) <= 8_000 and "more in the HTML report" in small


def test_trend_line_names_the_earlier_commit_and_what_moved(churn):
    result, _ = churn
    point = TrendPoint(commit="b" * 40, date="2026-09-01T10:00:00+00:00", subject="add @org/team <b>x</b>",
                       scores={"ml-test-score": 1.0})
    md = render_markdown(result.model_copy(update={"trend": [point]}))
    assert (f"Since [`bbbbbbbbbb`](<{FORGE}/commit/{'b' * 40}>) (2026\\-09\\-01, add \\@\u200dorg\\/team "
            "\\<b\\>x\\<\\/b\\>): The ML Test Score 1 → 0.") in md


HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "
           "![i](https://evil.example/x.png) @org/team #12 | a`b``c | https://evil.example www.evil.example")
TITLE = "<script>alert(1)</script> | @org/team [x](javascript:alert(1)) https://evil.example"
HOSTILE_RUBRIC = """\
id: team
title: "@TITLE@"
version: "1"
scoring: ml-test-score
description: Ours.
references:
  h: {title: Handbook, url: "https://example.com/h"}
sections:
  - {id: infra, title: "<img src=x onerror=alert(1)> | @org/team ![i](https://evil.example/i.png)"}
checks:
  - id: splits
    section: infra
    title: "Splits <b>seeded</b> | [x](javascript:alert(1)) @org/team `a|b` www.evil.example"
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [splits.unseeded]
    rules:
      - {when: {splits.unseeded: true}, status: fail, evidence_class: absent, message: Unseeded.}
      - {when: {splits.unseeded: false}, status: pass, evidence_class: automated, message: Seeded.}
    otherwise: {status: not_applicable, message: No splits.}
  - id: nothing
    section: infra
    title: "<details open> @org/team"
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [tests.present]
    rules:
      - {when: {tests.present: false}, status: partial, evidence_class: absent,
         message: "# heading? <img src=x onerror=alert(1)> @org/team | [x](javascript:alert(1)) `a|b`"}
    otherwise: {status: not_applicable, message: Tests.}
""".replace("@TITLE@", TITLE)


def _walk(tokens):
    for t in tokens:
        yield t
        if t.children:
            yield from _walk(t.children)


def test_a_hostile_repository_cannot_inject_markup_links_mentions_or_break_table_rows(tmp_path):
    files = {
        "<img src=x onerror=alert(1)>.py": SPLIT + f"a = train_test_split(X)  # {HOSTILE}\n",
        "[click](javascript:alert(1)).py": SPLIT + "b = train_test_split(X)\n",
        "@org/team.py": SPLIT + "d = train_test_split(X)  # @org/team\n",
        # hard-coded hyperparameters, on a very long line with pipes and backticks, in a file named with them
        "a|b`c`.py": ("from sklearn.ensemble import GradientBoostingClassifier\n"
                      "m = GradientBoostingClassifier(n_estimators=200, learning_rate=0.05)  # " + "y|`<b>" * 2000 + "\n"),
        "data/<b>x</b> @org.csv": "a,b\n" + "1,2\n" * 200,
        "nb <img src=x>.ipynb": notebook([("code", "x = 1", 2), ("code", "y = 2", 1)]),
        ".mlaudit.yaml": "rubrics: [team.yaml]\n",
        "team.yaml": HOSTILE_RUBRIC,
    }
    repo = make_repo(tmp_path / "r", files, message=HOSTILE)
    git(repo, "checkout", "-q", "-b", "<b>x</b>|@org/team")
    git(repo, "remote", "add", "origin", "https://github.com/acme/churn.git")
    result = scan(repo)
    result.trend = [TrendPoint(commit="c" * 40, date="2026-09-01T10:00:00+00:00", subject=HOSTILE,
                               scores={"team": 1.0})]
    paths = {e.path for r in result.results for e in r.evidence}
    assert {"<img src=x onerror=alert(1)>.py", "[click](javascript:alert(1)).py", "a|b`c`.py", "@org/team.py",
            "data/<b>x</b> @org.csv", "nb <img src=x>.ipynb"} <= paths  # the scan saw them: the test tests something
    md = render_markdown(result)
    assert len(md.encode("utf-8")) <= LIMIT

    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    tokens = list(_walk(parser.parse(md)))
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "image", "fence", "code_block", "s_open"}, kinds
    hrefs = [t.attrGet("href") for t in tokens if t.type == "link_open"]
    assert hrefs and all(h.startswith((FORGE + "/", DOCS_URL + "#")) for h in hrefs), hrefs
    assert any("%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.py#L2" in h for h in hrefs)  # encoded, at the forge
    html = parser.render(md)
    assert not re.search(r"<(?:script|img|b|details)\b", html) and "javascript:" not in " ".join(hrefs)
    assert len(re.findall(r"<h\d", html)) == 2  # ours: the title and the findings; "# heading?" stayed text

    # outside code, no mention, issue reference or bare URL survives for GitHub to link
    prose = " ".join(t.content for t in tokens if t.type == "text")
    assert "@org" in prose.replace("\u200d", "") and not re.search(r"@\w|#\d|://|www\.", prose), prose
    code = " ".join(t.content for t in tokens if t.type == "code_inline")
    # excerpts and paths are shown as they are, in code spans, backticks and all
    assert "# <script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))" in code
    assert "a|b`c`.py:2" in code and "y|`<b>y|`<b>" in code
    assert "<b>x</b>|@org/team" in md.replace("\u200d", "").replace("\\", "")  # the branch, escaped

    # every table row has exactly the cells of its header; the hostile titles stay in their cell
    header = None
    for previous, line in zip([""] + md.splitlines(), md.splitlines()):
        if line.startswith("|"):
            header = header if previous.startswith("|") else cells(line)
            assert len(cells(line)) == len(header), line
    team = next(r for r in table(md, "| rubric |") if "(`team`" in r[0])
    assert team[0] == text(TITLE) + " (`team`, from team\\.yaml)"
    assert team[0].startswith("\\<script\\>alert\\(1\\)\\<\\/script\\> \\| \\@\u200dorg\\/team")
    grid = table(md, next(line for line in md.splitlines() if line.endswith(" | 1 | 2 | sum |")))  # the team's grid
    assert len(grid) == 1 and grid[0][0].startswith("\\<img src\\=x onerror\\=alert\\(1\\)\\> \\|")
    # a very long line is shortened, never a wall of text
    assert max(len(line) for line in md.splitlines()) < 2_000


def test_scan_writes_markdown_to_stdout_a_file_or_its_default(cli, repo_factory, tmp_path):
    repo = repo_factory(FILES)
    code, out, err = cli("scan", str(repo), "--format", "markdown", "-o", "-")
    assert code == 0, err
    assert out.startswith("## mlaudit ") and "| rubric |" in out
    assert "(ml-test-score)" in err  # the terminal summary goes to stderr
    code, _, err = cli("scan", str(repo), "-o", "summary.md", "-q")
    assert code == 0, err
    assert (tmp_path / "summary.md").read_text(encoding="utf-8").startswith("## mlaudit ")
    code, _, err = cli("scan", str(repo), "--format", "markdown", "-q")
    assert code == 0, err
    assert (tmp_path / "mlaudit-summary.md").read_text(encoding="utf-8") == out
