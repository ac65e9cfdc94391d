"""tests.present, tests.model and tests.data: counts, configuration, command lines and the answers
the annotated fixtures (probe_fixtures/tests-*) cannot express."""

from __future__ import annotations

from conftest import notebook

from mlaudit.probes.model import Outcome
from mlaudit.scan import ScanOptions, run_probes


def probe(repo, probe_id):
    _, results = run_probes(repo, ScanOptions(use_cache=False), [probe_id])
    return results[probe_id]


def counts(r):
    return r.values["test_files"], r.values["test_functions"]


# -- tests.present: what counts -------------------------------------------------------------
def test_parametrized_async_and_inherited_tests_count_once_per_function(repo_factory):
    repo = repo_factory({
        "tests/test_a.py": (
            "import pytest\n\n@pytest.mark.parametrize('x', [1, 2, 3])\ndef test_p(x):\n    pass\n\n"
            "async def test_async():\n    pass\n"),
        "tests/mixins.py": "class Checks:\n    def test_shared(self):\n        pass\n",
        "tests/test_b.py": "from tests.mixins import Checks\n\nclass TestOne(Checks):\n    pass\n\n"
                           "class TestTwo(Checks):\n    def test_own(self):\n        pass\n",
    })
    r = probe(repo, "tests.present")
    assert r.outcome is Outcome.true
    # test_shared is one function however many classes inherit it
    assert counts(r) == (2, 4)
    assert [(e.path, e.line) for e in r.evidence] == [("tests/test_a.py", 4), ("tests/test_b.py", 7)]


def test_indirect_testcase_subclasses_and_unittest_file_names(repo_factory):
    repo = repo_factory({
        "app/base.py": "import unittest\n\nclass AppCase(unittest.TestCase):\n    pass\n",
        "app/deeper.py": "from app.base import AppCase\n\nclass ModelCase(AppCase):\n    pass\n",
        # `tests.py` is not a pytest name, but unittest discovery (test*.py) finds it
        "app/tests.py": "from app.deeper import ModelCase\n\nclass Views(ModelCase):\n"
                        "    def test_index(self):\n        pass\n    def helper(self):\n        pass\n",
        "app/testing.py": "def test_like():\n    pass\n",  # a pytest-style function unittest does not run
    })
    r = probe(repo, "tests.present")
    assert counts(r) == (1, 1)
    assert [(e.path, e.line, e.detail) for e in r.evidence] == [("app/tests.py", 4, "1 test, first: Views.test_index")]


def test_false_for_conftest_notebooks_and_empty_files(repo_factory):
    repo = repo_factory({
        "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef test_data():\n    return 1\n\n"
                             "def test_in_conftest():\n    pass\n",
        "tests/test_empty.py": "",
        "tests/test_fixtures_only.py": "import pytest\n\n@pytest.fixture\ndef test_user():\n    return 1\n",
        "notebooks/test_nb.ipynb": notebook([("code", "def test_cell():\n    assert True", 1)]),
        "pkg/util.py": "def testing_helper():\n    pass\n",
    })
    r = probe(repo, "tests.present")
    assert r.outcome is Outcome.false
    assert counts(r) == (0, 0)
    assert r.values["empty_test_files"] == ["tests/test_empty.py", "tests/test_fixtures_only.py"]
    assert r.values["conftest_files"] == 1
    assert [e.path for e in r.evidence] == ["tests/test_empty.py", "tests/test_fixtures_only.py"]
    assert r.message == "no test functions found; 2 test file(s) contain no tests"


def test_files_outside_testpaths_or_in_norecursedirs_are_reported_as_not_collected(repo_factory):
    repo = repo_factory({
        "setup.cfg": "[tool:pytest]\ntestpaths = tests\nnorecursedirs = old\n",
        "tests/test_ok.py": "def test_ok():\n    pass\n",
        "tests/old/test_legacy.py": "def test_legacy():\n    pass\n",
        "scripts/test_script.py": "def test_script():\n    pass\n",
    })
    r = probe(repo, "tests.present")
    assert counts(r) == (1, 1)
    assert r.values["configs"] == ["setup.cfg"]
    assert r.values["not_collected"] == ["scripts/test_script.py", "tests/old/test_legacy.py"]


def test_every_configuration_file_kind_is_read(repo_factory):
    files = {"a/check_x.py": "def check_x():\n    pass\n", "a/test_y.py": "def test_y():\n    pass\n"}
    tox = "[tox]\nenvlist = py311\n\n[pytest]\npython_files = check_*.py\npython_functions = check\n"
    for config in ({"tox.ini": tox},
                   {"pytest.ini": "[pytest]\npython_files = check_*.py\npython_functions = check_*\n",
                    "pyproject.toml": "[tool.pytest.ini_options]\npython_files = ['test_*.py']\n"},
                   {"pyproject.toml": "[tool.pytest.ini_options]\npython_files = 'check_*.py'\n"
                                      "python_functions = ['check']\n"}):
        r = probe(repo_factory({**files, **config}), "tests.present")
        assert [e.path for e in r.evidence] == ["a/check_x.py"], config


