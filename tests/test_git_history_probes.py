"""git.review and git.cochange on real multi-commit repositories: merges from pull requests, squash
merges, direct pushes, CODEOWNERS, shallow clones, tests that do or do not move with the code."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import GIT_ENV, make_repo, write_files

from mlaudit.checks.schema import ProbeUse
from mlaudit.probes.model import Outcome
from mlaudit.scan import ScanOptions, Session

DAY = 24 * 3600
T0 = 1_700_000_000


def git(root: Path, *args: str, author: str = "Ada", when: int | None = None) -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_NAME": author, "GIT_COMMITTER_NAME": author,
           "GIT_AUTHOR_EMAIL": f"{author.lower()}@example.com", "GIT_COMMITTER_EMAIL": f"{author.lower()}@example.com"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


class Repo:
    """A repository built commit by commit, two days apart unless told otherwise."""

    def __init__(self, root: Path, files: dict[str, str]):
        make_repo(root, files, commit=False)
        self.root, self.clock = root, T0
        self.commit(files, "Initial commit")

    def tick(self, seconds: int = 2 * DAY) -> int:
        self.clock += seconds
        return self.clock

    def commit(self, files: dict[str, str], message: str, author: str = "Ada", after: int = 2 * DAY) -> None:
        write_files(self.root, files)
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message, author=author, when=self.tick(after))

    def branch(self, name: str, start: str = "main") -> None:
        git(self.root, "checkout", "-q", "-b", name, start)

    def checkout(self, name: str) -> None:
        git(self.root, "checkout", "-q", name)

    def merge(self, branch: str, message: str, author: str = "Maintainer") -> None:
        git(self.root, "merge", "-q", "--no-ff", branch, "-m", message, author=author, when=self.tick())


def run(path: Path, probe: str, **params):
    session = Session.open(path, ScanOptions(use_cache=False))
    try:
        return session.runner.run(ProbeUse(id=probe, params=params))
    finally:
        session.close()


def shallow_clone(src: Path, dst: Path) -> Path:
    git(dst.parent, "clone", "-q", "--depth", "1", f"file://{src}", dst.name)
    return dst


# -- git.review ---------------------------------------------------------------------------------

def test_shallow_clone_is_not_observable_for_both_probes(tmp_path):
    repo = Repo(tmp_path / "src", {"model.py": "x = 1\n", "tests/test_model.py": "def test_x():\n    pass\n"})
    repo.commit({"model.py": "x = 2\n"}, "Tune x")
    clone = shallow_clone(repo.root, tmp_path / "clone")
    review = run(clone, "git.review")
    assert review.outcome is Outcome.not_observable
    assert "shallow clone" in review.message and review.evidence == []
    cochange = run(clone, "git.cochange")
    assert cochange.outcome is Outcome.not_observable
    assert "shallow clone" in cochange.message


def test_shallow_clone_with_codeowners_shows_it_but_does_not_decide(tmp_path):
    repo = Repo(tmp_path / "src", {"model.py": "x = 1\n", ".github/CODEOWNERS": "# owners\n*.py @ml-team\n"})
    repo.commit({"model.py": "x = 2\n"}, "Tune x")
    result = run(shallow_clone(repo.root, tmp_path / "clone"), "git.review")
    # CODEOWNERS says review is expected; only history shows it happens (a full point rides on it).
    assert result.outcome is Outcome.not_observable
    assert "review is expected, but not that it happens" in result.message
    assert result.values["codeowners"] is True
    assert [(e.path, e.line) for e in result.evidence] == [(".github/CODEOWNERS", 2)]
    assert "shallow clone" in result.message


def test_merge_commits_from_pull_requests_are_reviewed(tmp_path):
    repo = Repo(tmp_path / "r", {"model.py": "x = 1\n"})
    repo.commit({"model.py": "x = 0\n"}, "Fix a typo")
    repo.commit({"README.md": "docs\n"}, "Add a readme (#1)", author="Bo")
    # Parallel pull requests, each branched from the first commit and merged in turn.
    for n, author in ((2, "Cy"), (3, "Di"), (4, "Ed"), (5, "Bo")):
        repo.branch(f"feature-{n}", "main~1")
        repo.commit({f"feature_{n}.py": f"y = {n}\n"}, f"Add feature {n}", author=author)
        repo.checkout("main")
        repo.merge(f"feature-{n}", f"Merge pull request #{n} from {author.lower()}/feature-{n}")
    result = run(repo.root, "git.review")
    assert result.outcome is Outcome.true
    assert result.values == {"reviewed_commits": 5, "commits": 6, "ratio": 0.833, "codeowners": False,
                             "pr_template": False, "authors": 6}
    assert any("Merge pull request #5" in e.detail for e in result.evidence)


def test_pull_requests_from_up_to_date_branches_are_never_taken_for_direct_pushes(tmp_path):
    repo = Repo(tmp_path / "r", {"model.py": "x = 1\n"})
    for n, author in ((1, "Bo"), (2, "Cy"), (3, "Di")):
        repo.branch(f"feature-{n}")
        repo.commit({f"feature_{n}.py": f"y = {n}\n"}, f"Add feature {n}", author=author)
        repo.checkout("main")
        repo.merge(f"feature-{n}", f"Merge pull request #{n} from {author.lower()}/feature-{n}")
    result = run(repo.root, "git.review")
    # A merge whose tree equals its branch's can be left out of a path-limited `git log`; the probe
    # must then say it cannot tell rather than count the branch's commits as pushes to main.
    assert result.outcome in (Outcome.true, Outcome.not_observable)
    if result.outcome is Outcome.true:
        assert result.values["reviewed_commits"] == 3


def test_squash_merges_are_reviewed(tmp_path):
    repo = Repo(tmp_path / "r", {"model.py": "x = 1\n", ".github/pull_request_template.md": "## What\n"})
    for n, author in enumerate(("Bo", "Cy", "Di", "Bo"), start=10):
        repo.commit({"model.py": f"x = {n}\n"}, f"Tune the model for slice {n} (#{n})", author=author)
    result = run(repo.root, "git.review")
    assert result.outcome is Outcome.true
    assert result.values["reviewed_commits"] == 4 and result.values["commits"] == 4  # the initial commit is no change
    assert result.values["pr_template"] is True
    assert result.evidence[0].path == ".github/pull_request_template.md"


def test_gitlab_merge_requests_are_reviewed_and_sync_merges_are_not_changes(tmp_path):
    repo = Repo(tmp_path / "r", {"model.py": "x = 1\n"})
    repo.commit({"a.py": "a = 1\n"}, "Add a (#1)", author="Bo")
    for n, author in ((2, "Cy"), (3, "Di")):
        repo.branch(f"mr-{n}", "main~1")
        repo.commit({f"mr_{n}.py": "z = 1\n"}, f"Change {n}", author=author)
        repo.checkout("main")
        repo.merge(f"mr-{n}", f"Merge branch 'mr-{n}' into 'main'")
    repo.branch("upstream", "main~2")
    repo.commit({"up.py": "u = 1\n"}, "Upstream work (#4)", author="Cy")
    repo.checkout("main")
    repo.merge("upstream", "Merge branch 'main' of github.com:org/project", author="Ada")
    result = run(repo.root, "git.review")
    assert result.outcome is Outcome.true
    # "(#1)" and two merge requests; the `git pull` merge is no change of its own
    assert (result.values["reviewed_commits"], result.values["commits"]) == (3, 3)


def test_direct_pushes_by_one_author_are_not_reviewed(tmp_path):
    repo = Repo(tmp_path / "r", {"model.py": "x = 1\n"})
    for n in range(4):
        repo.commit({"model.py": f"x = {n}\n"}, f"try learning rate {n}")
    result = run(repo.root, "git.review")
    assert result.outcome is Outcome.false
    assert result.values == {"reviewed_commits": 0, "commits": 4, "ratio": 0.0, "codeowners": False,
                             "pr_template": False, "authors": 1}
    assert len(result.evidence) == 4 and all(e.path is None for e in result.evidence)
    assert "try learning rate 3" in result.evidence[0].detail and "pushed directly" in result.evidence[0].detail


def test_codeowners_does_not_outweigh_a_history_of_direct_pushes(tmp_path):
    repo = Repo(tmp_path / "r", {"model.py": "x = 1\n", "CODEOWNERS": "* @alice @bob\n"})
    for n, author in enumerate(("Bo", "Ada", "Bo")):
        repo.commit({"model.py": f"x = {n}\n"}, f"tweak {n}", author=author)
    result = run(repo.root, "git.review")
    assert result.outcome is Outcome.false
    assert result.values["codeowners"] is True
    assert "CODEOWNERS is present" in result.message
    assert result.evidence[0].path == "CODEOWNERS"


def test_one_author_merging_their_own_pull_requests_is_not_review(tmp_path):
    repo = Repo(tmp_path / "r", {"model.py": "x = 1\n"})
    repo.commit({"README.md": "docs\n"}, "Docs (#1)")
    for n in (2, 3, 4):
        repo.branch(f"dev-{n}", "main~1")
        repo.commit({f"f{n}.py": "y = 1\n"}, f"work {n}")
        repo.checkout("main")
        repo.merge(f"dev-{n}", f"Merge pull request #{n} from ada/dev-{n}", author="Ada")
    result = run(repo.root, "git.review")
    assert result.outcome is Outcome.false
    assert result.values["authors"] == 1 and result.values["ratio"] == 1.0
    assert "one author" in result.message


def test_without_git_review_is_not_observable(tmp_path):
    (tmp_path / "plain").mkdir()
    write_files(tmp_path / "plain", {"model.py": "x = 1\n"})
    result = run(tmp_path / "plain", "git.review")
    assert result.outcome is Outcome.not_observable
    assert "not a git repository" in result.message


# -- git.cochange -------------------------------------------------------------------------------

PKG = {
    "src/pkg/__init__.py": "from pkg.model import train\n",
    "src/pkg/model.py": "def train():\n    return 1\n",
    "src/pkg/features.py": "def build():\n    return 2\n",
    "src/pkg/cli.py": "print('untested')\n",
    "tests/test_model.py": "from pkg import train\n\ndef test_train():\n    assert train() == 1\n",
    "tests/test_pipeline.py": "from pkg.features import build\n\ndef test_build():\n    assert build() == 2\n",
}


def test_cochange_true_when_tests_move_with_the_code(tmp_path):
    repo = Repo(tmp_path / "r", PKG)
    repo.commit({"src/pkg/model.py": "def train():\n    return 1  # faster\n",
                 "tests/test_model.py": PKG["tests/test_model.py"] + "# more\n"}, "Speed up training")
    repo.commit({"src/pkg/features.py": "def build():\n    return 2  # v2\n",
                 "tests/test_pipeline.py": PKG["tests/test_pipeline.py"] + "# v2\n"}, "Features v2")
    repo.commit({"src/pkg/cli.py": "print('still untested')\n"}, "CLI wording")  # no tests: not counted
    result = run(repo.root, "git.cochange")
    assert result.outcome is Outcome.true
    # model.py is found through the package's re-export, features.py through a direct import
    assert result.values == {"code_commits": 2, "with_tests": 2, "ratio": 1.0, "modules": 2}


def test_cochange_false_lists_commits_that_left_the_tests_behind(tmp_path):
    repo = Repo(tmp_path / "r", PKG)
    for n in range(4):
        repo.commit({"src/pkg/model.py": f"def train():\n    return {n}\n"}, f"Retune {n}")
    result = run(repo.root, "git.cochange")
    assert result.outcome is Outcome.false
    assert result.values == {"code_commits": 4, "with_tests": 0, "ratio": 0.0, "modules": 2}
    assert len(result.evidence) == 4
    first = result.evidence[0]
    assert first.path == "src/pkg/model.py"
    assert "Retune 3" in first.detail and "tests/test_model.py" in first.detail


def test_any_test_changed_with_the_code_counts_not_only_its_own(tmp_path):
    repo = Repo(tmp_path / "r", PKG)
    repo.commit({"src/pkg/model.py": "def train():\n    return 3\n",
                 "tests/test_pipeline.py": PKG["tests/test_pipeline.py"] + "# end to end\n"}, "Model v3")
    repo.commit({"src/pkg/model.py": "def train():\n    return 4\n"}, "Model v4")
    result = run(repo.root, "git.cochange")
    assert (result.values["code_commits"], result.values["with_tests"]) == (2, 1)
    assert result.outcome is Outcome.true  # half the commits: the default threshold
    assert [e.detail.split('"')[1] for e in result.evidence] == ["Model v3"]


def test_a_test_in_the_authors_next_commit_within_a_day_counts(tmp_path):
    repo = Repo(tmp_path / "r", PKG)
    repo.commit({"src/pkg/model.py": "def train():\n    return 5\n"}, "Change the model", author="Bo")
    repo.commit({"tests/test_model.py": PKG["tests/test_model.py"] + "# 5\n"}, "Test it", author="Bo",
                after=3600)
    repo.commit({"src/pkg/features.py": "def build():\n    return 7\n"}, "Change features", author="Cy")
    repo.commit({"tests/test_pipeline.py": PKG["tests/test_pipeline.py"] + "# 7\n"}, "Test later", author="Cy",
                after=3 * DAY)
    result = run(repo.root, "git.cochange", min_ratio=0.7)
    assert result.values["code_commits"] == 2 and result.values["with_tests"] == 1
    assert result.outcome is Outcome.false
    assert [e.detail.split('"')[1] for e in result.evidence] == ["Change features"]


def test_cochange_not_applicable_without_tests_or_without_tested_changes(tmp_path):
    untested = Repo(tmp_path / "a", {"src/pkg/model.py": "x = 1\n", "tests/helpers.py": "def make():\n    pass\n"})
    untested.commit({"src/pkg/model.py": "x = 2\n"}, "Change")
    result = run(untested.root, "git.cochange")
    assert result.outcome is Outcome.not_applicable and result.values["modules"] == 0

    quiet = Repo(tmp_path / "b", PKG)
    quiet.commit({"README.md": "docs\n"}, "Docs")
    quiet.commit({"README.md": "more docs\n"}, "More docs")
    result = run(quiet.root, "git.cochange", window=2)
    assert result.outcome is Outcome.not_applicable
    assert result.values["code_commits"] == 0 and "last 2" in result.message


def test_a_subfolder_is_judged_by_the_changes_that_landed_on_the_branch(tmp_path):
    """`git log -- sub` would drop merges that touch nothing in sub and break the first-parent line."""
    repo = Repo(tmp_path / "r", {"app/model.py": "x = 1\n", "docs/a.md": "a\n"})
    for n in range(6):
        repo.commit({"docs/a.md": f"{n}\n"}, f"Edit docs {n}", author=("Al", "Bo")[n % 2])
    repo.commit({"app/model.py": "x = 2\n"}, "Tune x (#7)", author="Bo")
    at_root, in_app = run(repo.root, "git.review"), run(repo.root / "app", "git.review")
    assert at_root.outcome is in_app.outcome is Outcome.false
    assert in_app.values["commits"] == at_root.values["commits"] == 7
