"""Regression tests for what a review of `history` and `compare` found: stored scans reused only
for the same rules, folder and config; a past commit judged by what it had then; the trend in a
plain scan best effort; retrospective details (suppressions, notes, links to the earlier commit)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from test_config import RUBRIC
from test_history_command import SPLIT, commit
from test_history_robustness import stored

from conftest import git, make_repo, notebook, write_files

MONITOR = ("attest:\n  - check: ml-test-score/monitor-2\n    level: automated\n    evidence: https://w.example.com/m\n"
           "    by: Ana\n    date: 2026-01-10\n")


def statuses(db: Path) -> dict[str, dict[str, str]]:
    return {r.target.commit: {c.check: c.status.value for c in r.results} for r in stored(db).values()}


def test_a_stored_scan_is_reused_only_for_the_same_folder_config_and_rubrics(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {"train.py": SPLIT.format(""), "sub/x.py": "print(1)\n"})
    db = tmp_path / "h.sqlite"
    assert cli("history", str(repo / "sub"), "--db", str(db), "-q")[0] == 0
    code, _, err = cli("history", str(repo), "--db", str(db))
    assert code == 0 and "stored already" not in err  # the whole repository is not its subfolder

    team = tmp_path / "team.yaml"
    team.write_text(MONITOR.replace("monitor-2", "monitor-1"))
    code, _, err = cli("history", str(repo), "--db", str(db), "--config", str(team))
    assert code == 0 and "stored already" not in err
    rubric = tmp_path / "r.yaml"
    rubric.write_text(RUBRIC)
    assert cli("history", str(repo), "--db", str(db), "--rubric", str(rubric), "-q")[0] == 0
    rubric.write_text(RUBRIC.replace("Seeds are set.", "Seeded."))  # same id and version, other content
    code, _, err = cli("history", str(repo), "--db", str(db), "--rubric", str(rubric))
    assert code == 0 and "stored already" not in err


def test_a_past_commit_keeps_the_attestations_its_config_could_still_name(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {".mlaudit.yaml": MONITOR + MONITOR.replace("monitor-2", "monitor-99")
                                      .removeprefix("attest:\n")})
    db = tmp_path / "h.sqlite"
    assert cli("history", str(repo), "--db", str(db), "-q")[0] == 0
    (result,) = stored(db).values()
    monitor = next(r for r in result.results if r.check == "ml-test-score/monitor-2")
    assert monitor.status.value == "pass" and monitor.basis == "attested"
    assert any("monitor-99" in w.message and w.line == 7 for w in result.warnings)

    team = tmp_path / "typo.yaml"
    team.write_text(MONITOR.replace("monitor-2", "monitr-2"))
    code, _, err = cli("history", str(repo), "--db", str(db), "--config", str(team), "-q")
    assert code == 2 and "monitr-2" in err  # a file named on the command line is checked as for a scan


def test_a_past_commit_has_no_large_blob_added_after_it(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {"README.md": "# p\n"})
    write_files(repo, {"data/big.parquet": bytes(range(256)) * 50_000})  # 12.8 MB
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add data")
    git(repo, "rm", "-q", "data/big.parquet")
    git(repo, "commit", "-qm", "drop data")
    db = tmp_path / "h.sqlite"
    assert cli("history", str(repo), "--db", str(db), "-q")[0] == 0
    by_subject = {r.target.commit: r for r in stored(db).values()}
    first = by_subject[git(repo, "rev-list", "--max-parents=0", "HEAD").strip()]
    assert not any(e.path == "data/big.parquet" for r in first.results for e in r.evidence)
    last = by_subject[git(repo, "rev-parse", "HEAD").strip()]
    assert any(e.path == "data/big.parquet" and "still in history" in e.message for r in last.results for e in r.evidence)


def test_a_commit_message_that_is_not_utf8_is_stored(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {"README.md": "# p\n"})
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    raw = f"tree {tree}\nauthor A <a@x> 1767225600 +0000\ncommitter A <a@x> 1767225600 +0000\n\nbad \xff\xfe\n"
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo, check=True,
                         input=raw.encode("latin-1"), capture_output=True).stdout.decode().strip()
    git(repo, "reset", "-q", "--soft", sha)
    code, out, err = cli("history", str(repo), "--db", str(tmp_path / "h.sqlite"), "--export", "json", "-q")
    assert code == 0, err
    assert json.loads(out)[-1]["subject"] == "bad \\xff\\xfe"


def test_the_trend_in_a_scan_is_best_effort_and_this_scan_is_now(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {"train.py": SPLIT.format("")})
    assert cli("history", str(repo), "-q")[0] == 0
    (repo / "seed.py").write_text("import random\nrandom.seed(0)\n")  # uncommitted: HEAD's stored scan is not "now"
    code, out, _ = cli("scan", str(repo), "--format", "json", "-o", "-", "-q")
    trend = json.loads(out)["trend"]
    assert code == 0 and all(p["commit"] != git(repo, "rev-parse", "HEAD").strip() for p in trend)

    db = repo / ".mlaudit" / "history.sqlite"
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 99")  # a newer mlaudit's database
    con.close()
    code, out, err = cli("scan", str(repo), "--format", "json", "-o", "-", "-q")
    assert code == 0, err
    assert any("stored history was not read" in w["message"] for w in json.loads(out)["warnings"])


def test_compare_keeps_suppressions_apart_notes_config_problems_and_links_fixed_findings_to_then(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {"train.py": SPLIT.format(""), "gone.py": SPLIT.format("")}, commit=False)
    git(repo, "remote", "add", "origin", "https://github.com/acme/p.git")
    commit(repo, "v1", "2026-01-05T10:00:00")
    (repo / ".mlaudit.yaml").write_text("ignore:\n  - check: ml-pitfalls/split-seeds\n    reason: decided\n"
                                        + MONITOR.replace("monitor-2", "monitor-99"))
    (repo / "gone.py").unlink()
    commit(repo, "v2", "2026-02-05T10:00:00")
    a = git(repo, "rev-parse", "HEAD~1").strip()
    code, out, err = cli("compare", "-C", str(repo), "HEAD~1", "--format", "json")
    assert code == 0, err
    retro = json.loads(out)
    move = next(m for m in retro["checks"] if m["check"] == "ml-pitfalls/split-seeds")
    assert (move["after"], move["change"]) == ("suppressed", "other")
    assert not any(f["check"] == "ml-pitfalls/split-seeds" for f in retro["fixed"])  # suppressed is not fixed
    assert any("monitor-99" in n and n.startswith("HEAD:") for n in retro["notes"])
    gone = [f for f in retro["fixed"] if f["path"] == "gone.py"]
    assert gone and all(f["commit"] == a for f in gone)
    page = tmp_path / "r.html"
    assert cli("compare", "-C", str(repo), "HEAD~1", "-o", str(page))[0] == 0
    assert f"https://github.com/acme/p/blob/{a}/gone.py#L5" in page.read_text()

    code, out, _ = cli("compare", "-C", str(repo), "HEAD", "HEAD~1")
    assert code == 0 and "HEAD is newer than HEAD~1" in out


def test_a_past_commit_with_a_broken_config_is_scanned_without_it_and_says_so(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {".mlaudit.yaml": "attest: [\n", "train.py": SPLIT.format("")})
    (repo / ".mlaudit.yaml").unlink()  # fixed since (a broken config in the work tree stops any command)
    db = tmp_path / "h.sqlite"
    assert cli("history", str(repo), "--db", str(db), "-q")[0] == 0
    (result,) = stored(db).values()
    assert result.warnings[0].path == ".mlaudit.yaml"
    assert result.warnings[0].message.startswith("the config at this commit was not used: .mlaudit.yaml:2: invalid YAML")


def test_a_config_named_on_the_command_line_is_checked_before_any_commit_is_scanned(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {"README.md": "# p\n"}, commit=False)
    for i in range(3):
        (repo / "train.py").write_text(f"x = {i}\n")
        commit(repo, f"c{i}", f"2026-0{i + 1}-05T10:00:00")
    team = tmp_path / "typo.yaml"
    team.write_text(MONITOR.replace("monitor-2", "monitr-2"))
    for command in (["history", str(repo), "--jobs", "3"], ["compare", "-C", str(repo), "HEAD~2"]):
        code, _, err = cli(*command, "--config", str(team), "--db", str(tmp_path / "h.sqlite"))
        assert code == 2 and "unknown check `ml-test-score/monitr-2`" in err and "worker" not in err
    assert not (tmp_path / "h.sqlite").exists() or stored(tmp_path / "h.sqlite") == {}


def test_a_past_commits_duplicate_attestation_is_left_out_and_said_so(tmp_path, cli):
    second = MONITOR.removeprefix("attest:\n").replace("2026-01-10", "2026-01-11")
    repo = make_repo(tmp_path / "p", {".mlaudit.yaml": MONITOR + second})
    db = tmp_path / "h.sqlite"
    assert cli("history", str(repo), "--db", str(db), "-q")[0] == 0
    (result,) = stored(db).values()
    monitor = next(r for r in result.results if r.check == "ml-test-score/monitor-2")
    assert monitor.basis == "attested" and monitor.attestation.line == 2  # the first entry, as the warning says
    warning = next(w for w in result.warnings if "already attested" in w.message)
    assert warning.path == ".mlaudit.yaml" and warning.line == 7 and warning.message.endswith("left out at this commit")


def test_a_finding_suppressed_before_does_not_hide_a_real_fix_of_its_neighbour(tmp_path, cli):
    two = ("from sklearn.model_selection import train_test_split\n\n\ndef split(X, y):\n"
           "    return train_test_split(X, y{})\n\n\ndef other(X, y):\n"
           "    return train_test_split(X, y)  # mlaudit: ignore[ml-pitfalls/split-seeds] a throwaway check\n")
    repo = make_repo(tmp_path / "p", {"train.py": two.format("")}, commit=False)
    commit(repo, "v1", "2026-01-05T10:00:00")
    (repo / "train.py").write_text(two.format(", random_state=0"))
    commit(repo, "v2", "2026-02-05T10:00:00")
    code, out, err = cli("compare", "-C", str(repo), "HEAD~1", "--format", "json")
    assert code == 0, err
    retro = json.loads(out)
    assert [(f["path"], f["line"]) for f in retro["fixed"] if f["check"] == "ml-pitfalls/split-seeds"] == [("train.py", 5)]
    move = next(m for m in retro["checks"] if m["check"] == "ml-pitfalls/split-seeds")
    assert (move["after"], move["change"]) == ("suppressed", "better")


def test_memo_answers_are_per_suffix_and_carry_every_warning_of_their_file(tmp_path):
    """Same bytes as .py and .ipynb give different facts; two identical unreadable YAML files each
    keep their warning when the second reuses the first's answer."""
    from test_history_memo import _view

    from mlaudit.checks.loader import load_rubrics
    from mlaudit.history.sample import first_parent_line
    from mlaudit.history.store import HistoryStore, scan_key
    from mlaudit.history.walk import walk
    from mlaudit.repository.git_tree import revision_repository
    from mlaudit.scan import ScanOptions, run_scan

    leaky = ("from sklearn.preprocessing import StandardScaler\nfrom sklearn.model_selection import train_test_split\n"
             "X = StandardScaler().fit_transform(X)\nX_train, X_test = train_test_split(X)\n")
    nb = notebook([("code", leaky, 1)])  # JSON is also a Python expression: the same bytes as a.py parse too
    repo = make_repo(tmp_path / "p", {"a.ipynb": nb, "a.py": nb, ".github/workflows/ci.yml": b"on: \xff\n",
                                      "other/ci.yml": b"on: \xff\n"})
    (repo / "README.md").write_text("# p\n")
    commit(repo, "docs", "2026-02-05T10:00:00")
    rubrics, options = load_rubrics([]), ScanOptions(use_cache=False)
    store = HistoryStore(tmp_path / "h.sqlite")
    commits = first_parent_line(repo, "HEAD", None, None)
    walk(repo, commits, store, options, rubrics)
    for c in commits:
        with revision_repository(repo, c.commit) as alone:
            assert _view(store.load(c.commit, scan_key(repo, options, rubrics))) == _view(
                run_scan(repo, options, rubrics, repo=alone))
    store.close()


