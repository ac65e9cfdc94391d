"""Odd repository content never turns a probe into `error`, and no pattern written in the
repository can stall a scan: real git repositories whose configuration files hold lists, scalars,
invalid or binary text, wrong types, invalid or backtracking patterns and cycles."""

from __future__ import annotations

import os
import random
import re
import subprocess
import time

import pytest
from conftest import GIT_ENV

from mlaudit.probes.ci_configs import expand_braces, parse_ini, parse_makefile
from mlaudit.probes.ci_gitlab_rules import evaluate
from mlaudit.probes.ci_patterns import _regex, _run, _tokens, glob_match, may_backtrack, regex_search
from mlaudit.probes.ci_shell import classify
from mlaudit.probes.model import Outcome
from mlaudit.probes.repo_paths import join
from mlaudit.probes.tests_config import _options, command_args
from mlaudit.scan import ScanOptions, run_probes

# Every configuration file some probe reads.
CONFIG_PATHS = (
    ".github/workflows/ci.yml", ".github/actions/setup/action.yml", ".github/dependabot.yml", ".github/renovate.json",
    ".github/CODEOWNERS", ".gitlab-ci.yml", ".gitlab/ci/jobs.yml", "azure-pipelines.yml", ".pipelines/pr.yml",
    ".circleci/config.yml", "bitbucket-pipelines.yml", ".travis.yml", "cloudbuild.yaml", "Jenkinsfile", "tox.ini",
    "tox.toml", "noxfile.py", "Makefile", "justfile", ".pre-commit-config.yaml", "pyproject.toml", "setup.cfg",
    "setup.py", "pytest.ini", "requirements.txt", "requirements/dev.txt", "requirements.in", "constraints.txt",
    "environment.yml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock", "conda-lock.yml",
    "dvc.yaml", "dvc.lock", "data/raw.csv.dvc", ".dvc/config", ".gitattributes", "renovate.json", ".renovaterc",
    ".pyup.yml", "package.json", "CODEOWNERS", "params.yaml", "conf/config.yaml", "prometheus.yml",
    "bentofile.yaml", "prefect.yaml", "k8s/cronjob.yaml", "deploy/isvc.yaml", "anyscale.yaml", "MLproject",
    "Snakefile", "Dockerfile", "docker-compose.yml", "Procfile", "scripts/test.sh", "metrics.json",
    "conftest.py", "tests/conftest.py",
)
BASE = {"src/pkg/train.py": "import sklearn\nfrom sklearn.model_selection import train_test_split\n",
        "tests/test_train.py": "def test_train():\n    assert True\n"}
