"""`mlaudit rubrics test`, and a team's own rubrics loaded from a file or folder.

Each test writes a small team rubric and its fixture repositories to tmp_path, runs the command
in-process and reads what it prints. Fixtures are built into git repositories by the command
itself, so these tests also show that it never runs anything from a fixture.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, git, write_files

from mlaudit.checks import fixtures as fx

TEAM = """\
id: team
title: Team practices
version: "1"
scoring: percentage
description: What our team agreed on.
references:
  handbook:
    title: Handbook
    url: https://example.com/handbook
sections:
  - id: repro
    title: Reproducibility
checks:
  - id: seeded-splits
    section: repro
    title: Every random split is seeded.
    rationale: Unseeded splits change the test set on every run.
    remediation: Pass random_state.
    sources:
      - ref: handbook
        section: "3.2"
    probes: [splits.unseeded]
    rules:
      - when: {splits.unseeded: true}
        status: fail
        message: A split has no fixed seed.
      - when: {splits.unseeded: false}
        status: pass
        message: Every split is seeded.
    otherwise:
      status: not_applicable
      message: Nothing is split at random.
  - id: seeded
    section: repro
    title: Random number generators are seeded.
    rationale: Seeds make runs repeatable.
    remediation: Seed them.
    sources:
      - ref: handbook
        section: "3.3"
    probes: [seeds.set]
    rules:
      - when: {seeds.set: true}
        status: pass
        message: Seeds are set.
      - when: {seeds.set: false}
        status: fail
        message: No seed is set.
    otherwise:
      status: not_applicable
      message: Nothing draws random numbers.
