def predict(x):
    return x > 0.5
