def test_smoke():  # mlaudit-expect: tests.present
    assert True
