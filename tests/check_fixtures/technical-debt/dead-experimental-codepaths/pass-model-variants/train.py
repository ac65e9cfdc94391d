from torch import nn

if False:  # for type checkers only
    from typing import Optional

from mobilenet import MobileNet
from mobilenet_v2 import MobileNetV2


def build(name: str) -> nn.Module:
    return MobileNetV2() if name == "v2" else MobileNet()
