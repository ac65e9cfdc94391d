"""The `mlaudit` command end to end: on small fixture repositories and on the bundled example."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, ROOT, git, make_repo, notebook, run_module, write_files

from mlaudit import __version__
from mlaudit.probes.registry import all_probes

PROBES = sorted(all_probes())  # every registered probe: the CLI must list and run them all
# Every built-in rubric, in the order reports list them (by id).
RUBRIC_IDS = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "rubrics").glob("*.yaml"))

SMALL = {
    "train.py": ("import random\nimport numpy as np\nfrom sklearn.model_selection import train_test_split\n\n"
                 "random.seed(0)\nnp.random.seed(0)\nX_tr, X_te = train_test_split([1, 2, 3, 4], random_state=0)\n"),
    "tests/test_train.py": "def test_one():\n    assert 1 + 1 == 2\n",
    "analysis.ipynb": notebook([("code", "x = 1", 1), ("code", "y = x + 1", 2)]),
}


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def example_lines(rel: str, needle: str) -> list[int]:
    """Lines of the bundled example's file that contain `needle` (so edits to the example move the test too)."""
    lines = (EXAMPLE / rel).read_text(encoding="utf-8").splitlines()
    found = [i for i, line in enumerate(lines, 1) if needle in line]
    assert found, f"{needle!r} not in {rel}"
    return found