ODD = {
    "list": b"- a\n- b: 1\n- [1, 2]\n",
    "scalar": b"just a string\n",
    "null": b"null\n",
    "int": b"42\n",
    "nested": b"".join(b"  " * i + b"k%d:\n" % i for i in range(150)) + b"  " * 150 + b"v\n",
    "invalid": b"a: [\n  b: {\n[x\n= \"\n\t- :\n",
    "binary": bytes(range(256)) * 8,
    "not-utf8": b"key: caf\xe9\nother: \xff\xfe\n",
    "empty": b"",
    "crlf": b"on:\r\n  push:\r\njobs:\r\n  t:\r\n    steps:\r\n      - run: pytest\r\ntest:\r\n\tpytest\r\n",
    "long-spaces": b"x" + b" " * 300_000 + b"y\n",
}
# The types a reader expects, swapped: each of these once crashed a probe.
WRONG_TYPES = {
    **BASE,
    ".github/workflows/ci.yml": "on:\n  push: 5\n  schedule: 3\n  pull_request: [1]\njobs:\n  a: 1\n  b: [1]\n"
                                "  c:\n    steps: 3\n    runs-on: [1]\n  d:\n    steps: [1, null, [2], {run: 5}, "
                                "{uses: 7}, {uses: ./.github/actions/setup}, {run: [1]}, {with: 3}]\n    uses: 5\n"
                                "  e:\n    steps:\n      - run: |\n          pre-commit run\n          make test\n"
                                "          tox -e py\n          nox -s tests\n          tox -c tox.toml\n",
    ".github/actions/setup/action.yml": "runs:\n  using: composite\n  steps: 3\n",
    ".gitlab-ci.yml": "test:\n  script: 5\n  rules: 5\n  only: 5\n  extends: 5\n  needs: 5\n  trigger: 5\n"
                      "lint:\n  script: flake8\n  rules:\n    - if: [1, 2]\n    - exists: 5\n"
                      "    - changes: {paths: 3}\n"
                      "stages: {a: 1}\ninclude: [5, {local: 5}, {local: [1]}]\ndefault: 5\nworkflow: 5\n"
                      "variables: {A: [1], B: {value: [2]}, C: true}\n",
    "azure-pipelines.yml": "trigger: 5\npr: {branches: 3, paths: 4}\nschedules: [1, {cron: [2]}]\n"
                           "stages: [1, {jobs: 5}, {template: 5}]\njobs: [{steps: 5}, {strategy: {runOnce: 5}}]\n",
    ".circleci/config.yml": "version: 2.1\njobs: {build: {steps: 5}, t: 3}\nworkflows:\n  version: 2\n"
                            "  main: {jobs: [build, {build: 5}, {t: {filters: {branches: {only: 5}}}}], when: [1]}\n"
                            "  n: {triggers: [1, {schedule: 5}], jobs: 3}\nparameters: [1]\norbs: 5\ncommands: 3\n",
    "bitbucket-pipelines.yml": "pipelines:\n  default: 5\n  branches: {main: [{step: {script: 5, condition: "
                               "{changesets: {includePaths: true}}}}]}\n  pull-requests: [1]\n  custom: 3\n",
    ".travis.yml": "branches: {only: 5, except: [1]}\nif: 5\nscript: 5\njobs: {include: [1, {script: 5, if: [2]}]}\n",
    "cloudbuild.yaml": "steps: [1, {args: 5, entrypoint: [1]}, {script: 5}]\n",
    ".pre-commit-config.yaml": "default_stages: 3\nrepos: [1, {hooks: 5}, {hooks: [1, {entry: 5}, "
                               "{entry: pytest, args: 5, stages: 3}]}]\n",
    ".github/dependabot.yml": "updates: [1, {package-ecosystem: 5}, {package-ecosystem: pip, directory: 5, "
                              "schedule: 3}]\n",
    "renovate.json": '{"extends": 5, "packageRules": 5, "enabled": "x", "enabledManagers": 3, "ignorePaths": {}}',
    "environment.yml": "dependencies: [1, {pip: 5}, {pip: [1, [2]]}, null]\nchannels: 3\n",
    "Pipfile.lock": "[1, 2, 3]",
    "dvc.yaml": "stages:\n  a: {params: 5, deps: 3, outs: 4, cmd: [1]}\n  b: 5\n  c: {params: [1, {x: 5}], "
                "metrics: 5, plots: {a: 1}}\n",
    "dvc.lock": "stages: {a: {deps: 5, outs: [1, {path: 5}]}}\n",
    "prefect.yaml": "deployments: [1, {schedules: 5}, {schedule: 3, schedules: [1, {cron: [1]}]}]\n",
    "k8s/cronjob.yaml": "kind: CronJob\nspec: {schedule: [1], jobTemplate: 5}\n",
    "pyproject.toml": '[project]\ndependencies = 3\noptional-dependencies = 5\n[tool.poetry]\ndependencies = 5\n'
                      '[tool.pytest.ini_options]\ntestpaths = 5\naddopts = 5\npython_files = 5\n[tool.tox]\n'
                      'legacy_tox_ini = 5\nenv = 3\n[tool.uv]\ndev-dependencies = 3\n[build-system]\nrequires = 5\n',
    "tox.toml": "env_list = 5\n[env_run_base]\ncommands = 5\n[env.a]\ncommands = [5, [1, {default = 3}]]\n",
}


