def it_converts():  # mlaudit-expect: tests.present
    assert True


class DescribeOff:
    __test__ = False

    def it_is_switched_off(self):  # mlaudit-ok: tests.present
        pass
