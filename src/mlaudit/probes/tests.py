"""Test files that contain tests (Data 7, Infra 2); tests.model and tests.data live in tests_exercise."""

from __future__ import annotations

from mlaudit.probes import tests_exercise  # noqa: F401  (registers tests.model and tests.data)
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe
from mlaudit.probes.tests_collect import collect

MAX_EVIDENCE = 50
MAX_LISTED = 50


@probe("tests.present", outcomes={Outcome.true, Outcome.false})
def tests_present(ctx: ProbeContext) -> ProbeResult:
    """Does the repository contain test files with tests in them?

    Follows pytest's discovery rules and the repository's pytest configuration (pytest.ini,
    pyproject.toml, tox.ini, setup.cfg: `testpaths`, `python_files`, `python_classes`,
    `python_functions`, `norecursedirs`, `--ignore` in `addopts`; `collect_ignore` in conftest.py).
    A file named on a pytest or unittest command line in CI, a Makefile, tox.ini or noxfile.py is
    collected whatever its name. A test is a module-level `test*` function, a `test*` method of a
    `Test*` class without `__init__`, or a `test*` method of a unittest TestCase subclass (also
    through project base classes, and in unittest's `test*.py` files). Fixtures, functions nested in
    other functions, conftest.py and notebooks are not tests; a parametrized test counts once.
    Evidence: each test file, at its first test, with the number of tests. A collected file with no
    test in it is listed apart. Values: `test_files`, `test_functions`, `empty_test_files`,
    `not_collected` (files named like tests that pytest will not collect), `configs`,
    `conftest_files`.
    """
    c = collect(ctx)
    with_tests = [tf for tf in c.files if tf.tests]
    empty = [tf.path for tf in c.files if not tf.tests]
    values = {
        "test_files": len(with_tests), "test_functions": len(c.functions),
        "empty_test_files": empty[:MAX_LISTED], "not_collected": c.not_collected[:MAX_LISTED],
        "configs": c.configs, "conftest_files": len(c.conftests),
    }
    if len(empty) > MAX_LISTED:
        values["empty_test_files_total"] = len(empty)
    if len(c.not_collected) > MAX_LISTED:
        values["not_collected_total"] = len(c.not_collected)
    if with_tests:
        evidence = []
        for tf in with_tests[:MAX_EVIDENCE]:
            own = [t for t in tf.tests if t.path == tf.path] or tf.tests
            first = min(own, key=lambda t: t.fn.line)
            n = len(tf.tests)
            how = f" (named on the test command line at {tf.named_at})" if tf.named_at else ""
            evidence.append(Evidence(path=tf.path, line=first.fn.line if first.path == tf.path else None,
                                     detail=f"{n} test{'s' if n != 1 else ''}, first: {first.fn.qualname}{how}"))
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    message = "no test functions found" + (f"; {len(empty)} test file(s) contain no tests" if empty else "")
    if c.not_collected:
        message += f"; {len(c.not_collected)} file(s) named like tests are outside what pytest collects"
    return ProbeResult(outcome=Outcome.false, values=values, message=message,
                       evidence=[Evidence(path=p, detail="collected as a test file but contains no tests")
                                 for p in empty[:MAX_EVIDENCE]])
