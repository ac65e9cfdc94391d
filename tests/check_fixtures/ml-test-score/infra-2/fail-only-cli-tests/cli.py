import argparse


def parse(argv):
    p = argparse.ArgumentParser()
    p.add_argument('--epochs', type=int, default=3)
    return p.parse_args(argv)
