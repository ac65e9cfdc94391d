from cli import parse


def test_epochs_default():
    assert parse([]).epochs == 3
