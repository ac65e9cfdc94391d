class Model:
    def __init__(self, augment=False):
        self.augment = augment

    def fit(self, X, y):
        return self
