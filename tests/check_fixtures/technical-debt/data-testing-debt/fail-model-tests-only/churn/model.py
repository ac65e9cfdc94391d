from sklearn.linear_model import LogisticRegression


def train(X, y):
    return LogisticRegression(max_iter=1000).fit(X, y)
