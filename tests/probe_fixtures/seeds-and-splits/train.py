"""Training entry point: seeds everything, then splits twice."""
import random

import numpy as np
import torch
from numpy import random as npr
from sklearn.model_selection import KFold, train_test_split
from torch.utils.data import random_split

SEED = 13


def main(cfg):
    random.seed(SEED)  # mlaudit-expect: seeds.set
    npr.seed(cfg.seed)  # mlaudit-expect: seeds.set
    # mlaudit-expect: seeds.set
    torch.manual_seed(
        SEED)
    X_train, X_test = train_test_split(X, random_state=SEED)  # mlaudit-ok: splits.unseeded
    folds = KFold(5, True, SEED)  # mlaudit-ok: splits.unseeded
    # a K-fold without shuffling is not random
    plain = KFold(n_splits=5)  # mlaudit-ok: splits.unseeded
    # the global numpy seed above makes this split the same on every run
    a, b = train_test_split(X, test_size=0.2)  # mlaudit-ok: splits.unseeded
    gen = torch.Generator().manual_seed(0)  # mlaudit-expect: seeds.set
    train, val = random_split(ds, [80, 20], generator=gen)  # mlaudit-ok: splits.unseeded
    if cfg.debug:
        np.random.seed(0)  # mlaudit-expect: seeds.set
