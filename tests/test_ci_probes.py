"""ci.runs_tests and ci.scheduled on small real git repositories: values, outcomes and the
cases the annotated fixtures (probe_fixtures/ci-*) cannot express."""

from __future__ import annotations

from conftest import git

from mlaudit.probes.model import Outcome
from mlaudit.scan import ScanOptions, run_probes

CODE = {"src/app.py": "x = 1\n", "tests/test_app.py": "def test_x():\n    assert True\n"}


def probe(repo, probe_id):
    _, results = run_probes(repo, ScanOptions(use_cache=False), [probe_id])
    return results[probe_id]


def workflow(on: str, run: str = "pytest -q") -> str:
    return f"on:\n{on}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {run}\n"


# -- triggers and branches --------------------------------------------------------------------
def test_triggers_and_branches_of_the_runs_that_count(repo_factory):
    repo = repo_factory({**CODE, ".github/workflows/ci.yml": workflow(
        "  push:\n    branches: [main, 'release/*']\n  pull_request:\n    branches: [main]\n  merge_group:"),
        ".github/workflows/manual.yml": workflow("  workflow_dispatch:")})
    r = probe(repo, "ci.runs_tests")
    assert r.outcome is Outcome.true
    assert r.values["systems"] == ["github-actions"]
    assert r.values["triggers"] == ["merge_group", "pull_request", "push"]
    assert r.values["branches"] == ["main", "release/*"]
    assert r.values["test_steps"] == 1
    assert r.values["runs"][0]["chain"] == [".github/workflows/ci.yml:11 runs `pytest -q`"]
    assert "push to main, release/*" in r.evidence[0].detail


def test_workflow_dispatch_only_and_schedule_only_do_not_count(repo_factory):
    repo = repo_factory({**CODE, ".github/workflows/a.yml": workflow("  workflow_dispatch:"),
                         ".github/workflows/b.yml": workflow("  schedule:\n    - cron: '0 1 * * *'")})
    r = probe(repo, "ci.runs_tests")
    assert r.outcome is Outcome.false
    assert r.message == "CI runs tests, but never on push or pull request to the default branch"
    assert r.values["test_steps"] == 0 and r.values["triggers"] == []
    assert {e.detail.rsplit(": ", 1)[1] for e in r.evidence} == {"only on workflow_dispatch", "only on schedule"}


def test_the_default_branch_is_the_checked_out_one(repo_factory, tmp_path):
    files = {**CODE, ".github/workflows/ci.yml": workflow("  push:\n    branches: [develop]")}
    repo = repo_factory(files)
    assert probe(repo, "ci.runs_tests").outcome is Outcome.false  # on main, pushes to develop never run it
    git(repo, "checkout", "-q", "-b", "develop")
    assert probe(repo, "ci.runs_tests").outcome is Outcome.true


def test_main_or_master_is_assumed_on_a_detached_head(repo_factory):
    repo = repo_factory({**CODE, ".github/workflows/ci.yml": workflow("  push:\n    branches: [master]")})
    git(repo, "checkout", "-q", "--detach")
    r = probe(repo, "ci.runs_tests")
    assert r.outcome is Outcome.true and r.values["branches"] == ["master"]


def test_workflow_run_follows_the_workflow_it_waits_for(repo_factory):
    repo = repo_factory({**CODE, ".github/workflows/build.yml": "name: build\non: [push]\njobs:\n  b:\n    steps:\n"
                                                                "      - run: docker build .\n",
                         ".github/workflows/test.yml": workflow("  workflow_run:\n    workflows: [build]\n"
                                                               "    types: [completed]")})
    r = probe(repo, "ci.runs_tests")
    assert r.outcome is Outcome.true and r.values["triggers"] == ["push"]
    assert "on push (after workflow `build`)" in r.evidence[0].detail


def test_paths_filters_are_judged_against_the_code_files(repo_factory):
    only_docs = workflow("  push:\n    paths: ['docs/**']\n  pull_request:\n    paths-ignore: ['**/*.py']")
    r = probe(repo_factory({**CODE, ".github/workflows/ci.yml": only_docs}), "ci.runs_tests")
    assert r.outcome is Outcome.false
    assert "push only for changes to docs/**" in r.evidence[0].detail
    src_only = workflow("  push:\n    paths: ['src/**', '!src/**/*.md']")
    assert probe(repo_factory({**CODE, ".github/workflows/ci.yml": src_only}), "ci.runs_tests").outcome is Outcome.true