def test_a_folder_whose_name_looks_like_pathspec_magic_is_read_as_a_folder(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {":sub/train.py": SPLIT.format("")})
    code, _, err = cli("history", str(repo / ":sub"), "--db", str(tmp_path / "h.sqlite"), "-q")
    assert code == 0, err
    (result,) = stored(tmp_path / "h.sqlite").values()
    assert result.stats["files"] == 1
    assert next(r for r in result.results if r.check == "ml-pitfalls/split-seeds").status.value == "fail"


def test_history_output_needs_an_export_and_compare_text_goes_to_the_terminal(tmp_path, cli):
    repo = make_repo(tmp_path / "p", {"README.md": "# p\n"})
    code, _, err = cli("history", str(repo), "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "--export" in err
    code, _, err = cli("compare", "-C", str(repo), "HEAD", "--format", "text", "-o", str(tmp_path / "x.txt"))
    assert code == 2 and "terminal" in err and not (repo / ".mlaudit").exists()  # refused before any scan


def test_compare_in_the_terminal_keeps_each_name_on_its_line(tmp_path, cli):
    forged = MONITOR.replace("by: Ana", 'by: "Ana\\nFixed (3)\\n  fail forged"').replace(
        "date: 2026-01-10\n", "date: 2026-01-10\n    expires: 2026-12-01\n")
    repo = make_repo(tmp_path / "p", {"README.md": "# p\n", ".mlaudit.yaml": forged})
    code, out, err = cli("compare", "-C", str(repo), "HEAD", "--expiring-before", "2027-01-01")
    assert code == 0, err
    assert "by Ana Fixed (3) fail forged" in out and "\nFixed (3)" not in out.replace("\nFixed (0)", "")
