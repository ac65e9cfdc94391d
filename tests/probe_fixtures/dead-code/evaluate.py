def evaluate(model, X, y):
    return model.score(X, y)
