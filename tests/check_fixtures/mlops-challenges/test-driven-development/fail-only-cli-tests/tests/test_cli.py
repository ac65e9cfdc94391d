from cli import parse_args


def test_defaults():
    args = parse_args([])
    assert args.epochs == 10
    assert args.lr == 1e-3
