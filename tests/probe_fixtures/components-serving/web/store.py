import torch


def load_model_from_disk(path="model.pt"):
    return torch.load(path)