def _commit(root) -> None:
    """git add and commit, reading git's output as bytes: git quotes a non-UTF-8 .gitattributes."""
    for args in (["add", "-A"], ["commit", "-q", "-m", "odd content"]):
        subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def _errors(results: dict) -> list[str]:
    return [f"{pid}: {r.message}" for pid, r in results.items() if r.outcome is Outcome.error]


@pytest.mark.parametrize("kind", sorted(ODD))
def test_odd_content_in_every_configuration_file(repo_factory, kind):
    repo = repo_factory({**BASE, **{path: ODD[kind] for path in CONFIG_PATHS}}, commit=False)
    _commit(repo)
    started = time.perf_counter()
    _, results = run_probes(repo, ScanOptions(use_cache=False))
    assert not _errors(results), "\n".join(_errors(results))
    assert time.perf_counter() - started < 10


def test_wrong_types_in_every_reader(repo_factory):
    _, results = run_probes(repo_factory(WRONG_TYPES), ScanOptions(use_cache=False))
    assert not _errors(results), "\n".join(_errors(results))


def test_aliases_that_multiply_a_list_do_not_stall_the_readers(repo_factory):
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh"))
    files = {**BASE, ".gitlab-ci.yml": laughs + "test:\n  script: pytest\n  rules: *h\n",
             "azure-pipelines.yml": laughs + "steps: *h\n",
             ".circleci/config.yml": laughs + "jobs: {build: {steps: [{run: pytest}]}}\n"
                                              "workflows: {main: {when: *h, jobs: [build]}}\n"}
    started = time.perf_counter()
    _, results = run_probes(repo_factory(files), ScanOptions(use_cache=False), ["ci.runs_tests", "ci.scheduled"])
    assert not _errors(results), "\n".join(_errors(results))
    assert time.perf_counter() - started < 10


def test_workflows_and_templates_that_call_themselves_many_times(repo_factory):
    calls = "".join(f"  c{i}:\n    uses: ./.github/workflows/ci.yml\n" for i in range(40))
    templates = "".join("  - template: t.yml\n" for _ in range(40))
    files = {**BASE,
             ".github/workflows/ci.yml": "on: [push]\njobs:\n" + calls + "  t:\n    steps:\n      - run: pytest\n",
             "azure-pipelines.yml": "trigger: [main]\nstages:\n  - template: t.yml\n",
             "t.yml": "stages:\n" + templates + "jobs:\n  - job: unit\n    steps:\n      - script: pytest\n"}
    started = time.perf_counter()
    _, results = run_probes(repo_factory(files), ScanOptions(use_cache=False), ["ci.runs_tests"])
    assert time.perf_counter() - started < 10
    r = results["ci.runs_tests"]
    assert r.outcome is Outcome.true and {(e.path, e.line) for e in r.evidence} == {
        (".github/workflows/ci.yml", 85), ("t.yml", 45)}


# -- invalid patterns match nothing, and say so ---------------------------------------------------
def test_invalid_globs_and_branch_regexes(repo_factory):
    files = {**BASE,
             ".github/workflows/ci.yml": "on:\n  push:\n    paths: ['src/[z-a].py']\njobs:\n  t:\n    steps:\n"
                                         "      - run: pytest\n",
             ".travis.yml": "branches:\n  only:\n    - /release-[/\nscript: pytest\n",
             ".circleci/config.yml": "version: 2.1\njobs:\n  test:\n    steps:\n      - run: pytest\nworkflows:\n"
                                     "  main:\n    jobs:\n      - test:\n          filters:\n            branches:\n"
                                     "              only: /release-[/\n"}
    _, results = run_probes(repo_factory(files), ScanOptions(use_cache=False), ["ci.runs_tests"])
    r = results["ci.runs_tests"]
    assert r.outcome is Outcome.false
    details = {e.path: e.detail for e in r.evidence}
    assert "invalid pattern src/[z-a].py matches nothing" in details[".github/workflows/ci.yml"]
    assert "invalid pattern /release-[/ matches nothing" in details[".travis.yml"]
    assert "invalid pattern /release-[/ matches nothing" in details[".circleci/config.yml"]


