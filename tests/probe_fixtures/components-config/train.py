import hydra
import yaml
from omegaconf import OmegaConf


# mlaudit-expect: config.managed
@hydra.main(config_path="conf", config_name="config", version_base=None)
def main(cfg):
    print(OmegaConf.to_yaml(cfg))
    defaults = OmegaConf.create({"lr": 0.1})  # building a config in code is not loading one


params = yaml.safe_load(open("params.yaml"))  # mlaudit-expect: config.managed

exec(open("configurator.py").read())  # mlaudit-expect: config.managed

if __name__ == "__main__":
    main()
