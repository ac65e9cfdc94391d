import torch
from torch import nn


class ChurnNet(nn.Module):
    def __init__(self, n_features: int):
        super().__init__()
        self.linear = nn.Linear(n_features, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


def build_model(n_features: int) -> ChurnNet:
    return ChurnNet(n_features)
