from sklearn.model_selection import train_test_split


def test_split_shapes():
    a, b = train_test_split(list(range(10)))  # mlaudit-ok: splits.unseeded
    assert len(a) + len(b) == 10
