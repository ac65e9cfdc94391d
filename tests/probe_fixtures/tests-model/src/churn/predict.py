import numpy as np

from churn.features import add_tenure_ratio


def score(model, frame):
    return np.asarray(model(add_tenure_ratio(frame)))
