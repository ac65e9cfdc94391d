"""Test files that contain tests (Data 7, Infra 2)."""

from __future__ import annotations

import fnmatch

from mlaudit.facts.model import FileFacts
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

PYTEST_FILES = ("test_*.py", "*_test.py")


def test_functions(facts: FileFacts) -> list[tuple[str, int]]:
    """(qualname, line) of what pytest or unittest would collect from this module."""
    testcase_classes = {c.name for c in facts.python.classes
                        if any(b.rsplit(".", 1)[-1] in ("TestCase", "IsolatedAsyncioTestCase") for b in c.bases)}
    found = []
    for fn in facts.python.functions:
        if not fn.name.startswith("test"):
            continue
        if fn.class_name is None and "." not in fn.qualname:
            found.append((fn.qualname, fn.line))
        elif fn.class_name is not None and (fn.class_name.startswith("Test") or fn.class_name in testcase_classes) \
                and fn.qualname == f"{fn.class_name}.{fn.name}":
            found.append((fn.qualname, fn.line))
    return found


@probe("tests.present", outcomes={Outcome.true, Outcome.false})
def tests_present(ctx: ProbeContext) -> ProbeResult:
    """Does the repository contain test files with tests in them?

    A test file follows pytest's default naming (`test_*.py`, `*_test.py`); a test is a
    module-level `test*` function, a `test*` method of a `Test*` class, or a `test*` method of a
    `unittest.TestCase` subclass. A test file with no test in it is not a test and is listed
    apart. Values: `test_files`, `test_functions`, `empty_test_files`.
    """
    evidence: list[Evidence] = []
    empty: list[str] = []
    n_files = n_tests = 0
    for f, facts in ctx.code():
        if facts.kind != "python" or not any(fnmatch.fnmatchcase(f.name, p) for p in PYTEST_FILES):
            continue
        found = test_functions(facts)
        if not found:
            empty.append(f.path)
            continue
        n_files += 1
        n_tests += len(found)
        evidence.append(Evidence(path=f.path, line=found[0][1],
                                 detail=f"{len(found)} test{'s' if len(found) != 1 else ''}, first: {found[0][0]}"))
    values = {"test_files": n_files, "test_functions": n_tests, "empty_test_files": empty}
    if n_tests:
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    message = "no test functions found" + (f"; {len(empty)} test file(s) contain no tests" if empty else "")
    return ProbeResult(outcome=Outcome.false, values=values, message=message,
                       evidence=[Evidence(path=p, detail="named like a test file but contains no tests") for p in empty])
