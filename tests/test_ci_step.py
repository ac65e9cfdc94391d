"""mlaudit as a pre-merge CI step: gates, exit codes, and baselines that fail only on what a change made worse.

Every repository here is a real git repository built commit by commit in a tmp dir.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, make_repo, write_files

TRAIN = """\
import numpy as np
from sklearn.model_selection import train_test_split

from churn.model import ChurnModel

def split(X, y):
    return train_test_split(X, y, test_size=0.2, random_state=0)


def train(X, y):
    X_train, X_test, y_train, y_test = split(X, y)
    model = ChurnModel(seed=0).fit(X_train, y_train)
    return model.score(X_test, y_test)
"""

MODEL = """\
from sklearn.linear_model import LogisticRegression


class ChurnModel:
    def __init__(self, seed=0):
        self.clf = LogisticRegression(max_iter=200, random_state=seed)

    def fit(self, X, y):
        self.clf.fit(X, y)
        return self

    def score(self, X, y):
        return self.clf.score(X, y)
"""

MODEL_TEST = """\
import numpy as np

from churn.model import ChurnModel


def test_model_learns_a_separable_problem():
    X = np.array([[0.0], [0.1], [0.9], [1.0]])
    y = np.array([0, 0, 1, 1])
    assert ChurnModel().fit(X, y).score(X, y) == 1.0
"""

WORKFLOW = """\
name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - run: pytest
"""

BASE = {"churn/__init__.py": "", "churn/train.py": TRAIN, "churn/model.py": MODEL,
        "tests/test_model.py": MODEL_TEST, ".github/workflows/ci.yml": WORKFLOW,
        "requirements.txt": "numpy==1.26.4\nscikit-learn==1.4.2\n", "README.md": "# churn\n"}


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def project(tmp_path) -> Path:
    repo = make_repo(tmp_path / "churn", BASE)
    git(repo, "branch", "-M", "main")
    return repo


def snapshot(repo: Path) -> tuple[str, str, bytes]:
    """HEAD, `git status`, and the index's bytes: a baseline scan must leave all three alone."""
    return (git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain", "--untracked-files=all"),
            (repo / ".git" / "index").read_bytes())


def test_a_change_that_adds_an_unseeded_split_and_removes_a_test_fails_on_exactly_those(project, cli, tmp_path):
    base = git(project, "rev-parse", "HEAD").strip()
    git(project, "checkout", "-qb", "feature")
    (project / "churn" / "train.py").write_text(TRAIN + "\n\ndef quick_split(X, y):\n    return train_test_split(X, y)\n")
    (project / "tests" / "test_model.py").unlink()
    commit(project, "quick split, drop the model test")
    before = snapshot(project)

    code, out, err = cli("scan", str(project), "--baseline-ref", "main", "--format", "json", "-o",
                         str(tmp_path / "r.json"))
    assert code == 1, err
    assert snapshot(project) == before  # the checkout, index and HEAD are untouched
    assert f"Compared with main ({base[:12]})" in out

    from mlaudit.compare.baseline import load_baseline
    from mlaudit.compare.findings import findings
    from mlaudit.compare.judge import baseline_from, judge
    from mlaudit.compare.gates import Gates
    from mlaudit.checks.loader import load_rubrics
    from mlaudit.scan import ScanOptions

    result = load_baseline(tmp_path / "r.json")
    options = ScanOptions(use_cache=False)
    verdict = judge(result, Gates(), baseline_from(project, baseline_file=None, baseline_ref=base, options=options,
                                                   rubrics=load_rubrics([])))
    new = verdict.delta.new
    assert new and not verdict.delta.fixed
    split_line = TRAIN.count("\n") + 4
    at_split = [f for f in new if f.located]
    assert {(f.path, f.line) for f in at_split} == {("churn/train.py", split_line)}
    assert all(f.excerpt == "return train_test_split(X, y)" for f in at_split)
    # the removed test shows as checks that now fail for the repository as a whole
    about_tests = {f.check for f in new if not f.located}
    assert about_tests and all(f.path == "README.md" for f in new if not f.located)
    assert {"ml-test-score/infra-2"} <= about_tests
    assert {f.check for f in at_split} >= {"ml-test-score/infra-1", "ml-pitfalls/split-seeds"}
    assert len(findings(result)) > len(new)  # inherited findings are there, but not counted


