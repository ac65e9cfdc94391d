def it_is_a_tool():  # mlaudit-ok: tests.present
    pass