# -- cycles ---------------------------------------------------------------------------------------
def test_gitlab_child_pipelines_and_includes_that_loop(repo_factory):
    files = {**BASE,
             ".gitlab-ci.yml": "include:\n  - local: ci/a.yml\n  - local: ci/a.yml\nchild:\n  trigger:\n"
                               "    include: .gitlab-ci.yml\nnested:\n  trigger:\n    include: ci/child.yml\n",
             "ci/a.yml": "include: [ci/b.yml, .gitlab-ci.yml]\nunit:\n  script: pytest tests\n",
             "ci/b.yml": "include: ci/a.yml\n",
             "ci/child.yml": "back:\n  trigger:\n    include: .gitlab-ci.yml\ndeep:\n  script: pytest -x\n"}
    _, results = run_probes(repo_factory(files), ScanOptions(use_cache=False), ["ci.runs_tests"])
    r = results["ci.runs_tests"]
    assert r.outcome is Outcome.true, r.message
    assert {(e.path, e.line) for e in r.evidence} == {("ci/a.yml", 3), ("ci/child.yml", 5)}


# -- patterns that backtrack ------------------------------------------------------------------
def test_gitlab_regex_that_backtracks_is_not_run_and_may_match(repo_factory):
    files = {**BASE, ".gitlab-ci.yml": 'variables:\n  X: "' + "a" * 40 + '!"\n'
                                       "test:\n  script: pytest\n  rules:\n    - if: $X =~ /^(a+)+$/\n"}
    started = time.perf_counter()
    _, results = run_probes(repo_factory(files), ScanOptions(use_cache=False), ["ci.runs_tests"])
    assert time.perf_counter() - started < 5
    assert results["ci.runs_tests"].outcome is Outcome.true  # "may match": the rule is taken as written


def test_rules_expressions_with_undecided_comparisons():
    env = {"X": "a" * 40 + "!", "SHORT": "main", "LONG": "m" * 300}
    assert evaluate("$X =~ /^(a+)+$/", env) is True  # not run: may match
    assert evaluate("$X =~ /^(a+)+$/ && $NONE", env) is False  # false whatever the regex says
    assert evaluate("$SHORT =~ /^ma/ && $LONG =~ /^m/", env) is True  # a long subject is not searched
    assert evaluate("$SHORT =~ /^x/ || $X =~ /(a|aa)*!/", env) is True
    assert evaluate("$SHORT =~ /^[/", env) is False  # an invalid pattern matches nothing
    assert evaluate("$SHORT !~ /^[/", env) is True
    assert evaluate("$SHORT =~ /^MA/i", env) is True and evaluate("$SHORT =~ /^MA/", env) is False


def test_which_regexes_may_backtrack():
    risky = ["^(a+)+$", "(a|aa)*", "((a+)b)+", "(a?)+", ".*a.*b.*c.*d", "(?:x|y)+z", "(a*){2,}"]
    safe = ["^release-.*$", "^(main|master)$", "^(?:feat|fix)/.+$", r"\(a+\)+", "[(]a+[)]+", "(a+)?", "(?i)^main$"]
    assert [p for p in risky if not may_backtrack(p)] == []
    assert [p for p in safe if may_backtrack(p)] == []
    assert regex_search("^(a+)+$", "a" * 40 + "!") is None and regex_search("^ma", "m" * 300) is None
    assert regex_search("^ma", "main") is True and regex_search("[z-a]", "main") is False