def test_a_change_that_only_moves_code_passes(project, cli):
    git(project, "checkout", "-qb", "refactor")
    moved = TRAIN.replace("def split", "# Moved things around; behaviour unchanged.\n\n\ndef split")
    (project / "churn" / "train.py").write_text(moved)
    (project / "churn" / "model.py").write_text('"""The model."""\n\n' + MODEL)
    commit(project, "move code")
    code, out, err = cli("scan", str(project), "--baseline-ref", "main", "-o", "-", "--format", "json")
    assert code == 0, err
    assert "0 new, 0 fixed" in err  # the summary goes to stderr when the report goes to stdout


def test_a_finding_that_moved_keeps_its_fingerprint(project, cli, tmp_path):
    (project / "churn" / "train.py").write_text(TRAIN + "\n\ndef quick_split(X, y):\n    return train_test_split(X, y)\n")
    commit(project, "unseeded")
    assert cli("scan", str(project), "--format", "json", "-o", str(tmp_path / "before.json"), "-q")[0] == 0
    (project / "churn" / "train.py").write_text('"""Training."""\nimport os\n\n' + TRAIN +
                                                "\n\ndef quick_split(X, y):\n    return train_test_split(X, y)\n")
    commit(project, "docstring")
    code, out, err = cli("scan", str(project), "--baseline", str(tmp_path / "before.json"), "-o",
                         str(tmp_path / "r.html"))
    assert code == 0, out + err
    assert "0 new, 0 fixed" in out


def test_gates_and_exit_codes(project, cli, tmp_path):
    html = str(tmp_path / "r.html")
    assert cli("scan", str(project), "-o", html, "-q")[0] == 0  # no gate asked for: informational
    code, out, err = cli("scan", str(project), "-o", html, "-q", "--fail-under", "ml-test-score=7")
    assert code == 1 and "ml-test-score: score" in err and "is under 7" in err
    assert cli("scan", str(project), "-o", html, "-q", "--fail-under", "ml-test-score=0")[0] == 0
    code, _, err = cli("scan", str(project), "-o", html, "-q", "--fail-on", "fail")
    assert code == 1 and "with status fail" in err
    code, _, err = cli("scan", str(project), "-o", html, "-q", "--fail-on", "fail", "--min-severity", "critical")
    assert code == 0, err
    # usage and configuration errors are 2, and say what to write instead
    code, _, err = cli("scan", str(project), "-o", html, "--fail-under", "ml-test-scor=2")
    assert code == 2 and "did you mean ml-test-score?" in err
    code, _, err = cli("scan", str(project), "-o", html, "--fail-under", "ml-test-score")
    assert code == 2 and "RUBRIC=SCORE" in err
    code, _, err = cli("scan", str(project), "-o", html, "--baseline-ref", "no-such-branch")
    assert code == 2 and "no commit 'no-such-branch'" in err
    (tmp_path / "bad.json").write_text('{"schema_version": "1"}')
    code, _, err = cli("scan", str(project), "-o", html, "--baseline", str(tmp_path / "bad.json"))
    assert code == 2 and "not an mlaudit JSON report" in err and "--format json" in err