"""

UNSEEDED = ("import pandas as pd\nfrom sklearn.model_selection import train_test_split\n\n"
            "df = pd.read_csv('data.csv')\ntrain, test = train_test_split(df, test_size=0.2)\n")
SEEDED = UNSEEDED.replace("test_size=0.2)", "test_size=0.2, random_state=0)")
NO_SPLIT = "print('hello')\n"


def team(tmp_path: Path, fixtures: dict[str, str | bytes], rubric: str = TEAM) -> Path:
    """The rubric at tmp/team/team.yaml and its fixtures under tmp/team/fixtures/team/."""
    root = tmp_path / "team"
    write_files(root, {"team.yaml": rubric, **{f"fixtures/team/{k}": v for k, v in fixtures.items()}})
    return root / "team.yaml"


COMPLETE = {
    "seeded-splits/fail-unseeded/train.py": UNSEEDED,
    "seeded-splits/pass/train.py": SEEDED,
    "seeded/fail-no-seed/train.py": UNSEEDED,
    "seeded/pass/train.py": "import numpy as np\nnp.random.seed(0)\n",
}


def test_every_fixture_agrees(cli, tmp_path):
    rubric = team(tmp_path, COMPLETE)

    code, out, err = cli("rubrics", "test", str(rubric))

    assert code == 0, out + err
    assert out.splitlines() == [
        "ok    team/seeded/fail-no-seed",
        "ok    team/seeded/pass",
        "ok    team/seeded-splits/fail-unseeded",
        "ok    team/seeded-splits/pass",
        f"4 fixtures in {rubric.parent / 'fixtures'}: 4 ok, 0 failed",
    ]


def test_a_status_mismatch_fails_with_expected_got_and_the_message(cli, tmp_path):
    rubric = team(tmp_path, {**COMPLETE, "seeded-splits/pass/train.py": UNSEEDED})

    code, out, _ = cli("rubrics", "test", str(rubric))

    assert code == 1
    assert "FAIL  team/seeded-splits/pass: expected pass, got fail: A split has no fixed seed." in out.splitlines()
    assert out.splitlines()[-1].endswith("3 ok, 1 failed")


def test_a_status_no_fixture_shows_fails(cli, tmp_path):
    rubric = team(tmp_path, {k: v for k, v in COMPLETE.items() if not k.startswith("seeded/pass")})

    code, out, _ = cli("rubrics", "test", str(rubric))

    assert code == 1
    assert "MISSING  team/seeded: no fixture shows `pass`" in out
    assert out.splitlines()[-1].endswith("3 ok, 0 failed; 1 status no fixture shows")


def test_expected_yaml_names_evidence_and_other_checks(cli, tmp_path):
    expected = "seeded-splits:\n  evidence: ['train.py:5']\nteam/seeded: fail\n"
    rubric = team(tmp_path, {**COMPLETE, "seeded-splits/fail-unseeded/expected.yaml": expected})
    assert cli("rubrics", "test", str(rubric))[0] == 0

    wrong = "seeded-splits:\n  evidence: ['train.py:4', 'other.py']\nseeded: pass\n"
    (rubric.parent / "fixtures/team/seeded-splits/fail-unseeded/expected.yaml").write_text(wrong)
    code, out, _ = cli("rubrics", "test", str(rubric))
    assert code == 1
    lines = out.splitlines()
    at = lines.index("FAIL  team/seeded-splits/fail-unseeded: evidence at `train.py:4` was not reported "
                     "(reported: train.py:5)")
    assert lines[at + 1] == "      evidence at `other.py` was not reported (reported: train.py:5)"
    assert lines[at + 2] == "      team/seeded: expected pass, got fail: No seed is set."


def test_expected_yaml_can_give_the_status_of_a_folder_not_named_after_one(cli, tmp_path):
    rubric = team(tmp_path, {**COMPLETE, "seeded-splits/unseeded-split/train.py": UNSEEDED,
                             "seeded-splits/unseeded-split/expected.yaml": "seeded-splits: {status: fail}\n"})
    code, out, _ = cli("rubrics", "test", str(rubric))
    assert code == 0, out
    assert "ok    team/seeded-splits/unseeded-split" in out


@pytest.mark.parametrize(("folder", "expected_yaml", "message"), [
    ("passing", None, "the folder name does not start with a status"),
    ("pass", "seeded-splits: fail\n", "expected.yaml: says `team/seeded-splits` is `fail` but the folder name says `pass`"),
    ("pass", "nope: fail\n", "expected.yaml:1: nope: no check `nope` in rubric `team`"),
    ("pass", "seeded: great\n", "expected.yaml:1: seeded: status `great` is not one of pass, partial"),
    ("pass", "seeded: {evidence: [train.py:5]}\n", "`team/seeded` needs a `status`"),
    ("pass", "seeded-splits: [pass\n", "expected.yaml:2: invalid YAML"),
])
def test_a_fixture_that_cannot_run_as_written_fails_and_says_why(cli, tmp_path, folder, expected_yaml, message):
    files = {**COMPLETE, f"seeded-splits/{folder}/train.py": SEEDED}
    if expected_yaml is not None:
        files[f"seeded-splits/{folder}/expected.yaml"] = expected_yaml
    rubric = team(tmp_path, files)

    code, out, _ = cli("rubrics", "test", str(rubric))

    assert code == 1
    failure = next(line for line in out.splitlines() if line.startswith(f"FAIL  team/seeded-splits/{folder}: "))
    assert message in failure


def test_a_folder_for_a_check_the_rubric_does_not_have_fails(cli, tmp_path):
    rubric = team(tmp_path, {**COMPLETE, "seeded-split/pass/train.py": SEEDED})
    code, out, _ = cli("rubrics", "test", str(rubric))
    assert code == 1
    assert "FAIL  team/seeded-split/pass: " in out and "no check `seeded-split` in rubric `team`" in out


def test_only_and_fixtures_options(cli, tmp_path):
    rubric = team(tmp_path, {})
    elsewhere = tmp_path / "tests" / "mlaudit_fixtures"
    write_files(elsewhere, {f"team/{k}": v for k, v in COMPLETE.items()})

    code, out, _ = cli("rubrics", "test", str(rubric), "--fixtures", str(elsewhere), "--only", "team/seeded")

    assert code == 0, out
    assert out.splitlines() == ["ok    team/seeded/fail-no-seed", "ok    team/seeded/pass",
                                f"2 fixtures in {elsewhere}: 2 ok, 0 failed"]
    code, _, err = cli("rubrics", "test", str(rubric), "--fixtures", str(elsewhere), "--only", "sedded")
    assert code == 2 and "no check 'sedded' in these rubrics" in err


def test_without_fixtures_it_says_where_it_looked(cli, tmp_path):
    rubric = team(tmp_path, {})
    code, out, _ = cli("rubrics", "test", str(rubric))
    assert code == 1
    assert f"no fixtures: looked in {rubric.parent / 'fixtures'}" in out
    assert "MISSING  team/seeded-splits: no fixture shows `fail`" in out


def test_an_invalid_rubric_is_a_configuration_error_with_file_and_line(cli, tmp_path):
    rubric = team(tmp_path, COMPLETE, TEAM.replace("probes: [seeds.set]", "probes: [seeds.sett]"))
    code, out, err = cli("rubrics", "test", str(rubric))
    assert code == 2
    line = TEAM.splitlines().index("    probes: [seeds.set]") + 1
    assert f"error: {rubric}:{line}: checks[1].probes[0]: unknown probe `seeds.sett`" in err
    assert out == ""


def test_the_builtin_rubrics_fixtures_by_default(cli):
    code, out, _ = cli("rubrics", "test", "--only", "notebooks/execution-order")
    assert code == 0, out
    assert out.splitlines()[:3] == ["ok    notebooks/execution-order/fail", "ok    notebooks/execution-order/not_applicable",
                                    "ok    notebooks/execution-order/pass"]
    assert out.splitlines()[-1] == f"3 fixtures in {fx.builtin_fixtures_dir()}: 3 ok, 0 failed"
    # naming a built-in rubric file keeps its fixtures where they are, not beside the file
    code, same, _ = cli("rubrics", "test", str(ROOT / "rubrics" / "notebooks.yaml"), "--only", "execution-order")
    assert code == 0 and same == out


def test_an_installed_copy_without_the_fixtures_says_where_it_looked(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(fx, "builtin_fixtures_dir", lambda: tmp_path / "site-packages" / "tests" / "check_fixtures")
    code, _, err = cli("rubrics", "test")
    assert code == 2
    assert f"looked in {tmp_path / 'site-packages' / 'tests' / 'check_fixtures'}" in err
    assert "run this from a source checkout, or pass --fixtures DIR" in err


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_fixture_is_never_run_and_never_changed(cli, tmp_path, monkeypatch):
    """A fixture's own `.git` (config with an fsmonitor command, a hook) is not copied, inherited GIT_*
    variables cannot aim git at another repository, and the fixture folder stays as it was."""
    marker = tmp_path / "ran"
    evil = f"#!/bin/sh\ntouch {marker}\n"
    files = {**COMPLETE,
             "seeded/pass/.git/config": f"[core]\n\tfsmonitor = touch {marker}\n\thooksPath = hooks\n",
             "seeded/pass/.git/hooks/pre-commit": evil, "seeded/pass/hooks/pre-commit": evil,
             "seeded/pass/sub/.git": f"gitdir: {tmp_path / 'other' / '.git'}\n", "seeded/pass/sub/x.py": "x = 1\n"}
    rubric = team(tmp_path, files)
    for hook in rubric.parent.rglob("pre-commit"):
        hook.chmod(0o755)
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    git(other, "commit", "-q", "--allow-empty", "-m", "mine")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    before = _snapshot(rubric.parent)

    code, out, _ = cli("rubrics", "test", str(rubric))

    assert code == 0, out
    assert not marker.exists()
    assert _snapshot(rubric.parent) == before
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_WORK_TREE")
    assert git(other, "rev-list", "--count", "HEAD").strip() == "1"


def test_fixture_history_adds_one_commit_per_line(tmp_path):
    folder = tmp_path / "fx"
    write_files(folder, {"a.py": "x = 1\n", fx.HISTORY: "# comment\nalice: Add model (#1)\n\nbob: Fix bug (#2)\n",
                         "expected.yaml": "seeded: pass\n"})
    repo = tmp_path / "repo"
    fx.build_repository(folder, repo)
    log = subprocess.run(["git", "log", "--format=%an|%s"], cwd=repo, capture_output=True, text=True, check=True).stdout
    assert log.splitlines() == ["bob|Fix bug (#2)", "alice|Add model (#1)", "Fixture|fixture"]
    assert not (repo / fx.HISTORY).exists() and not (repo / "expected.yaml").exists()


# -- a team's own rubrics, from a folder or the config -------------------------------------
def _rubric(rubric_id: str) -> str:
    return TEAM.replace("id: team\n", f"id: {rubric_id}\n", 1)


def test_scan_loads_every_rubric_in_a_folder(cli, repo_factory, tmp_path):
    repo = repo_factory({"train.py": SEEDED})
    folder = tmp_path / "checks"
    write_files(folder, {"a.yaml": _rubric("team-a"), "b.yml": _rubric("team-b"), "README.md": "# not a rubric\n"})

    code, out, err = cli("scan", str(repo), "--rubric", str(folder), "--format", "json", "-o", "-", "-q")

    assert code == 0, err
    results = {r["check"]: r["status"] for r in json.loads(out)["results"]}
    assert results["team-a/seeded-splits"] == "pass" and results["team-b/seeded-splits"] == "pass"


def test_an_error_in_one_file_of_a_folder_names_that_file_and_line(cli, repo_factory, tmp_path):
    repo = repo_factory({"train.py": SEEDED})
    folder = tmp_path / "checks"
    bad = _rubric("team-b").replace("severity", "sevrity").replace("    title: Every random split is seeded.\n",
                                                                    "    title: Every random split is seeded.\n    colour: red\n")
    write_files(folder, {"a.yaml": _rubric("team-a"), "b.yaml": bad})

    code, _, err = cli("scan", str(repo), "--rubric", str(folder), "-q")

    assert code == 2
    line = bad.splitlines().index("    colour: red") + 1
    assert f"error: {folder / 'b.yaml'}:{line}: checks[0].colour: unknown key `colour`" in err


def test_config_rubrics_may_name_a_folder(cli, repo_factory, tmp_path):
    repo = repo_factory({"train.py": UNSEEDED, ".mlaudit.yaml": "rubrics: [ci/checks]\nbuiltin_rubrics: false\n",
                         "ci/checks/team.yaml": TEAM})
    code, out, err = cli("scan", str(repo), "--format", "json", "-o", "-", "-q")
    assert code == 0, err
    results = {r["check"]: r["status"] for r in json.loads(out)["results"]}
    assert results == {"team/seeded-splits": "fail", "team/seeded": "fail"}


def test_an_empty_rubric_folder_is_an_error_not_an_empty_rubric(cli, repo_factory, tmp_path):
    repo = repo_factory({"train.py": SEEDED})
    empty = tmp_path / "checks"
    empty.mkdir()
    code, _, err = cli("scan", str(repo), "--rubric", str(empty), "-q")
    assert code == 2
    assert f"error: {empty}: no rubric files (*.yaml, *.yml) in this folder" in err
