"""The ways teams wire mlaudit into CI: `mlaudit init`, the GitHub Action, the pre-commit hook, the GitLab job.

The Action's scan script is run for real, in bash, on a fixture repository, with the variables
GitHub would set; the other integrations are parsed and their commands run through the CLI.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess


import yaml
from conftest import ROOT, git, make_repo

from mlaudit.config import load_config
from mlaudit.resources import ci_templates_dir

UNSEEDED = "from sklearn.model_selection import train_test_split\n\ndef split(X, y):\n    return train_test_split(X, y)\n"


def test_init_writes_a_starter_config_that_loads_and_prints_the_platform_snippet(tmp_path, cli):
    repo = make_repo(tmp_path / "r", {".github/workflows/ci.yml": "on: push\n", "train.py": "x = 1\n"})
    code, out, err = cli("init", str(repo))
    assert code == 0, err
    assert yaml.safe_load(out)["jobs"]["mlaudit"]["steps"][0]["with"]["fetch-depth"] == 0
    loaded = load_config(repo)
    assert loaded.path == repo / ".mlaudit.yaml" and loaded.config.gates.fail_on is None
    assert cli("init", str(repo))[0] == 2  # never overwrites
    gl = make_repo(tmp_path / "g", {".gitlab-ci.yml": "test:\n  script: [pytest]\n"})
    code, out, _ = cli("init", str(gl))
    assert code == 0 and yaml.safe_load(out)["mlaudit"]["artifacts"]["reports"]["codequality"]


def _scripts(action: dict) -> list[str]:
    return [step["run"] for step in action["runs"]["steps"] if "run" in step]


def test_the_action_passes_inputs_through_env_never_into_scripts():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    for script in _scripts(action):
        assert "${{" not in script, script  # template expansion inside a script is an injection hole
    used = {m for step in action["runs"]["steps"] for m in re.findall(r"inputs\.([\w-]+)", yaml.safe_dump(step))}
    assert used == set(action["inputs"])  # every input is used, and only declared ones


def test_the_actions_scan_script_gates_summarises_and_keeps_reports(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    scan = next(s for s in action["runs"]["steps"] if s.get("id") == "scan")
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n", "train.py": "x = 1\n"})
    git(repo, "branch", "-M", "main")
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / "train.py").write_text(UNSEEDED)
    git(repo, "commit", "-qam", "unseeded split")
    out_dir, output, summary = tmp_path / "out", tmp_path / "gh-output", tmp_path / "summary.md"
    env = {**os.environ, "SCAN_PATH": str(repo), "FAIL_UNDER": "", "FAIL_ON": "", "MIN_SEVERITY": "",
           "BASELINE_REF": "", "PR_BASE": base, "OUT": str(out_dir), "GITHUB_OUTPUT": str(output),
           "GITHUB_STEP_SUMMARY": str(summary), "NO_COLOR": "1"}
    proc = subprocess.run(["bash", "-e", "-c", scan["run"]], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr  # the step itself succeeds: the gate step fails the job later
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs["exit-code"] == "1"  # a new unseeded split against the pull request's base
    assert outputs["sarif"] == str(out_dir / "mlaudit.sarif") and (out_dir / "mlaudit-report.html").is_file()
    assert summary.read_text().strip()
    # an input that looks like shell is data: no file appears, the scan reports a usage error
    env.update(PR_BASE="", FAIL_UNDER="x=1;touch${IFS}pwned", GITHUB_OUTPUT=str(tmp_path / "o2"))
    subprocess.run(["bash", "-e", "-c", scan["run"]], env=env, cwd=tmp_path, capture_output=True, text=True,
                   timeout=600)
    assert not (tmp_path / "pwned").exists()
    assert "exit-code=2" in (tmp_path / "o2").read_text()


def test_the_pre_commit_hook_checks_the_whole_repository_against_head(tmp_path, cli):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "mlaudit")
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    argv = shlex.split(hook["entry"])
    assert argv[0] == "mlaudit"
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n", "train.py": "x = 1\n"})
    assert cli(*argv[1:], cwd=repo)[0] == 0  # nothing changed: quiet and green
    (repo / "train.py").write_text(UNSEEDED)
    code, out, err = cli(*argv[1:], cwd=repo)
    assert code == 1 and "train.py" in err + out


def test_the_gitlab_job_writes_the_reports_it_declares(tmp_path):
    job = yaml.safe_load((ci_templates_dir() / "gitlab-ci.yml").read_text())["mlaudit"]
    script = "\n".join(job["script"][1:])  # after the install line
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n", "train.py": UNSEEDED})
    env = {**os.environ, "CI_MERGE_REQUEST_DIFF_BASE_SHA": "", "NO_COLOR": "1"}
    subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    reports = job["artifacts"]["reports"]
    for name in [reports["codequality"], reports["junit"], *job["artifacts"]["paths"]]:
        assert (repo / name).is_file(), name


def test_the_actions_fail_under_takes_every_line_and_a_second_use_reports_only_its_own_files(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    scan = next(s for s in action["runs"]["steps"] if s.get("id") == "scan")
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n", "train.py": "x = 1\n"})
    out_dir = tmp_path / "out"

    def run(fail_under: str, name: str) -> dict[str, str]:
        output = tmp_path / f"{name}-output"
        env = {**os.environ, "SCAN_PATH": str(repo), "FAIL_UNDER": fail_under, "FAIL_ON": "", "MIN_SEVERITY": "",
               "BASELINE_REF": "", "PR_BASE": "", "OUT": str(out_dir), "GITHUB_OUTPUT": str(output),
               "GITHUB_STEP_SUMMARY": str(tmp_path / f"{name}-summary.md"), "NO_COLOR": "1"}
        proc = subprocess.run(["bash", "-e", "-c", scan["run"]], env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return dict(line.split("=", 1) for line in output.read_text().splitlines())

    assert run("ml-test-score=0\ntechnical-debt=100", "block")["exit-code"] == "1"  # the second line counts
    second = run("not-a-pair", "bad")
    assert second["exit-code"] == "2" and "sarif" not in second  # not the first run's file
    assert not (tmp_path / "bad-summary.md").exists()


def test_init_will_not_shadow_a_pyproject_config(tmp_path, cli):
    repo = make_repo(tmp_path / "r", {"pyproject.toml": "[tool.mlaudit]\nmax_file_size = '1MB'\n"})
    code, _, err = cli("init", str(repo))
    assert code == 2 and "pyproject.toml already configures mlaudit" in err
    assert not (repo / ".mlaudit.yaml").exists()


def test_the_pre_commit_hook_lets_the_first_commit_through(tmp_path, cli):
    hook = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "mlaudit")
    repo = tmp_path / "new"
    repo.mkdir()
    (repo / "train.py").write_text(UNSEEDED)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    assert cli(*shlex.split(hook["entry"])[1:], cwd=repo)[0] == 0
