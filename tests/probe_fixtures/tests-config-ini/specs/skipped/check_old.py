def it_is_ignored_by_conftest():  # mlaudit-ok: tests.present
    pass