# -- indirection --------------------------------------------------------------------------------
def test_make_follows_variables_prerequisites_includes_and_recursion(repo_factory):
    repo = repo_factory({**CODE, ".github/workflows/ci.yml": workflow("  push:", "make ci"),
                         "Makefile": "include make/test.mk\n\nci: lint\n\t$(MAKE) -C . unit\n\nlint:\n\truff .\n"
                                     "\nloop: loop2\nloop2: loop\n",
                         "make/test.mk": "PYTEST := $(VENV)/bin/pytest\n\nunit:\n\t@$(PYTEST) tests\n"})
    r = probe(repo, "ci.runs_tests")
    assert r.outcome is Outcome.true
    assert r.values["runs"][0]["chain"] == [".github/workflows/ci.yml:7 runs `make ci`",
                                            "Makefile:4 runs `make -C . unit`", "make/test.mk:4 runs `/bin/pytest tests`"]
    loop = repo_factory({**CODE, ".github/workflows/ci.yml": workflow("  push:", "make loop"),
                         "Makefile": "loop: loop2\n\t$(MAKE) loop2\nloop2: loop\n\t$(MAKE) loop\n"})
    assert probe(loop, "ci.runs_tests").outcome is Outcome.false  # a cycle ends, it does not hang


def test_tox_in_every_configuration_file(repo_factory):
    ci = {".github/workflows/ci.yml": workflow("  push:", "tox")}
    legacy = repo_factory({**CODE, **ci, "pyproject.toml": '[tool.tox]\nlegacy_tox_ini = """\n[tox]\nenvlist = py\n'
                           '\n[testenv]\ncommands =\n    lint: flake8\n    pytest {posargs}\n"""\n'})
    r = probe(legacy, "ci.runs_tests")
    assert r.values["runs"][0]["chain"][1] == "pyproject.toml:9 runs `pytest`"
    native = repo_factory({**CODE, **ci, "tox.toml": 'env_list = ["lint", "3.12"]\n\n[env_run_base]\n'
                           'commands = [["pytest", { replace = "posargs", default = ["tests"] }]]\n\n'
                           '[env.lint]\ncommands = [["ruff", "check"]]\n'})
    assert probe(native, "ci.runs_tests").values["runs"][0]["chain"][1] == "tox.toml:4 runs `pytest tests`"
    setup_cfg = repo_factory({**CODE, **ci, "setup.cfg": "[tox:tox]\nenvlist = lint\n\n[testenv:lint]\n"
                              "commands = flake8\n"})
    assert probe(setup_cfg, "ci.runs_tests").outcome is Outcome.false  # the only env in the list lints


def test_nox_default_sessions_and_sessions_that_only_lint(repo_factory):
    noxfile = ("import nox\n\nnox.options.sessions = ['lint']\n\n\n@nox.session\ndef lint(session):\n"
               "    session.run('ruff', 'check')\n\n\n@nox.session(default=False)\ndef tests(session):\n"
               "    session.run('pytest')\n")
    repo = repo_factory({**CODE, "noxfile.py": noxfile, ".github/workflows/a.yml": workflow("  push:", "nox")})
    assert probe(repo, "ci.runs_tests").outcome is Outcome.false
    repo = repo_factory({**CODE, "noxfile.py": noxfile, ".github/workflows/a.yml": workflow("  push:", "nox -s tests-3.11")})
    r = probe(repo, "ci.runs_tests")
    assert r.values["runs"][0]["chain"][1] == "noxfile.py:13 runs `pytest`"


def test_pre_commit_named_hook_and_default_stage(repo_factory):
    config = ("repos:\n  - repo: local\n    hooks:\n      - id: tests\n        entry: python -m pytest\n"
              "        language: system\n        stages: [pre-push]\n")
    run_all = repo_factory({**CODE, ".pre-commit-config.yaml": config,
                            ".github/workflows/a.yml": workflow("  push:", "pre-commit run --all-files")})
    assert probe(run_all, "ci.runs_tests").outcome is Outcome.false  # a pre-push hook is not in the default stage
    named = repo_factory({**CODE, ".pre-commit-config.yaml": config,
                          ".github/workflows/a.yml": workflow("  push:", "pre-commit run tests --hook-stage push")})
    assert probe(named, "ci.runs_tests").values["runs"][0]["chain"][1] == ".pre-commit-config.yaml:5 runs `python -m pytest`"


def test_task_runners_just_poe_pdm_invoke(repo_factory):
    files = {**CODE, "justfile": "default: test\n\ntest:\n    pytest tests\n",
             "pyproject.toml": '[tool.poe.tasks]\ncheck = ["lint", "unit"]\nlint = "ruff ."\nunit = "pytest"\n\n'
                               '[tool.pdm.scripts]\ntest = {cmd = "pytest -x"}\n',
             "tasks.py": "from invoke import task\n\n\n@task\ndef test(c):\n    c.run('pytest -q')\n"}
    for command, link in (("just test", "justfile:4 runs `pytest tests`"),
                          ("poe check", "pyproject.toml:2 runs `unit`"),
                          ("pdm run test", "pyproject.toml:7 runs `pytest -x`"),
                          ("invoke test", "tasks.py:6 runs `pytest -q`")):
        r = probe(repo_factory({**files, ".github/workflows/a.yml": workflow("  push:", command)}), "ci.runs_tests")
        assert r.outcome is Outcome.true, command
        assert r.values["runs"][0]["chain"][1] == link, command