def test_gates_from_the_config_with_lines_in_errors(project, cli, tmp_path):
    html = str(tmp_path / "r.html")
    write_files(project, {".mlaudit.yaml": "gates:\n  fail_under:\n    ml-test-score: 7\n"})
    code, _, err = cli("scan", str(project), "-o", html, "-q")
    assert code == 1 and "is under 7" in err
    assert cli("scan", str(project), "-o", html, "-q", "--fail-under", "ml-test-score=0")[0] == 0  # the option wins
    write_files(project, {".mlaudit.yaml": "gates:\n  fail_on: failing\n"})
    code, _, err = cli("scan", str(project), "-o", html, "-q")
    assert code == 2 and ".mlaudit.yaml:2: gates.fail_on: `failing` is not one of the choices" in err
    write_files(project, {"pyproject.toml": "[project]\nname = 'churn'\n\n[tool.mlaudit.gates]\nfail_on = 'fail'\n"})
    (project / ".mlaudit.yaml").unlink()
    code, _, err = cli("scan", str(project), "-o", html, "-q")
    assert code == 1 and "with status fail" in err


def test_the_published_config_schema_is_current_and_accepts_the_docs_examples():
    import jsonschema

    from mlaudit.config import json_schema

    root = Path(__file__).resolve().parents[1]
    published = root / "docs" / "mlaudit-config.schema.json"
    assert published.read_text() == json_schema(), "regenerate: mlaudit config-schema -o docs/mlaudit-config.schema.json"
    schema = json.loads(published.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({"gates": {"fail_under": {"ml-test-score": 2}, "fail_on": "partial",
                                                     "min_severity": "high"}}))
    assert list(validator.iter_errors({"gates": {"fail_on": "sometimes"}}))


def test_the_baseline_revision_of_a_subfolder_scan(tmp_path, cli):
    repo = make_repo(tmp_path / "mono", {f"ml/{k}": v for k, v in BASE.items()} | {"web/app.js": "x\n"})
    (repo / "ml" / "churn" / "train.py").write_text(TRAIN + "\n\ndef quick_split(X, y):\n    return train_test_split(X, y)\n")
    commit(repo, "unseeded")
    code, out, err = cli("scan", str(repo / "ml"), "--baseline-ref", "HEAD~1", "-o", str(tmp_path / "r.html"))
    assert code == 1, err
    assert "churn/train.py:" in out and "ml/churn" not in out.split("Compared with")[1]


def test_no_git_no_baseline_ref(tmp_path, cli):
    write_files(tmp_path / "plain", {"train.py": "x = 1\n"})
    code, _, err = cli("scan", str(tmp_path / "plain"), "--baseline-ref", "HEAD", "-o", str(tmp_path / "r.html"))
    assert code == 2 and "not in a git repository" in err


def test_changing_a_number_on_a_flagged_line_is_not_a_new_finding(project, cli, tmp_path):
    quick = "\n\ndef quick_split(X, y):\n    return train_test_split(X, y, test_size={})\n"
    (project / "churn" / "train.py").write_text(TRAIN + quick.format("0.2"))
    commit(project, "unseeded")
    (project / "churn" / "train.py").write_text(TRAIN + quick.format("0.25"))
    commit(project, "bigger test set")
    code, out, err = cli("scan", str(project), "--baseline-ref", "HEAD~1", "-o", str(tmp_path / "r.html"))
    assert code == 0 and "0 new, 0 fixed" in out, out
    (project / "churn" / "train.py").write_text(TRAIN + quick.format("0.25") + quick.format("0.3").replace("quick", "other"))
    commit(project, "a second one")
    code, out, _ = cli("scan", str(project), "--baseline-ref", "HEAD~1", "-o", str(tmp_path / "r.html"))
    assert code == 1 and "churn/train.py:" in out.split("New:")[1]  # the same text again is still a new finding


def test_the_report_says_what_the_change_did(project, cli, tmp_path):
    (project / "churn" / "train.py").write_text(TRAIN + "\n\ndef quick_split(X, y):\n    return train_test_split(X, y)\n")
    commit(project, "unseeded <b>split</b>")
    code, _, _ = cli("scan", str(project), "--baseline-ref", "HEAD~1", "-q", "-o", str(tmp_path / "r.html"))
    assert code == 1
    html = (tmp_path / "r.html").read_text()
    change = html[html.index('<section class="change failed" id="change"'):]
    change = change[:change.index("</section>")]
    assert "The CI gate failed:" in change and "HEAD~1" in change
    assert change.count("<li>") == 4  # the split, in each of the four checks that read it
    assert 'href="#ml-test-score--infra-1"' in change and "return train_test_split(X, y)" in change
    assert 'href="#change"' in html  # and the page's navigation leads there


