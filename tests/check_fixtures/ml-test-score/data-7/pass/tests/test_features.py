from features import scale


def test_scale():
    assert scale([2, 4]) == [0.5, 1.0]