# The example's one unseeded random split (`X_train, ... = train_test_split(X, y, ..., stratify=y)`).
SPLIT_LINE = example_lines("churn/train.py", "= train_test_split(")[0]
SEED_LINES = example_lines("churn/train.py", ".seed(")


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The bundled example as a git repository of its own (in the source tree it sits inside ours)."""
    root = tmp_path_factory.mktemp("example") / "churn-model"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(
        "__pycache__", ".pytest_cache", ".ipynb_checkpoints", "models", "metrics.json"))
    return make_repo(root, {})


@pytest.fixture
def example_report(cli, example, tmp_path) -> dict:
    code, _, err = cli("scan", str(example), "--format", "json", "-o", str(tmp_path / "out.json"))
    assert code == 0, err
    return json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))


def by_check(report: dict) -> dict[str, dict]:
    return {r["check"]: r for r in report["results"]}


def score_text(r: dict) -> str:
    if r["score"] is None:
        return "n/a"
    return f"{r['score']:g} / {r['max_score']:g}" if r["scoring"] == "ml-test-score" else f"{r['score']:g}%"


# -- scan: outputs --------------------------------------------------------------------------
def test_scan_writes_html_report_in_the_cwd_by_default(cli, repo_factory, tmp_path):
    repo = repo_factory(SMALL)
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()

    code, out, err = cli("scan", str(repo), cwd=cwd)

    assert code == 0, err
    report = cwd / "mlaudit-report.html"
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (repo / "mlaudit-report.html").exists()
    assert not list(cwd.glob("*.json"))
    assert "Report written to mlaudit-report.html" in out
    assert err == ""


def test_scan_defaults_to_the_current_folder(cli, repo_factory):
    repo = repo_factory(SMALL)
    code, _, err = cli("scan", "--format", "json", cwd=repo)
    assert code == 0, err
    report = json.loads((repo / "mlaudit-report.json").read_text(encoding="utf-8"))
    assert report["target"]["commit"] == head(repo)


def test_scan_json_matches_the_contract(cli, repo_factory, tmp_path):
    repo = repo_factory(SMALL)
    code, out, err = cli("scan", str(repo), "--format", "json", "-o", "out.json")
    assert code == 0, err
    assert "Report written to out.json" in out
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))

    assert report["schema_version"] == "1"
    assert report["tool"] == {"name": "mlaudit", "version": __version__}
    assert report["target"]["path"] == str(repo.resolve())
    assert report["target"]["commit"] == head(repo)
    assert re.fullmatch(r"[0-9a-f]{40}", report["target"]["commit"])
    assert report["target"]["git"] is True and report["target"]["branch"] == "main"
    assert isinstance(report["warnings"], list)

    assert [r["id"] for r in report["rubrics"]] == RUBRIC_IDS
    for rubric in report["rubrics"]:
        assert {"id", "title", "score", "max_score", "band", "sections"} <= rubric.keys()
        assert isinstance(rubric["title"], str) and rubric["title"]
        assert rubric["sections"] and all({"id", "score", "max"} <= s.keys() for s in rubric["sections"])
    mts = next(r for r in report["rubrics"] if r["id"] == "ml-test-score")
    assert [s["id"] for s in mts["sections"]] == ["data", "model", "infra", "monitor"]
    assert mts["score"] == min(s["score"] for s in mts["sections"])
    assert isinstance(mts["band"], str)

    assert report["results"]
    for r in report["results"]:
        assert {"check", "rubric", "status", "points", "max_points", "title", "evidence", "sources"} <= r.keys()
        assert r["check"].startswith(r["rubric"] + "/")
        assert r["status"] in {"pass", "partial", "fail", "not_applicable", "not_observable", "error"}
        assert 0 <= r["points"] <= r["max_points"]
        for e in r["evidence"]:
            assert {"path", "line", "cell", "message"} <= e.keys()
        assert r["sources"] and all({"title", "url", "section"} <= s.keys() for s in r["sources"])
        assert all(s["url"].startswith("http") for s in r["sources"])
    assert {r["rubric"] for r in report["results"]} == set(RUBRIC_IDS)
    # per rubric, the sections' checks add up to the rubric's results
    for rubric in report["rubrics"]:
        assert sum(s["checks"] for s in rubric["sections"]) == sum(
            1 for r in report["results"] if r["rubric"] == rubric["id"])


def test_scan_writes_each_format_to_its_output(cli, repo_factory, tmp_path):
    repo = repo_factory(SMALL)
    code, out, err = cli("scan", str(repo), "--format", "html", "--format", "json", "-o", "a.html", "-o", "b.json")
    assert code == 0, err
    assert (tmp_path / "a.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["schema_version"] == "1"
    assert "Report written to a.html" in out and "Report written to b.json" in out
    assert not (tmp_path / "mlaudit-report.html").exists()


def test_scan_fills_missing_outputs_with_defaults(cli, repo_factory, tmp_path):
    repo = repo_factory(SMALL)
    code, _, err = cli("scan", str(repo), "--format", "html", "--format", "json", "-o", "a.html")
    assert code == 0, err
    assert (tmp_path / "a.html").exists()
    assert (tmp_path / "mlaudit-report.json").exists()


def test_scan_more_outputs_than_formats_is_a_usage_error(cli, repo_factory, tmp_path):
    repo = repo_factory(SMALL)
    code, _, err = cli("scan", str(repo), "--format", "html", "-o", "a.html", "-o", "b.json")
    assert code == 2
    assert "2 --output for 1 --format" in err
    assert not (tmp_path / "a.html").exists()


def test_scan_without_format_takes_it_from_each_output_extension(cli, repo_factory, tmp_path):
    repo = repo_factory(SMALL)
    code, _, err = cli("scan", str(repo), "-o", "a.html", "-o", "b.json", "-q")
    assert code == 0, err
    assert (tmp_path / "a.html").read_text().startswith("<!DOCTYPE html>")
    assert json.loads((tmp_path / "b.json").read_text())["schema_version"] == "1"
    code, _, err = cli("scan", str(repo), "-o", "report.txt")
    assert code == 2 and "cannot tell the format of report.txt" in err


def test_scan_json_to_stdout_puts_the_summary_on_stderr(cli, repo_factory, tmp_path):
    repo = repo_factory(SMALL)
    code, out, err = cli("scan", str(repo), "--format", "json", "-o", "-")
    assert code == 0, err
    report = json.loads(out)  # stdout is nothing but the JSON
    assert report["target"]["commit"] == head(repo)
    for rubric in report["rubrics"]:
        assert f"({rubric['id']})" in err
    assert "Report written" not in err
    assert list(tmp_path.glob("mlaudit-report.*")) == []


def test_scan_quiet_prints_nothing_but_writes_the_report(cli, repo_factory, tmp_path):
    repo = repo_factory(SMALL)
    code, out, err = cli("scan", str(repo), "--quiet", "--format", "json", "-o", "q.json")
    assert (code, out, err) == (0, "", "")
    assert json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))["schema_version"] == "1"

    code, out, err = cli("scan", str(repo), "-q", "--format", "json", "-o", "-")
    assert code == 0 and err == ""
    assert json.loads(out)["schema_version"] == "1"


def test_scan_missing_path_exits_2(cli, tmp_path):
    code, out, err = cli("scan", str(tmp_path / "no-such-repo"))
    assert code == 2
    assert "does not exist" in err
    assert out == ""
    assert not (tmp_path / "mlaudit-report.html").exists()


def test_scan_of_a_file_exits_2(cli, tmp_path):
    (tmp_path / "file.py").write_text("x = 1\n", encoding="utf-8")
    code, _, err = cli("scan", str(tmp_path / "file.py"))
    assert code == 2
    assert "is a file" in err


def test_unknown_option_exits_2(cli, repo_factory):
    repo = repo_factory(SMALL)
    code, _, err = cli("scan", str(repo), "--bogus")
    assert code == 2
    assert "No such option" in err and "--bogus" in err
    code, _, err = cli("scan", str(repo), "--format", "pdf")
    assert code == 2
    assert "pdf" in err


def test_unknown_command_exits_2(cli):
    code, _, err = cli("scna")
    assert code == 2
    assert "No such command" in err


def test_version(cli):
    code, out, _ = cli("--version")
    assert code == 0
    assert out.strip() == f"mlaudit, version {__version__}"


# -- scan: repositories without history -----------------------------------------------------
def test_scan_folder_without_git(cli, tmp_path):
    folder = tmp_path / "plain"
    write_files(folder, SMALL)
    code, out, err = cli("scan", str(folder), "--format", "json", "-o", "-")
    assert code == 0, err
    report = json.loads(out)
    assert report["target"]["commit"] is None
    assert report["target"]["git"] is False
    assert report["target"]["name"] == "plain"
    results = by_check(report)
    assert results["notebooks/execution-order"]["status"] == "pass"
    assert results["ml-test-score/infra-1"]["status"] != "pass"


def test_scan_git_repo_without_commits(cli, repo_factory):
    repo = repo_factory(SMALL, commit=False)
    code, out, err = cli("scan", str(repo), "--format", "json", "-o", "-")
    assert code == 0, err
    report = json.loads(out)
    assert report["target"]["git"] is True
    assert report["target"]["commit"] is None
    assert by_check(report)["notebooks/execution-order"]["status"] == "pass"  # files are still read


# -- the bundled example --------------------------------------------------------------------
def test_example_findings(example, example_report):
    results = by_check(example_report)
    assert example_report["target"]["commit"] == head(example)
    assert example_report["target"]["name"] == "churn-model"

    infra1 = results["ml-test-score/infra-1"]
    assert infra1["status"] == "fail"
    assert infra1["points"] == 0
    assert [(e["path"], e["line"]) for e in infra1["evidence"]] == [("churn/train.py", SPLIT_LINE)]
    assert infra1["sources"][0]["section"] == "IV. Tests for ML Infrastructure, Infra 1"

    data7 = results["ml-test-score/data-7"]
    assert data7["status"] == "pass"
    assert data7["evidence_class"] == "automated"
    assert data7["points"] == 1.0
    assert {e["path"] for e in data7["evidence"]} >= {".github/workflows/ci.yml"}

    order = results["notebooks/execution-order"]
    assert order["status"] == "fail"
    assert [(e["path"], e["cell"]) for e in order["evidence"]] == [("notebooks/exploration.ipynb", 6)]

    # A 1.6 KB CSV in git is a frozen, versioned copy: not the unstable dependency Sculley means.
    versioning = results["technical-debt/data-versioning"]
    assert versioning["status"] == "not_observable" and versioning["evidence"] == []
    config = results["technical-debt/configuration-debt"]
    assert config["status"] == "fail"
    assert [(e["path"], e["line"]) for e in config["evidence"]] == [("churn/train.py", 34)]


def test_example_ml_test_score_has_28_tests_and_never_passes_what_it_cannot_see(example_report):
    mts = [r for r in example_report["results"] if r["rubric"] == "ml-test-score"]
    assert len(mts) == 28
    rubric = next(r for r in example_report["rubrics"] if r["id"] == "ml-test-score")
    assert [(s["id"], s["max"], s["checks"]) for s in rubric["sections"]] == [
        ("data", 7, 7), ("model", 7, 7), ("infra", 7, 7), ("monitor", 7, 7)]
    assert rubric["max_score"] == 7
    assert rubric["score"] == min(s["score"] for s in rubric["sections"])

    unprobed = [r for r in mts if not r["probes"]]
    assert len(unprobed) == 13
    assert {r["status"] for r in unprobed} == {"not_observable"}
    assert all(r["points"] == 0 for r in unprobed)
    # Probed checks that cannot see their evidence (review without history, monitoring) say so too.
    unseen = rubric["counts"]["not_observable"]
    assert unseen > 20
    assert f"{unseen} of 28 tests are not observable" in rubric["denominator"]
    by_id = {r["check"]: r for r in mts}
    assert (by_id["ml-test-score/data-7"]["status"], by_id["ml-test-score/data-7"]["points"]) == ("pass", 1)
    assert by_id["ml-test-score/infra-2"]["evidence_class"] == "absent"


def test_example_summary_names_scores_worst_findings_and_report(cli, example, tmp_path):
    code, out, err = cli("scan", str(example), "--format", "json", "-o", "summary.json")
    assert code == 0, err
    report = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))

    assert example_head_line(out, example)
    for rubric in report["rubrics"]:
        line = next((ln for ln in out.splitlines() if f"({rubric['id']})" in ln), None)
        assert line is not None, f"no line for {rubric['id']}"
        assert score_text(rubric) in line
    assert any("(ml-test-score)" in ln and "0 / 7" in ln for ln in out.splitlines())
    assert "Worst findings" in out
    worst = out[out.index("Worst findings"):]
    for check, where in [("ml-test-score/infra-1", f"churn/train.py:{SPLIT_LINE}"),
                         ("technical-debt/reproducibility-debt", f"churn/train.py:{SPLIT_LINE}")]:
        line = next((ln for ln in worst.splitlines() if check in ln), None)
        assert line is not None, f"{check} not among the worst findings"
        assert "fail" in line and where in line
    assert "ml-test-score/data-7" not in worst  # a pass is not a finding
    assert out.rstrip().endswith("Report written to summary.json")


def example_head_line(out: str, example: Path) -> bool:
    first = out.splitlines()[0]
    return first.startswith(f"mlaudit {__version__}") and "churn-model" in first and head(example)[:10] in first


def test_subprocess_exit_codes(example, tmp_path):
    done = run_module("scan", str(example), "--format", "json", "-o", "sub.json", cwd=tmp_path,
                      env={"MLAUDIT_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "sub.json").read_text(encoding="utf-8"))["target"]["commit"] == head(example)
    assert "Report written to sub.json" in done.stdout

    bad = run_module("scan", str(tmp_path / "missing"), cwd=tmp_path)
    assert bad.returncode == 2
    assert "does not exist" in bad.stderr
    assert "Traceback" not in bad.stderr


# -- probe ----------------------------------------------------------------------------------
def test_probe_json_on_the_example(cli, example):
    code, out, err = cli("probe", str(example), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["schema_version"] == "1"
    assert payload["target"]["path"] == str(example.resolve())
    assert payload["target"]["commit"] == head(example)
    assert sorted(payload["probes"]) == PROBES
    for pid, probe in payload["probes"].items():
        assert probe["outcome"] in {"true", "false", "not_applicable", "not_observable", "error"}, pid
        assert isinstance(probe["values"], dict)
        for e in probe["evidence"]:
            assert set(e) == {"path", "line", "cell", "commit", "detail"}
    outcomes = {pid: p["outcome"] for pid, p in payload["probes"].items()}
    spine = {"seeds.set": "true", "splits.unseeded": "true", "tests.present": "true",
             "ci.runs_tests": "true", "notebooks.out_of_order": "true", "data.versioning": "false"}
    assert {pid: outcomes[pid] for pid in spine} == spine
    assert {(e["path"], e["line"]) for e in payload["probes"]["splits.unseeded"]["evidence"]} == {
        ("churn/train.py", SPLIT_LINE)}
    assert [(e["path"], e["line"]) for e in payload["probes"]["seeds.set"]["evidence"]] == [
        ("churn/train.py", n) for n in SEED_LINES]
    assert "random" in payload["probes"]["seeds.set"]["values"]["libraries"]
    assert payload["probes"]["notebooks.out_of_order"]["evidence"][0]["cell"] == 6
    assert payload["warnings"] == []


def test_probe_list(cli):
    code, out, _ = cli("probe", "--list")
    assert code == 0
    lines = out.splitlines()
    assert [ln.split()[0] for ln in lines] == PROBES
    assert all(ln.rstrip().endswith("?") for ln in lines)  # each line is the probe's question


def test_probe_only_one(cli, example):
    code, out, err = cli("probe", str(example), "--probe", "seeds.set")
    assert code == 0, err
    assert out.splitlines()[0] == "seeds.set: true"
    assert all(f"churn/train.py:{n}" in out for n in SEED_LINES)
    assert not any(pid in out for pid in PROBES if pid != "seeds.set")

    code, out, _ = cli("probe", str(example), "--probe", "seeds.set", "--probe", "tests.present", "--json")
    assert code == 0
    assert sorted(json.loads(out)["probes"]) == ["seeds.set", "tests.present"]


def test_probe_unknown_name_exits_2(cli, example):
    code, _, err = cli("probe", str(example), "--probe", "seeds.sett")
    assert code == 2
    assert "unknown probe 'seeds.sett'" in err and "did you mean seeds.set?" in err


# -- rubrics list / explain -----------------------------------------------------------------
def test_rubrics_list_names_every_rubric_and_check(cli):
    code, out, _ = cli("rubrics", "list")
    assert code == 0
    for rid in RUBRIC_IDS:
        data = yaml.safe_load((ROOT / "rubrics" / f"{rid}.yaml").read_text(encoding="utf-8"))
        header = next((ln for ln in out.splitlines() if ln.startswith(f"{rid} ")), None)
        assert header is not None, rid
        n = len(data["checks"])
        assert f"({n} check{'' if n == 1 else 's'}, {data['scoring']} scoring, built-in)" in header
        for check in data["checks"]:
            line = next((ln for ln in out.splitlines() if ln.strip().startswith(f"{rid}/{check['id']} ")), None)
            assert line is not None, f"{rid}/{check['id']}"
            assert check["title"] in line
    assert re.search(r"ml-test-score/infra-1 +Training is reproducible\.  \[seeds\.set, splits\.unseeded, deps\.pinned\]", out)


def test_rubrics_list_has_the_28_ml_test_score_tests(cli):
    _, out, _ = cli("rubrics", "list")
    assert "(28 checks, ml-test-score scoring, built-in)" in out
    ids = re.findall(r"ml-test-score/(\S+)", out)
    assert sorted(ids) == sorted(f"{s}-{i}" for s in ("data", "model", "infra", "monitor") for i in range(1, 8))


def test_explain_infra_1(cli):
    code, out, _ = cli("explain", "ml-test-score/infra-1")
    assert code == 0
    data = yaml.safe_load((ROOT / "rubrics" / "ml-test-score.yaml").read_text(encoding="utf-8"))
    check = next(c for c in data["checks"] if c["id"] == "infra-1")
    flat = " ".join(out.split())

    assert out.startswith("ml-test-score/infra-1: Training is reproducible.")
    assert "Why it matters" in out and " ".join(check["rationale"].split()) in flat
    assert "How to fix it" in out and " ".join(check["remediation"].split()) in flat
    assert ("The ML Test Score: A Rubric for ML Production Readiness and Technical Debt Reduction (2017), "
            "IV. Tests for ML Infrastructure, Infra 1") in out
    assert "https://research.google/pubs/pub46555/" in out
    probes = out[out.index("\nProbes\n"):]
    assert "seeds.set: Is global random seeding done" in probes
    assert "splits.unseeded: Is data split or shuffled at random without a fixed seed?" in probes
    assert "if splits.unseeded is true: fail, implemented" in out
    assert "otherwise: fail" in out


def test_explain_a_check_without_probes_says_it_is_never_a_pass(cli):
    data = yaml.safe_load((ROOT / "rubrics" / "ml-test-score.yaml").read_text(encoding="utf-8"))
    unprobed = [c["id"] for c in data["checks"] if not c.get("probes")]
    assert unprobed, "the ML Test Score rubric should have checks mlaudit cannot observe"
    code, out, _ = cli("explain", f"ml-test-score/{unprobed[0]}")
    assert code == 0
    assert "reported as not observable, never as a pass" in out
    assert "otherwise: not_observable" in out


def test_explain_unknown_check_suggests(cli):
    code, out, err = cli("explain", "ml-test-score/infra-9")
    assert code == 2
    assert out == ""
    assert "no check or probe 'ml-test-score/infra-9'; did you mean ml-test-score/infra-" in err


def test_explain_unknown_rubric_points_at_the_list(cli):
    code, _, err = cli("explain", "nope/nothing-like-it")
    assert code == 2
    assert "`mlaudit rubrics list` shows them" in err


def test_explain_a_custom_rubric_check(cli, tmp_path):
    src = (ROOT / "rubrics" / "notebooks.yaml").read_text(encoding="utf-8")
    custom = tmp_path / "team.yaml"
    custom.write_text(src.replace("id: notebooks", "id: team-notebooks", 1), encoding="utf-8")
    code, out, err = cli("explain", "team-notebooks/execution-order", "--rubric", str(custom))
    assert code == 0, err
    assert out.startswith("team-notebooks/execution-order: Notebooks were run top to bottom.")


def test_reports_are_written_atomically_with_the_usual_permissions(cli, repo_factory, tmp_path):
    import os
    import stat

    repo = repo_factory(SMALL)
    old = os.umask(0o022)
    try:
        code, _, err = cli("scan", str(repo), "-o", "out/report.html", "-q")
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "out" / "report.html").stat().st_mode) == 0o644
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.html"]  # no temp file left behind


def test_explain_a_probe_prints_its_docstring(cli):
    code, out, err = cli("explain", "seeds.set")
    assert code == 0, err
    assert out.startswith("seeds.set: Is global random seeding done")
    assert "outcomes:" in out


def test_escape_sequences_from_the_repository_never_reach_the_terminal(repo_factory, cli):
    name = "tr\x1b]0;owned\x07ain.py"
    repo = repo_factory({name: "from sklearn.model_selection import train_test_split\na, b = train_test_split([1, 2])\n"})
    for args in (("probe", str(repo), "--probe", "splits.unseeded"), ("scan", str(repo), "-o", "r.html")):
        code, out, err = cli(*args)
        assert code == 0, err
        assert "\x1b" not in out + err and "\x07" not in out + err
        assert "tr\\x1b]0;owned\\x07ain.py" in out
