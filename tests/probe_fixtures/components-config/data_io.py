# Loading data files, or parsing YAML text, is not loading configuration.
import json

import yaml

inline = yaml.safe_load("a: 1")  # mlaudit-ok: config.managed
labels = yaml.safe_load(open("data/labels.yaml"))  # mlaudit-ok: config.managed
rows = json.load(open("data/rows.json"))  # mlaudit-ok: config.managed
with open(args.settings_path) as fh:
    settings = json.load(fh)  # mlaudit-ok: config.managed