def test_the_markdown_summary_leads_with_what_the_change_did(project, cli, tmp_path):
    (project / "churn" / "train.py").write_text(TRAIN + "\n\ndef quick_split(X, y):\n    return train_test_split(X, y)\n")
    commit(project, "unseeded")
    code, out, _ = cli("scan", str(project), "--baseline-ref", "HEAD~1", "-q", "--format", "markdown", "-o", "-")
    assert code == 1
    change = out[out.index("### This change"):out.index("New:")]
    assert "4 new, 0 fixed" in change and "**Gate failed:**" in change
    new = out[out.index("New:"):].split("\n\n")[0].splitlines()[1:]
    assert len(new) == 4 and all("churn/train.py:" in line and "return train_test_split(X, y)" in line for line in new)


# -- found in review: each of these once let a change through, or broke the step ------------------
def test_a_baseline_whose_scanned_folder_was_a_symlink_is_refused_not_followed(tmp_path, cli):
    outside = tmp_path / "outside"
    write_files(outside, {"leak.py": "from sklearn.model_selection import train_test_split\ntrain_test_split(X)\n"})
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n"})
    (repo / "sub").symlink_to(outside, target_is_directory=True)
    commit(repo, "sub is a link")
    (repo / "sub").unlink()
    write_files(repo, {"sub/train.py": "x = 1\n"})
    commit(repo, "sub is a folder")
    code, out, err = cli("scan", str(repo / "sub"), "--baseline-ref", "HEAD~1", "--format", "markdown", "-o", "-")
    assert code == 2 and "sub is a symlink at" in err
    assert "leak" not in out + err


def test_a_check_that_got_worse_on_the_same_line_is_new(tmp_path, cli):
    split = "from sklearn.model_selection import train_test_split\n\ndef split(X):\n    return train_test_split(X)\n"
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n", "seed.py": "import numpy as np\nnp.random.seed(0)\n",
                                      "train.py": split})
    (repo / "seed.py").unlink()
    commit(repo, "drop the global seed")
    code, out, _ = cli("scan", str(repo), "--baseline-ref", "HEAD~1", "-o", str(tmp_path / "r.html"))
    new = out.split("New:")[1] if "New:" in out else ""
    assert code == 1 and "ml-pitfalls/split-seeds" in new and "train.py:4" in new


def test_a_check_decided_by_history_and_files_still_counts_what_the_files_made_worse(tmp_path, cli):
    model = "import torch\n\n\nclass Model(torch.nn.Module):\n    def forward(self, x):\n        return x\n"
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n", "model.py": model,
                                      "tests/test_model.py": "from model import Model\n\n"
                                                             "def test_model():\n    assert Model()\n",
                                      ".github/workflows/ci.yml": WORKFLOW})
    for i in range(3):  # model code changed without its test: the history half of the check
        model += f"# change {i}\n"
        (repo / "model.py").write_text(model)
        commit(repo, f"tweak {i}")
    (repo / ".github" / "workflows" / "ci.yml").unlink()
    commit(repo, "no more CI")  # the files half: nothing runs the tests any more
    code, out, _ = cli("scan", str(repo), "--baseline-ref", "HEAD~1", "-o", str(tmp_path / "r.html"))
    new = out.split("New:")[1]
    assert code == 1 and "mlops-challenges/test-driven-development  (repository)" in new
    assert "test-driven-development" not in out.split("Not compared:")[1] if "Not compared:" in out else True