def test_a_pyproject_without_pytest_table_leaves_the_defaults(repo_factory):
    repo = repo_factory({"pyproject.toml": "[project]\nname = 'x'\n",
                         "setup.cfg": "[metadata]\nname = x\n",
                         "tests/test_y.py": "def test_y():\n    pass\n"})
    r = probe(repo, "tests.present")
    assert counts(r) == (1, 1) and r.values["configs"] == []


def test_the_nearest_configuration_governs_a_nested_project(repo_factory):
    repo = repo_factory({
        "pyproject.toml": "[tool.pytest.ini_options]\ntestpaths = ['tests']\n",
        "tests/test_root.py": "def test_root():\n    pass\n",
        "examples/demo/pytest.ini": "[pytest]\ntestpaths = checks\n",
        "examples/demo/checks/test_demo.py": "def test_demo():\n    pass\n",
        "examples/other/test_other.py": "def test_other():\n    pass\n",
    })
    r = probe(repo, "tests.present")
    assert [e.path for e in r.evidence] == ["examples/demo/checks/test_demo.py", "tests/test_root.py"]
    assert r.values["not_collected"] == ["examples/other/test_other.py"]


def test_files_named_on_a_command_line_are_collected_whatever_their_name(repo_factory):
    repo = repo_factory({
        "Makefile": "test:\n\tpython -m pytest -k fast tests/model_checks.py::test_fit --cov src \\\n\t\tsuite/\n",
        "tests/model_checks.py": "def test_fit():\n    pass\n",
        "suite/extra_checks.py": "def test_never():\n    pass\n",  # a folder argument keeps python_files
        "suite/test_extra.py": "def test_extra():\n    pass\n",
        "tox.ini": "[testenv]\ncommands = pytest {posargs} tests/smoke.py\n",
        "tests/smoke.py": "def test_smoke():\n    pass\n",
        "noxfile.py": "import nox\n\n@nox.session\ndef tests(session):\n    session.run('pytest', 'ci/nox_case.py')\n",
        "ci/nox_case.py": "def test_nox():\n    pass\n",
        "run_all.py": "import subprocess\nsubprocess.run(['python', '-m', 'pytest', 'ci/script_case.py'])\n",
        "ci/script_case.py": "def test_script():\n    pass\n",
        "docs/not_run.py": "def test_doc():\n    pass\n",
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    steps:\n"
                                    "      - run: pip install pytest tests/pinned.py\n",
        "tests/pinned.py": "def test_pinned():\n    pass\n",  # an install line does not run tests
    })
    r = probe(repo, "tests.present")
    assert sorted(e.path for e in r.evidence) == [
        "ci/nox_case.py", "ci/script_case.py", "suite/test_extra.py", "tests/model_checks.py", "tests/smoke.py"]
    assert next(e.detail for e in r.evidence if e.path == "tests/smoke.py") == \
        "1 test, first: test_smoke (named on the test command line at tox.ini:2)"


def test_unittest_discover_pattern_from_ci(repo_factory):
    repo = repo_factory({
        ".gitlab-ci.yml": "test:\n  script:\n    - python -m unittest discover -s specs -p '*_spec.py'\n",
        "specs/model_spec.py": "import unittest\n\nclass M(unittest.TestCase):\n"
                               "    def test_fit(self):\n        pass\n",
    })
    r = probe(repo, "tests.present")
    assert [(e.path, e.line) for e in r.evidence] == [("specs/model_spec.py", 4)]


def test_test_classes_with_init_or_switched_off_are_skipped(repo_factory):
    repo = repo_factory({
        "tests/base.py": "class Base:\n    def __init__(self):\n        pass\n",
        "tests/test_x.py": "from tests.base import Base\n\n"
                           "class TestInherits(Base):\n    def test_a(self):\n        pass\n\n"
                           "class TestOff:\n    __test__ = False\n    def test_b(self):\n        pass\n\n"
                           "class TestOuter:\n    class TestInner:\n        def test_c(self):\n            pass\n",
    })
    r = probe(repo, "tests.present")
    assert counts(r) == (1, 1)
    assert r.evidence[0].detail == "1 test, first: TestOuter.TestInner.test_c"


def test_evidence_is_capped_and_values_say_how_many(repo_factory):
    repo = repo_factory({f"tests/test_{i:02}.py": "def test_x():\n    pass\n" for i in range(60)})
    r = probe(repo, "tests.present")
    assert counts(r) == (60, 60) and len(r.evidence) == 50


# -- tests.model / tests.data --------------------------------------------------------------
def test_no_tests_is_false_with_a_message(repo_factory):
    repo = repo_factory({"train.py": "import torch\n\ndef train():\n    torch.nn.Linear(1, 1)\n"})
    for pid, key in (("tests.model", "model_tests"), ("tests.data", "data_tests")):
        r = probe(repo, pid)
        assert r.outcome is Outcome.false and r.message == "no tests"
        assert r.values == {key: 0, "files": [], "tests": 0}


