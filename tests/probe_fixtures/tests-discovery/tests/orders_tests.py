def test_order_id():  # mlaudit-expect: tests.present
    assert "o-1".startswith("o-")
