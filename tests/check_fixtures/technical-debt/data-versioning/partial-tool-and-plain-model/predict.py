import numpy as np

# The trained weights are committed next to the code instead of going through DVC.
weights = np.load("models/weights.npy")


def score(x):
    return x @ weights
