import argparse

import yaml

parser = argparse.ArgumentParser()
parser.add_argument("--config")
args = parser.parse_args()
with open(args.config) as f:
    cfg = yaml.safe_load(f)  # mlaudit-expect: config.managed
