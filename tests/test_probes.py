"""Each spine probe on small real git repositories: the true, false and not-applicable cases."""

from __future__ import annotations

from conftest import notebook

from mlaudit.probes.model import Outcome
from mlaudit.scan import ScanOptions, run_probes


def probe(repo, probe_id):
    _, results = run_probes(repo, ScanOptions(use_cache=False), [probe_id])
    return results[probe_id]


# -- seeds.set ---------------------------------------------------------------------------
def test_seeds_set_finds_every_library_and_flags(repo_factory):
    repo = repo_factory({"train.py": (
        "import random\nimport numpy as np\nimport torch\nimport pytorch_lightning as pl\n"
        "random.seed(0)\nnp.random.seed(0)\ntorch.manual_seed(0)\ntorch.cuda.manual_seed_all(0)\n"
        "pl.seed_everything(0)\ntorch.use_deterministic_algorithms(True)\n"
        "torch.backends.cudnn.deterministic = True\n")})
    r = probe(repo, "seeds.set")
    assert r.outcome is Outcome.true
    assert r.values["libraries"] == ["lightning", "numpy", "random", "torch", "torch.cuda"]
    assert r.values["determinism_flags"] == ["torch.backends.cudnn.deterministic", "torch.use_deterministic_algorithms"]
    assert [(e.path, e.line) for e in r.evidence] == [("train.py", n) for n in (5, 6, 7, 8, 9)]
    assert r.values["conditional"] is False


def test_seeds_set_false_points_at_the_random_imports_and_ignores_tests(repo_factory):
    repo = repo_factory({"train.py": "import numpy as np\nx = np.random.rand(3)\n",
                         "tests/test_train.py": "import numpy as np\nnp.random.seed(0)\n"})
    r = probe(repo, "seeds.set")
    assert r.outcome is Outcome.false
    assert [(e.path, e.line) for e in r.evidence] == [("train.py", 1)]


def test_seeds_set_conditional_and_unseeded_generator(repo_factory):
    repo = repo_factory({"t.py": "import numpy as np\nrng = np.random.default_rng()\nif DEBUG:\n    np.random.seed(1)\n"})
    r = probe(repo, "seeds.set")
    assert r.outcome is Outcome.true and r.values["conditional"] is True
    assert [e.line for e in r.evidence] == [4]  # default_rng() without a seed is not seeding


def test_seeds_set_not_applicable_without_random_libraries(repo_factory):
    assert probe(repo_factory({"app.py": "import os\nprint(os.getcwd())\n"}), "seeds.set").outcome is Outcome.not_applicable


# -- splits.unseeded ---------------------------------------------------------------------
SPLITS = '''\
import pandas as pd
import torch
from sklearn.model_selection import train_test_split, KFold, ShuffleSplit
from torch.utils.data import random_split
a = train_test_split(X, y, test_size=0.2)  # unseeded
b = train_test_split(X, y, random_state=0)
c = train_test_split(X, y, shuffle=False)
d = train_test_split(X, y, random_state=None)  # unseeded
e = KFold(5)
f = KFold(n_splits=5, shuffle=True)  # unseeded
g = KFold(5, True, 42)
h = ShuffleSplit(5, 0.2, None, 7)
i = random_split(ds, [80, 20])  # unseeded
j = random_split(ds, [80, 20], generator=torch.Generator().manual_seed(0))
df = pd.read_csv("x.csv")
k = df.sample(frac=0.8)  # unseeded
m = df.sample(frac=0.8, random_state=1)
n = spark_df.randomSplit([0.8, 0.2])  # unseeded
o = spark_df.randomSplit([0.8, 0.2], 42)
'''


def test_splits_unseeded_counts_keyword_and_positional_seeds(repo_factory):
    r = probe(repo_factory({"split.py": SPLITS}), "splits.unseeded")
    assert r.outcome is Outcome.true
    expected = [n for n, line in enumerate(SPLITS.splitlines(), start=1) if "# unseeded" in line]
    assert [e.line for e in r.evidence] == expected
    assert r.values == {"seeded": 6, "unseeded": 6, "globally_seeded": 0}