@pytest.mark.parametrize("value, message", [
    ("ml-test-score=nan", "with a number"), ("ml-test-score=inf", "with a number"), ("ml-test-score=1_0", "with a number"),
    ("ml-test-score=8", "scores run from 0 to 7"), ("technical-debt=101", "scores run from 0 to 100"),
    ("ml-test-score=-1", "scores run from 0 to 7"),
])
def test_thresholds_that_could_never_decide_anything_are_usage_errors(project, cli, tmp_path, value, message):
    code, _, err = cli("scan", str(project), "-q", "-o", str(tmp_path / "r.html"), "--fail-under", value)
    assert code == 2 and message in err


def test_config_thresholds_are_checked_too(project, cli, tmp_path):
    write_files(project, {".mlaudit.yaml": "gates:\n  fail_under: {ml-test-score: .nan}\n"})
    code, _, err = cli("scan", str(project), "-q", "-o", str(tmp_path / "r.html"))
    assert code == 2 and ".mlaudit.yaml:2: gates.fail_under.ml-test-score" in err
    write_files(project, {".mlaudit.yaml": "gates:\n  fail_under: {ml-test-scor: 1}\n"})
    code, _, err = cli("scan", str(project), "-q", "-o", str(tmp_path / "r.html"), "--fail-under", "ml-test-score=1")
    assert code == 2 and ".mlaudit.yaml: gates.fail_under: fail-under names rubric 'ml-test-scor'" in err


def test_a_hostile_remote_url_does_not_break_the_baseline(project, cli, tmp_path):
    git(project, "config", "remote.origin.url", "--upload-pack=touch pwned")
    (project / "README.md").write_text("# churn, again\n")
    commit(project, "readme")
    code, out, err = cli("scan", str(project), "--baseline-ref", "HEAD~1", "-o", str(tmp_path / "r.html"))
    assert code == 0, err
    assert not (project / "pwned").exists() and not (tmp_path / "pwned").exists()


def test_the_temporary_clone_is_removed_however_the_scan_ends(project):
    import tempfile

    from mlaudit.repository.revision import checked_out

    before = set(Path(tempfile.gettempdir()).glob("mlaudit-baseline-*"))
    with pytest.raises(KeyboardInterrupt):  # SIGTERM and SIGHUP are turned into this by `main`
        with checked_out(project, "HEAD") as folder:
            assert (folder / "churn" / "train.py").is_file()
            raise KeyboardInterrupt
    assert set(Path(tempfile.gettempdir()).glob("mlaudit-baseline-*")) == before


def test_the_first_commit_compares_with_an_empty_repository(tmp_path, cli):
    repo = tmp_path / "new"
    write_files(repo, {"train.py": "x = 1\n"})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    code, out, err = cli("scan", str(repo), "--baseline-ref", "HEAD", "-o", str(tmp_path / "r.html"))
    assert code == 0, err
    assert "No commit yet: nothing to compare with HEAD" in err


def test_only_one_format_on_stdout_and_baselines_of_another_schema_are_refused(project, cli, tmp_path):
    code, _, err = cli("scan", str(project), "--format", "json", "-o", "-", "--format", "markdown", "-o", "-")
    assert code == 2 and "only one format can go to standard output" in err
    assert cli("scan", str(project), "-q", "--format", "json", "-o", str(tmp_path / "b.json"))[0] == 0
    data = json.loads((tmp_path / "b.json").read_text())
    data["schema_version"] = "99"
    (tmp_path / "b.json").write_text(json.dumps(data))
    code, _, err = cli("scan", str(project), "-o", str(tmp_path / "r.html"), "--baseline", str(tmp_path / "b.json"))
    assert code == 2 and "JSON schema '99'" in err


def test_a_pull_request_that_adds_the_scanned_folder_compares_with_nothing(tmp_path, cli):
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n"})
    write_files(repo, {"ml/train.py": "from sklearn.model_selection import train_test_split\ntrain_test_split(X)\n"})
    commit(repo, "add ml/")
    code, out, err = cli("scan", str(repo / "ml"), "--baseline-ref", "HEAD~1", "-o", str(tmp_path / "r.html"))
    assert code == 1, err
    assert "train.py:2" in out.split("New:")[1]
