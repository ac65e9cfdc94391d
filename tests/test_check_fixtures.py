"""Every probe-backed check against its fixture repositories, through the same runner as
`mlaudit rubrics test` (tests/check_fixtures/README.md describes the layout)."""

from __future__ import annotations

import pytest

from mlaudit.checks import fixtures as fx
from mlaudit.checks.loader import load_rubrics

RUBRICS = load_rubrics()
FIXTURES = fx.discover(fx.builtin_fixtures_dir(), RUBRICS)


def test_the_builtin_fixtures_are_found():
    assert fx.builtin_fixtures_dir().is_dir()
    assert FIXTURES, "no fixture under tests/check_fixtures"


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_check_on_fixture(fixture):
    run = fx.run(fixture)
    assert run.ok, "\n".join(run.mismatches)


def test_every_status_a_rule_can_give_has_a_fixture():
    """Like a Semgrep rule's annotated targets: each status a check's rules name is shown on a repository."""
    missing = fx.missing(FIXTURES, RUBRICS)
    assert not missing, "\n".join(missing)
