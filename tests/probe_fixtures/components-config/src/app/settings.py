import json

import yaml
from pydantic_settings import BaseSettings


class Settings(BaseSettings):  # mlaudit-expect: config.managed
    model_path: str = "model.pt"


def load_config(path):
    # the caller names the file: counted where it is called with a config path
    with open(path) as fh:
        return yaml.safe_load(fh)  # mlaudit-ok: config.managed


def model_card():
    with open("model/config.json") as fh:  # a literal config path
        return json.load(fh)  # mlaudit-expect: config.managed