def test_a_global_seed_set_earlier_makes_a_split_reproducible(repo_factory):
    repo = repo_factory({
        "numpy_first.py": "import numpy as np\nfrom sklearn.model_selection import train_test_split\n"
                          "np.random.seed(0)\ntrain_test_split(X)\n",
        "seed_after.py": "import numpy as np\nfrom sklearn.model_selection import train_test_split\n"
                         "train_test_split(X)  # unseeded\nnp.random.seed(0)\n",
        "conditional.py": "import numpy as np\nfrom sklearn.model_selection import train_test_split\n"
                          "if fixed:\n    np.random.seed(0)\ntrain_test_split(X)  # unseeded\n",
        "wrong_library.py": "import torch\nfrom sklearn.model_selection import train_test_split\n"
                            "torch.manual_seed(0)\ntrain_test_split(X)  # unseeded\n",
        "lightning.py": "import lightning as L\nfrom torch.utils.data import random_split\n"
                        "L.seed_everything(42)\nrandom_split(ds, [8, 2])\n",
        "nb.ipynb": notebook([("code", "import numpy as np\nnp.random.seed(1)", 1),
                              ("code", "from sklearn.model_selection import train_test_split\ntrain_test_split(X)", 2)]),
    })
    r = probe(repo, "splits.unseeded")
    assert sorted((e.path, e.line) for e in r.evidence) == [
        ("conditional.py", 5), ("seed_after.py", 3), ("wrong_library.py", 4)]
    assert r.values == {"seeded": 3, "unseeded": 3, "globally_seeded": 3}


def test_splits_unseeded_false_and_not_applicable(repo_factory):
    seeded = repo_factory({"s.py": "from sklearn.model_selection import train_test_split\n"
                                   "train_test_split(X, y, random_state=SEED)\n"})
    assert probe(seeded, "splits.unseeded").outcome is Outcome.false
    none = repo_factory({"s.py": "import random\nrandom.sample(items, 3)\n"})
    assert probe(none, "splits.unseeded").outcome is Outcome.not_applicable


# -- tests.present -----------------------------------------------------------------------
def test_tests_present_counts_collectable_tests_only(repo_factory):
    repo = repo_factory({
        "tests/test_a.py": "def test_one():\n    assert 1\n\nclass TestB:\n    def test_two(self):\n        pass\n"
                           "    def helper(self):\n        pass\n",
        "tests/test_empty.py": "",
        "tests/test_helpers_only.py": "def make():\n    return 1\n",
        "pkg/model_test.py": "import unittest\nclass M(unittest.TestCase):\n    def test_fit(self):\n        pass\n",
        "pkg/util.py": "def test_like_name():\n    pass\n",  # not a test file
    })
    r = probe(repo, "tests.present")
    assert r.outcome is Outcome.true
    assert (r.values["test_files"], r.values["test_functions"]) == (2, 3)
    assert r.values["empty_test_files"] == ["tests/test_empty.py", "tests/test_helpers_only.py"]


def test_tests_present_false_for_empty_test_files(repo_factory):
    r = probe(repo_factory({"tests/test_x.py": "# TODO\n"}), "tests.present")
    assert r.outcome is Outcome.false and r.evidence[0].path == "tests/test_x.py"


# -- ci.runs_tests -----------------------------------------------------------------------
GHA = """\
name: ci
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt pytest
      - name: tests
        run: |
          echo start
          python -m pytest -q
"""


def test_ci_runs_tests_github_actions_points_at_the_line(repo_factory):
    r = probe(repo_factory({".github/workflows/ci.yml": GHA}), "ci.runs_tests")
    assert r.outcome is Outcome.true
    assert [(e.path, e.line) for e in r.evidence] == [(".github/workflows/ci.yml", 15)]
    assert r.values["triggers"] == ["pull_request", "push"]


