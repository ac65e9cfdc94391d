import unittest


class TestCli(unittest.TestCase):
    def test_runs(self):
        self.assertTrue(True)


if __name__ == "__main__":
    unittest.main()
