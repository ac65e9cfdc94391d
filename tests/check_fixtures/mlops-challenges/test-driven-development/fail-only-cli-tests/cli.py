import argparse


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Train the churn model")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=1e-3)
    return parser.parse_args(argv)
