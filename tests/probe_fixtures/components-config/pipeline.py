from src.app.settings import load_config

train_cfg = load_config("configs/train.yaml")  # mlaudit-expect: config.managed
