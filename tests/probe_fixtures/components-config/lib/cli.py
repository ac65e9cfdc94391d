# A library building its CLI on jsonargparse offers config files to its users; it does not
# configure runs of its own.
from jsonargparse import ActionConfigFile, ArgumentParser


class LightningArgumentParser(ArgumentParser):  # mlaudit-ok: config.managed
    def __init__(self):
        super().__init__()
        self.add_argument("--config", action=ActionConfigFile)  # mlaudit-ok: config.managed
