import numpy as np


class OrdinalEncoder:
    """Maps categories to integers, with -1 for categories unseen in fit."""

    def fit(self, values):
        self.categories_ = {v: i for i, v in enumerate(sorted(set(values)))}
        return self

    def transform(self, values):
        return np.array([self.categories_.get(v, -1) for v in values])
