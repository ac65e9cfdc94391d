import numpy as np
from sklearn.linear_model import LogisticRegression

features = np.load("data/features.npy")
X, y = features[:, :-1], features[:, -1]
model = LogisticRegression(C=1.0).fit(X, y)
