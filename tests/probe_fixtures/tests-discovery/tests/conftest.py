import pytest


@pytest.fixture
def test_db():  # mlaudit-ok: tests.present
    return {}


def test_in_conftest():  # mlaudit-ok: tests.present
    pass
