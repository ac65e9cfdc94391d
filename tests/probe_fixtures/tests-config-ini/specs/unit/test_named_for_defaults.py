def test_not_matching_python_files():  # mlaudit-ok: tests.present
    pass
