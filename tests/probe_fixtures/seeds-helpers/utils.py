import random

import numpy as np


def seed_all(seed=42):
    random.seed(seed)  # mlaudit-expect: seeds.set
    np.random.seed(seed)  # mlaudit-expect: seeds.set


def make_split(X, y, seed=None):
    from sklearn.model_selection import train_test_split

    # callers decide: see run.py
    return train_test_split(X, y, random_state=seed)  # mlaudit-ok: splits.unseeded


def fixed_split(X, y, seed=7):
    from sklearn.model_selection import train_test_split

    return train_test_split(X, y, random_state=seed)  # mlaudit-ok: splits.unseeded


def orphan_split(X, seed=None):
    from sklearn.model_selection import train_test_split

    return train_test_split(X, random_state=seed)  # mlaudit-expect: splits.unseeded
