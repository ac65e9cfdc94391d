import pytest

from shop.pricing import total


@pytest.fixture
def test_cart():  # mlaudit-ok: tests.present
    return [1, 2]


def helper():
    def test_nested():  # mlaudit-ok: tests.present
        assert True
    return test_nested


@pytest.mark.parametrize("n", [1, 2, 3])
def test_total(test_cart, n):  # mlaudit-expect: tests.present
    assert total(test_cart) == 3


async def test_total_async():
    assert total([]) == 0
