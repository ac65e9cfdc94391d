from train import load

FAKE = "/home/tester/fixture.csv"  # mlaudit-ok: paths.absolute


def test_load(tmp_path):
    assert load() is not None
