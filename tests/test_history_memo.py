"""A history walk reuses what it worked out from a blob at the previous commit; the answers must be
the ones a scan of each commit on its own gives, warnings included."""

from __future__ import annotations


from conftest import git, make_repo, write_files

from mlaudit.checks.loader import load_rubrics
from mlaudit.facts.memo import ContentMemo
from mlaudit.history.sample import first_parent_line
from mlaudit.history.store import HistoryStore, scan_key
from mlaudit.history.walk import walk
from mlaudit.repository.git_tree import revision_repository
from mlaudit.scan import ScanOptions, run_scan

LEAKY = """from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split

X = StandardScaler().fit_transform(X)
X_train, X_test = train_test_split(X)
X_a, X_b = train_test_split(X)  # mlaudit: ignore[ml-pitfalls/split-seeds] a marker the walk reuses
"""
FILES = {
    "README.md": "# p\n",
    "train.py": LEAKY,
    "broken.ipynb": "{not json",
    "syntax.py": "def f(:\n",
    "config.yaml": b"name: \xff\xfe\n",
    "deploy.env": "API_KEY=q8Zr7Kp2Lm9Xv4Tn6Wb1Yc3Hd5Jf0Gs\n",
    ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n",
    "tests/test_model.py": "from train import X\n\ndef test_x():\n    assert X is not None\n",
}


def _view(result) -> tuple:
    return ([r.model_dump(mode="json") for r in result.results],
            [s.model_dump(mode="json") for s in result.rubrics],
            sorted((w.path, w.message, w.line, w.cell) for w in result.warnings))


def test_a_walk_reusing_blobs_stores_what_a_scan_of_each_commit_alone_gives(tmp_path):
    repo = make_repo(tmp_path / "proj", FILES)
    write_files(repo, {"README.md": "# p\n\nmore\n"})  # every other blob is reused
    git(repo, "commit", "-qam", "docs")
    write_files(repo, {"train.py": LEAKY.replace("fit_transform(X)", "fit(X)"), "broken.ipynb": "{still not json"})
    git(repo, "commit", "-qam", "change code")

    rubrics = load_rubrics([])
    commits = first_parent_line(repo, "HEAD", None, None)
    store = HistoryStore(tmp_path / "h.sqlite")
    walk(repo, commits, store, ScanOptions(use_cache=False), rubrics)
    ruleset = scan_key(repo, ScanOptions(use_cache=False), rubrics)

    for c in commits:
        with revision_repository(repo, c.commit) as alone:
            expected = run_scan(repo, ScanOptions(use_cache=False), rubrics, repo=alone)
        stored = store.load(c.commit, ruleset)
        assert _view(stored) == _view(expected), c.subject
    store.close()

    messages = " ".join(w.message for w in expected.warnings)
    assert "not UTF-8" in messages and "syntax" in messages.lower()  # the replayed warnings are there


def test_the_memo_keeps_what_the_last_two_commits_used():
    memo = ContentMemo()
    memo.put("a", 1)
    memo.advance()
    memo.put("b", 2)
    assert memo.get("a") == 1  # used again: carried into this commit
    memo.advance()
    memo.advance()
    assert memo.get("a") is None and memo.get("b") is None
