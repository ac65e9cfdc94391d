__test__ = False


def it_would_be_a_test():  # mlaudit-ok: tests.present
    pass
