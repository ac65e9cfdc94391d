import dvc.api


def test_reads():
    assert dvc.api.read("data/raw.csv")  # mlaudit-ok: data.versioning