def test_ci_runs_tests_gitlab_and_manual_only_workflows(repo_factory):
    gitlab = repo_factory({".gitlab-ci.yml": "test:\n  image: python:3.11\n  script:\n    - pip install .\n    - pytest\n"})
    r = probe(gitlab, "ci.runs_tests")
    assert r.outcome is Outcome.true and r.evidence[0].line == 5
    manual = repo_factory({".github/workflows/t.yml": "on: workflow_dispatch\njobs:\n  t:\n    steps:\n      - run: pytest\n"})
    r = probe(manual, "ci.runs_tests")
    assert r.outcome is Outcome.false and "never on push" in r.message


def test_ci_runs_tests_false_without_ci_or_test_step(repo_factory):
    assert probe(repo_factory({"a.py": "x = 1\n"}), "ci.runs_tests").message == "no CI configuration found"
    lint_only = repo_factory({".github/workflows/l.yml": "on: [push]\njobs:\n  l:\n    steps:\n      - run: ruff check .\n"})
    assert probe(lint_only, "ci.runs_tests").outcome is Outcome.false


def test_ci_broken_yaml_is_a_warning(repo_factory):
    repo = repo_factory({".github/workflows/bad.yml": "on: [push\njobs: {"})
    session, results = run_probes(repo, ScanOptions(use_cache=False), ["ci.runs_tests"])
    assert results["ci.runs_tests"].outcome is Outcome.false
    assert any(w.path == ".github/workflows/bad.yml" and w.line for w in session.warnings())


# -- notebooks.out_of_order --------------------------------------------------------------
def test_notebooks_out_of_order_one_item_per_notebook(repo_factory):
    repo = repo_factory({
        "a.ipynb": notebook([("code", "x = 1", 1), ("markdown", "m", None), ("code", "y = 2", 3),
                             ("code", "z = 3", 2), ("code", "w", 1)]),
        "b.ipynb": notebook([("code", "x = 1", 1), ("code", "y = 2", 2)]),
        "c.ipynb": notebook([("code", "x = 1", None)]),
    })
    r = probe(repo, "notebooks.out_of_order")
    assert r.outcome is Outcome.true
    assert [(e.path, e.cell) for e in r.evidence] == [("a.ipynb", 3)]
    assert r.values == {"notebooks": 2, "out_of_order": 1}


def test_notebooks_in_order_and_none(repo_factory):
    ok = repo_factory({"b.ipynb": notebook([("code", "x = 1", 1), ("code", "", None), ("code", "y", 5)])})
    assert probe(ok, "notebooks.out_of_order").outcome is Outcome.false
    assert probe(repo_factory({"a.py": "x\n"}), "notebooks.out_of_order").outcome is Outcome.not_applicable


# -- data.versioning ---------------------------------------------------------------------
def test_data_versioning_dvc_and_lfs(repo_factory):
    dvc = repo_factory({"dvc.yaml": "stages: {}\n", "data/raw.csv.dvc": "outs:\n- md5: 1\n  path: raw.csv\n"})
    r = probe(dvc, "data.versioning")
    assert r.outcome is Outcome.true and r.values["tools"] == ["dvc"]
    lfs = repo_factory({".gitattributes": "# comment filter=lfs\n*.parquet filter=lfs diff=lfs merge=lfs -text\n"})
    r = probe(lfs, "data.versioning")
    assert r.values["tools"] == ["git-lfs"] and r.evidence[0].line == 2


def test_data_versioning_false_lists_committed_data(repo_factory):
    r = probe(repo_factory({"data/train.csv": "a,b\n1,2\n", "model.pkl": b"\x80\x04", "a.py": "x\n"}), "data.versioning")
    assert r.outcome is Outcome.false
    assert [e.path for e in r.evidence] == ["data/train.csv", "model.pkl"]