def test_tests_that_touch_neither_model_nor_data(repo_factory):
    repo = repo_factory({
        "app/cli.py": "import argparse\n\ndef parse(argv):\n    return argparse.ArgumentParser().parse_args(argv)\n",
        "tests/test_cli.py": "from app.cli import parse\n\ndef test_parse():\n    assert parse([])\n",
    })
    r = probe(repo, "tests.model")
    assert r.outcome is Outcome.false
    assert r.values == {"model_tests": 0, "tests": 1, "files": []}
    assert r.message == "1 test(s) found; none exercises model or training code"
    assert probe(repo, "tests.data").outcome is Outcome.false


def test_model_tests_through_helpers_setup_and_base_classes(repo_factory):
    repo = repo_factory({
        "proj/__init__.py": "",
        "proj/nets.py": "import torch\n\nclass Base(torch.nn.Module):\n    pass\n\nclass Tiny(Base):\n    pass\n",
        "proj/keras_model.py": "import keras\n\ndef make():\n    return keras.Sequential([keras.layers.Dense(1)])\n",
        "tests/helpers.py": "from proj.nets import Tiny\n\ndef build():\n    return Tiny()\n",
        "tests/test_m.py": (
            "import unittest\nfrom tests import helpers\nfrom proj import keras_model\n\n"
            "def test_via_helper():\n    helpers.build()\n\n"
            "class TestSetup(unittest.TestCase):\n    def setUp(self):\n        self.m = helpers.build()\n"
            "    def test_uses_setup(self):\n        self.assertTrue(self.m)\n\n"
            "def test_keras_in_project():\n    keras_model.make()\n"),
    })
    r = probe(repo, "tests.model")
    assert r.outcome is Outcome.true
    details = {e.line: e.detail for e in r.evidence}
    assert details[5] == "test_via_helper uses Tiny (model code, subclass of Base) (via build)"
    assert details[11].startswith("TestSetup.test_uses_setup uses Tiny") and "(via setUp → build)" in details[11]
    assert details[14].startswith("test_keras_in_project calls proj.keras_model.make")
    assert r.values == {"model_tests": 3, "tests": 3, "files": ["tests/test_m.py"]}


def test_a_data_class_only_handed_to_training_is_not_a_data_test(repo_factory):
    repo = repo_factory({
        "proj/data.py": "import torch\n\nclass Rows(torch.utils.data.Dataset):\n    pass\n",
        "proj/train.py": "import torch\n\ndef train_model(ds):\n    return ds\n",
        "tests/test_t.py": "from proj.data import Rows\nfrom proj.train import train_model\n\n"
                           "def test_train():\n    train_model(Rows())\n\n"
                           "def test_rows():\n    assert Rows() is not None\n",
        "tests/test_local.py": "import torch\n\nclass RandomRows(torch.utils.data.Dataset):\n    pass\n\n"
                               "class LocalRows(torch.utils.data.Dataset):\n    pass\n\n"
                               "def test_local():\n    assert LocalRows() and RandomRows()\n",
    })
    r = probe(repo, "tests.data")
    # a dataset the test defines for itself is input, not project data code
    assert [(e.path, e.line) for e in r.evidence] == [("tests/test_t.py", 7)]
    assert r.values["data_tests"] == 1 and r.values["tests"] == 3


def test_model_evidence_spreads_over_files_and_is_capped(repo_factory):
    files = {f"tests/test_{i:02}.py": "import torch\n\ndef test_a():\n    torch.nn.Linear(1, 1)\n\n"
                                      "def test_b():\n    torch.nn.Linear(1, 1)\n" for i in range(55)}
    r = probe(repo_factory(files), "tests.model")
    assert r.values["model_tests"] == 110 and r.values["files_total"] == 55 and len(r.values["files"]) == 50
    assert len(r.evidence) == 50
    assert len({e.path for e in r.evidence}) == 50  # one test from each file before a second from any


def test_imports_resolve_like_pytest_does(repo_factory):
    repo = repo_factory({
        # inside a package, `import numpy` is numpy even with a numpy.py beside the test
        "pkg/__init__.py": "",
        "pkg/numpy.py": "import pandas\n\ndef vectorize(frame):\n    return frame\n",
        "pkg/ops_test.py": "import numpy as np\n\ndef test_vectorize():\n    np.vectorize(len)\n",
        # outside a package the test's folder is on sys.path: `import features` is the file beside it
        "suite/features.py": "import pandas\n\ndef build_features(frame):\n    return frame\n",
        "suite/test_features.py": "import features\n\ndef test_build():\n    features.build_features(None)\n",
    })
    r = probe(repo, "tests.data")
    assert [(e.path, e.line, e.detail) for e in r.evidence] == [
        ("suite/test_features.py", 3, "test_build calls features.build_features (data code, by its name)")]
