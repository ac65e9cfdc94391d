import numpy as np

from churn.model import train


def test_model_learns_a_separable_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(int)
    assert train(X, y).score(X, y) > 0.9
