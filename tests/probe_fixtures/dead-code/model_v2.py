# A versioned copy that redefines the same class: nothing imports it.
# mlaudit-expect: code.dead_experimental
class Model:
    def __init__(self, augment=True):
        self.augment = augment

    def fit(self, X, y):
        return self
