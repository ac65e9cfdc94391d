"""`mlaudit compare`: what changed between two commits, for a retrospective.

Fixture repositories are built commit by commit; both commits are read from git objects, so the
work tree, index and HEAD must not move, and each commit is judged with the config it had.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from test_history_command import SPLIT, commit, snapshot

from conftest import make_repo

TODAY = dt.date.today()


def attest(check: str, expires: dt.date) -> str:
    return (f"  - check: {check}\n    level: documented\n    evidence: https://wiki.example.com/{check}\n"
            f"    by: Ana Lima\n    date: 2026-01-10\n    expires: {expires.isoformat()}\n")


@pytest.fixture
def retro_repo(tmp_path) -> Path:
    """v1: unseeded split, no config. v2: seeded, a model test deleted... and three attestations:
    one expired, one expiring within 30 days, one in a year."""
    repo = make_repo(tmp_path / "proj", {"README.md": "# p\n", "train.py": SPLIT.format(""),
                                         "tests/test_train.py": "from train import split\n\n\ndef test_split():\n"
                                                                "    assert split\n"}, commit=False)
    commit(repo, "v1: first model", "2026-01-05T10:00:00")
    (repo / "train.py").write_text(SPLIT.format(", random_state=0"))
    (repo / ".mlaudit.yaml").write_text(
        "attest:\n" + attest("ml-test-score/monitor-1", TODAY - dt.timedelta(days=3))
        + attest("ml-test-score/monitor-2", TODAY + dt.timedelta(days=20))
        + attest("ml-test-score/monitor-3", TODAY + dt.timedelta(days=365)))
    commit(repo, "v2: seeded split, monitoring attested", "2026-02-05T10:00:00")
    return repo


def compare_json(cli, repo: Path, *args: str) -> dict:
    code, out, err = cli("compare", "-C", str(repo), *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_compare_reports_scores_checks_findings_and_attestations_due(retro_repo, cli):
    before = snapshot(retro_repo)
    retro = compare_json(cli, retro_repo, "HEAD~1", "HEAD", "--expiring-before",
                         (TODAY + dt.timedelta(days=30)).isoformat())
    assert snapshot(retro_repo) == before  # nothing checked out, nothing written in the work tree

    assert retro["a"]["subject"] == "v1: first model" and retro["b"]["subject"].startswith("v2")
    assert retro["rubrics"][0]["id"] == "ml-test-score"  # the headline first
    pitfalls = next(r for r in retro["rubrics"] if r["id"] == "ml-pitfalls")
    assert pitfalls["after"] > pitfalls["before"]
    assert {s["id"] for s in retro["rubrics"][0]["sections"]} == {"data", "model", "infra", "monitor"}

    moves = {m["check"]: m for m in retro["checks"]}
    assert moves["ml-pitfalls/split-seeds"]["before"] == "fail"
    assert moves["ml-pitfalls/split-seeds"]["after"] == "pass" and moves["ml-pitfalls/split-seeds"]["change"] == "better"
    fixed = [f for f in retro["fixed"] if f["check"] == "ml-pitfalls/split-seeds"]
    assert [(f["path"], f["line"]) for f in fixed] == [("train.py", 5)]
    assert "random_state" not in fixed[0]["excerpt"]  # the line as it was at the earlier commit

    # The attestations are the later commit's; each commit was judged with the config it had.
    due = {d["check"]: d for d in retro["due"]}
    assert set(due) == {"ml-test-score/monitor-1", "ml-test-score/monitor-2"}  # the third is a year away
    assert due["ml-test-score/monitor-1"]["expired"] and not due["ml-test-score/monitor-2"]["expired"]
    assert due["ml-test-score/monitor-2"]["config"] == ".mlaudit.yaml:8"
    assert moves["ml-test-score/monitor-3"]["before"] == "not_observable"  # v1 had no attestation
    assert moves["ml-test-score/monitor-3"]["after"] == "pass"


def test_compare_in_the_terminal_names_what_moved(retro_repo, cli):
    code, out, err = cli("compare", "-C", str(retro_repo), "HEAD~1")
    assert code == 0, err
    assert "v1: first model" in out and "v2: seeded split" in out
    assert re.search(r"better\s+fail -> pass\s+ml-pitfalls/split-seeds", out)
    assert re.search(r"Fixed \(\d+\)", out) and "train.py:5" in out
    assert "expired" in out and "ml-test-score/monitor-1" in out


def test_since_last_compares_with_the_newest_stored_earlier_commit(retro_repo, cli):
    code, _, err = cli("compare", "-C", str(retro_repo), "--since-last")
    assert code == 2 and "mlaudit history" in err  # nothing stored yet: says what to do
    code, _, err = cli("history", str(retro_repo), "-q")
    assert code == 0, err
    (retro_repo / "train.py").write_text(SPLIT.format(""))  # v3 undoes the seed
    commit(retro_repo, "v3: seed lost", "2026-03-05T10:00:00")
    retro = compare_json(cli, retro_repo, "--since-last")
    assert retro["a"]["subject"].startswith("v2") and retro["b"]["subject"] == "v3: seed lost"
    assert any(f["check"] == "ml-pitfalls/split-seeds" and f["path"] == "train.py" for f in retro["new"])
    assert {m["check"]: m["change"] for m in retro["checks"]}["ml-pitfalls/split-seeds"] == "worse"


def test_compare_markdown_and_html_show_hostile_text_literally(retro_repo, cli, tmp_path):
    hostile = "[click](javascript:alert(1)) @org/team | <img src=x onerror=alert(1)> #12"
    (retro_repo / "README.md").write_text("# p\n\nmore\n")
    commit(retro_repo, hostile, "2026-03-05T10:00:00")

    code, md, err = cli("compare", "-C", str(retro_repo), "HEAD~2", "--format", "markdown")
    assert code == 0, err
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table"])
    html = parser.render(md)
    assert "<img" not in html and "<a " not in html and "javascript:alert" in html.replace("\u200d", "")
    assert not any(t.type in ("html_inline", "html_block", "link_open", "image")
                   for block in parser.parse(md) for t in (block.children or []))
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert rows and all(len(re.findall(r"(?<!\\)\|", r)) == 5 for r in rows)  # no cell added by a pipe

    out = tmp_path / "retro.html"
    code, _, err = cli("compare", "-C", str(retro_repo), "HEAD~2", "-o", str(out))
    assert code == 0, err
    page = out.read_text()
    assert 'id="since"' in page and '<a href="#since">' in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page


def test_compare_usage_errors(retro_repo, cli):
    code, _, err = cli("compare", "-C", str(retro_repo))
    assert code == 2 and "REF_A" in err
    code, _, err = cli("compare", "-C", str(retro_repo), "no-such-ref")
    assert code == 2 and "no commit 'no-such-ref'" in err
    code, _, err = cli("compare", "-C", str(retro_repo), "--since-last", "HEAD", "HEAD~1")
    assert code == 2 and "one revision" in err
