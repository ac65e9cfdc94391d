# Another architecture, named for its version: not a kept copy of resnet.py.
def ResNet50V2(weights=None):  # mlaudit-ok: code.dead_experimental
    return ("resnet_v2", 50, weights)
