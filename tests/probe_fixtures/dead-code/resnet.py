def ResNet50(weights=None):
    return ("resnet", 50, weights)