def test_globs_with_many_stars_match_in_linear_time():
    started = time.perf_counter()
    assert not glob_match("*a" * 25 + "b", "a" * 5000)
    assert not glob_match("**/" * 25 + "*a" * 10 + "b", "a/" * 300 + "c")
    assert glob_match("src/**/*.{py,pyx}", "src/a/b.pyx") and glob_match("**.py", "a/b.py")
    assert not glob_match("src/[z-a].py", "src/a.py") and glob_match("[!a]b", "cb") and not glob_match("[!a]b", "ab")
    assert time.perf_counter() - started < 1


def test_the_glob_automaton_agrees_with_the_glob_regex():
    rng = random.Random(7)
    pieces = ["a", "b", "/", "*", "**", "**/", "?", "[ab]", "[!a]", "."]
    for _ in range(3000):
        pattern = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 7))).lstrip("/")
        tokens = _tokens(pattern)
        rx = re.compile(_regex(tokens) + r"\Z")
        for _ in range(4):
            name = "".join(rng.choice("ab/.") for _ in range(rng.randint(0, 8)))
            assert (rx.match(name) is not None) == _run(tokens, name), (pattern, name)


def test_config_parsers_are_linear_on_long_lines():
    line = "x" + " " * 200_000 + "y\n"
    started = time.perf_counter()
    parse_makefile("Makefile", line + "a b" + " " * 200_000 + ": c\n")
    parse_makefile("justfile", line, just=True)
    parse_ini("[tox]\n" + line)
    assert _options("pytest.ini", "[pytest]\ntestpaths = tests\nx = " + line) == {"testpaths": "tests", "x": "x y"}
    sections, _ = parse_ini("[testenv]\ncommands = pytest" + " " * 200_000 + "tests  # all\n")
    assert sections["testenv"]["commands"].lines[0][1].split() == ["pytest", "tests"]
    assert len(command_args("pytest tests/a.py " * 20_000)) == 50  # each part of the line read once
    assert classify("pytest " + "${{ " * 100_000, "").kind == "test"
    assert len(expand_braces("{a,b}" * 40)) == 256
    assert time.perf_counter() - started < 2
    mf = parse_makefile("Makefile", "test  lint :: pre ; pytest\nx := 1\nall:\n\t$(MAKE) test\n")
    assert mf.rules["test"].prereqs == ["pre"] and mf.rules["lint"].recipe == [(1, "pytest")]
    assert "x" not in mf.rules and mf.default == "test"


def test_a_jenkinsfile_with_thousands_of_open_stages(repo_factory):
    files = {**BASE, "Jenkinsfile": "stage('x') {\n" * 20_000 + "  when { branch 'main' }\n  sh 'pytest'\n"}
    started = time.perf_counter()
    _, results = run_probes(repo_factory(files), ScanOptions(use_cache=False), ["ci.runs_tests"])
    assert time.perf_counter() - started < 5
    r = results["ci.runs_tests"]
    assert r.outcome is Outcome.true and [(e.path, e.line) for e in r.evidence] == [("Jenkinsfile", 20_002)]


# -- paths never leave the repository ------------------------------------------------------------
def test_join_stays_in_the_repository():
    assert join("", "a/./b//c") == "a/b/c" and join("a/b", "../c") == "a/c" and join("a", "..") == ""
    assert join("", "../x") is None and join("a", "../../x") is None and join("a", "/etc/passwd") is None


def test_requirements_above_the_root_are_not_read_as_ours(repo_factory):
    files = {**BASE, "requirements.txt": "-r ../deps.txt\nnumpy==1.26.4\n", "deps.txt": "pandas\n"}
    _, results = run_probes(repo_factory(files), ScanOptions(use_cache=False), ["deps.pinned"])
    r = results["deps.pinned"]
    assert r.outcome is Outcome.true, r.message  # ../deps.txt is not the deps.txt of this repository
    assert [e.path for e in r.evidence] == ["requirements.txt"]
