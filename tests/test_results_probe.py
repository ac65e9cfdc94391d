"""results.documented: committed results count for the ML Test Score's half point only when current."""

from __future__ import annotations

import hashlib
import shutil

from conftest import make_repo, notebook
from test_history import commit_at

from mlaudit.probes.model import Outcome
from mlaudit.scan import ScanOptions, run_probes

EVALUATE = "import json\njson.dump({'auc': 0.9}, open('eval/metrics.json', 'w'))\n"
DVC_YAML = """\
stages:
  evaluate:
    cmd: python src/evaluate.py
    deps:
    - src/evaluate.py
    outs:
    - eval
metrics:
- eval/metrics.json
"""


def dvc_lock(md5: str) -> str:
    return f"""\
schema: '2.0'
stages:
  evaluate:
    cmd: python src/evaluate.py
    deps:
    - path: src/evaluate.py
      hash: md5
      md5: {md5}
      size: 10
    outs:
    - path: eval
      hash: md5
      md5: 0123456789abcdef0123456789abcdef.dir
"""


def probe(repo):
    _, results = run_probes(repo, ScanOptions(use_cache=False), ["results.documented"])
    return results["results.documented"]


def test_dvc_metrics_from_the_current_code_count(tmp_path):
    md5 = hashlib.md5(EVALUATE.encode()).hexdigest()
    repo = make_repo(tmp_path / "r", {"src/evaluate.py": EVALUATE, "dvc.yaml": DVC_YAML, "dvc.lock": dvc_lock(md5)})
    result = probe(repo)
    assert result.outcome == Outcome.true
    [e] = result.evidence
    assert (e.path, e.line) == ("dvc.lock", 3)
    assert "eval/metrics.json" in e.detail and "matches the current src/evaluate.py" in e.detail


def test_dvc_metrics_from_older_code_are_stale(tmp_path):
    repo = make_repo(tmp_path / "r", {"src/evaluate.py": EVALUATE, "dvc.yaml": DVC_YAML, "dvc.lock": dvc_lock("f" * 32)})
    result = probe(repo)
    assert result.outcome == Outcome.false
    assert result.values == {"artifacts": 1, "current": 0, "stale": 1, "age_unknown": 0}
    assert "code changed since the run: src/evaluate.py" in result.evidence[0].detail


def test_a_metrics_file_must_be_no_older_than_the_code(tmp_path):
    repo = make_repo(tmp_path / "r", {}, commit=False)
    commit_at(repo, "2024-01-01T00:00:00Z", {"train.py": "fit()\n"}, "train")
    commit_at(repo, "2024-01-02T00:00:00Z", {"metrics.json": '{"auc": 0.9}\n'}, "results")
    assert probe(repo).outcome == Outcome.true
    commit_at(repo, "2024-01-03T00:00:00Z", {"train.py": "fit(better=True)\n"}, "change the model")
    result = probe(repo)
    assert result.outcome == Outcome.false and result.message == "committed results are older than the code"
    assert result.evidence[0].path == "metrics.json"


def test_without_history_the_age_is_not_claimed(tmp_path):
    repo = make_repo(tmp_path / "r", {"train.py": "fit()\n", "metrics.json": "{}\n"})
    shutil.rmtree(repo / ".git")
    result = probe(repo)
    # Untracked files in a plain folder are not "committed"; nothing is claimed.
    assert result.outcome == Outcome.false and result.values["artifacts"] == 0


def test_on_a_shallow_clone_a_result_of_unknown_age_earns_nothing(tmp_path):
    from conftest import git
    origin = make_repo(tmp_path / "o", {"train.py": "fit()\n", "metrics.json": "{}\n"})
    clone = tmp_path / "c"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    result = probe(clone)
    # Known-stale results earn nothing, so results of unknown age must not earn more.
    assert result.outcome == Outcome.not_observable
    assert result.values["age_unknown"] == 1
    assert "age not checked: shallow clone" in result.evidence[0].detail


def test_a_nested_dvc_lock_reads_paths_from_its_own_folder(tmp_path):
    stale_md5 = "f" * 32
    repo = make_repo(tmp_path / "r", {
        "proj/src/evaluate.py": EVALUATE, "proj/dvc.yaml": DVC_YAML, "proj/dvc.lock": dvc_lock(stale_md5),
        "src/evaluate.py": "# another file at the same path from the top\n",
    })
    result = probe(repo)
    assert result.outcome == Outcome.false
    assert "code changed since the run: proj/src/evaluate.py" in result.evidence[0].detail
    current = make_repo(tmp_path / "r2", {
        "proj/src/evaluate.py": EVALUATE, "proj/dvc.yaml": DVC_YAML,
        "proj/dvc.lock": dvc_lock(hashlib.md5(EVALUATE.encode()).hexdigest())})
    assert probe(current).outcome == Outcome.true


def test_a_dependency_that_cannot_be_read_is_not_a_match(tmp_path):
    repo = make_repo(tmp_path / "r", {"dvc.yaml": DVC_YAML, "dvc.lock": dvc_lock("f" * 32)})
    result = probe(repo)
    assert result.outcome == Outcome.not_observable
    assert "cannot check src/evaluate.py" in result.evidence[0].detail


def test_nothing_committed(tmp_path):
    repo = make_repo(tmp_path / "r", {"train.py": "fit()\n", "nb.ipynb": notebook([("code", "print(1)", 1)])})
    result = probe(repo)
    assert result.outcome == Outcome.false and result.message == "no committed results found"


def test_a_check_narrows_what_counts_with_its_parameters(tmp_path):
    from mlaudit.checks.schema import ProbeUse
    from mlaudit.scan import Session

    repo = make_repo(tmp_path / "r", {
        "train.py": "fit()\n", "metrics.json": "{}\n", "reports/junit.xml": "<testsuite/>\n",
        "reports/junit_writer.py": "print('<testsuite/>')\n",
        "nb.ipynb": notebook([("code", "print(1)", 1)], outputs={0: [{"output_type": "stream", "name": "stdout", "text": "1\n"}]}),
    })
    session = Session.open(repo, ScanOptions(use_cache=False))
    try:
        junit = session.runner.run(ProbeUse(id="results.documented", params={"globs": ["reports/junit*"], "dvc": False}))
        nbs = session.runner.run(ProbeUse(id="results.documented", params={"globs": [], "notebooks": True}))
    finally:
        session.close()
    assert [e.path for e in junit.evidence] == ["reports/junit.xml"]
    assert [e.path for e in nbs.evidence] == ["nb.ipynb"] and "notebook with outputs" in nbs.evidence[0].detail