def test_lines_that_mention_pytest_without_running_it(repo_factory):
    steps = "\n".join(f"      - run: {c}" for c in (
        "pip install pytest", "python -m pip install -U pytest pytest-cov", "echo pytest", "which pytest",
        "pytest --version", "pytest --collect-only", "python -m pytest -h", "# pytest", "uv pip install pytest",
        "conda install -y pytest"))
    repo = repo_factory({**CODE, ".github/workflows/a.yml": f"on: push\njobs:\n  t:\n    steps:\n{steps}\n"})
    r = probe(repo, "ci.runs_tests")
    assert r.outcome is Outcome.false and r.message == "CI is configured but runs no test command"


# -- GitLab -------------------------------------------------------------------------------------
def test_gitlab_merge_request_only_and_workflow_rules(repo_factory):
    mr = repo_factory({**CODE, ".gitlab-ci.yml": "test:\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\n"
                                                 "  script:\n    - pytest\n"})
    r = probe(mr, "ci.runs_tests")
    assert r.outcome is Outcome.true and r.values["triggers"] == ["pull_request"]
    scheduled_only = repo_factory({**CODE, ".gitlab-ci.yml": (
        "workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == 'schedule'\n\n"
        "test:\n  script:\n    - pytest\n")})
    r = probe(scheduled_only, "ci.runs_tests")
    assert r.outcome is Outcome.false and "only in scheduled pipelines" in r.evidence[0].detail
    s = probe(scheduled_only, "ci.scheduled")
    assert s.outcome is Outcome.true
    assert s.values["schedules"] == [{"system": "gitlab-ci", "cron": None, "runs_tests": True, "runs": "tests: `pytest`",
                                      "path": ".gitlab-ci.yml", "line": 3}]


def test_gitlab_child_pipeline_and_only_variables(repo_factory):
    repo = repo_factory({**CODE, ".gitlab-ci.yml": (
        "variables:\n  SUITE: unit\n\nchild:\n  trigger:\n    include: ci/child.yml\n\n"
        "flagged:\n  only:\n    variables:\n      - $SUITE == 'e2e'\n  script:\n    - pytest tests/e2e\n"),
        "ci/child.yml": "unit:\n  script:\n    - python -m pytest tests\n"})
    r = probe(repo, "ci.runs_tests")
    assert [(e.path, e.line) for e in r.evidence] == [("ci/child.yml", 3)]


# -- scheduled ------------------------------------------------------------------------------------
def test_scheduled_values_say_what_runs(repo_factory):
    repo = repo_factory({**CODE, ".github/workflows/nightly.yml": (
        "on:\n  schedule:\n    - cron: '0 3 * * *'\n    - cron: '0 15 * * *'\njobs:\n  t:\n    steps:\n"
        "      - run: pip install -e .\n      - run: tox -e py\n"),
        ".github/workflows/train.yml": ("on:\n  schedule:\n    - cron: '0 0 * * 0'\njobs:\n  t:\n    steps:\n"
                                        "      - run: dvc repro train\n"),
        "tox.ini": "[testenv]\ncommands = pytest\n"})
    r = probe(repo, "ci.scheduled")
    assert r.outcome is Outcome.true and r.values["runs_tests"] is True and r.values["count"] == 3
    crons = {(s["path"], s["line"]): (s["cron"], s["runs_tests"], s["runs"]) for s in r.values["schedules"]}
    assert crons == {(".github/workflows/nightly.yml", 3): ("0 3 * * *", True, "tests: `tox -e py`"),
                     (".github/workflows/nightly.yml", 4): ("0 15 * * *", True, "tests: `tox -e py`"),
                     (".github/workflows/train.yml", 3): ("0 0 * * 0", False, "training: `dvc repro train`")}


def test_scheduled_false_says_where_schedules_would_be(repo_factory):
    r = probe(repo_factory({**CODE, ".gitlab-ci.yml": "test:\n  script: pytest\n"}), "ci.scheduled")
    assert r.outcome is Outcome.false
    assert r.message == "no schedule found in the repository; GitLab pipeline schedules would not show here"
    assert r.values == {"schedules": [], "runs_tests": False, "count": 0}


def test_airflow_without_a_schedule_is_not_scheduled(repo_factory):
    repo = repo_factory({"dags/d.py": "from airflow import DAG\n\nd = DAG('x', schedule=None)\n"
                                      "e = DAG('y', schedule_interval=None)\n"})
    assert probe(repo, "ci.scheduled").outcome is Outcome.false


def test_jenkins_scripted_pipeline_poll_and_cron(repo_factory):
    repo = repo_factory({**CODE, "Jenkinsfile": (
        "properties([pipelineTriggers([cron('H 4 * * 1-5'), pollSCM('H/5 * * * *')])])\n"
        "node {\n    stage('Test') {\n        sh(script: \"pytest -q\", returnStatus: true)\n    }\n}\n")})
    r = probe(repo, "ci.runs_tests")
    assert r.outcome is Outcome.true and r.values["assumed_triggers"] == ["jenkins"]
    assert [(e.path, e.line) for e in r.evidence] == [("Jenkinsfile", 4)]
    s = probe(repo, "ci.scheduled")
    assert [(x["cron"], x["runs_tests"], x["line"]) for x in s.values["schedules"]] == [("H 4 * * 1-5", True, 1)]
