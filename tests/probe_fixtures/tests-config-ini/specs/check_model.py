class DescribeModel:
    def it_fits(self):  # mlaudit-expect: tests.present
        assert True

    def test_also_collected(self):
        assert True

    def helper(self):  # mlaudit-ok: tests.present
        pass


class TestIgnoredByPythonClasses:
    def it_is_not_collected(self):  # mlaudit-ok: tests.present
        pass
