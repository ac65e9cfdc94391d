def test_legacy_pricing():  # mlaudit-ok: tests.present
    assert True
