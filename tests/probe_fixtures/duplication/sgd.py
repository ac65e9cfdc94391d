from abc import abstractmethod

from base import Trainer


class OnlineTrainer(Trainer):
    # The same abstract method, its docstring copied: documentation repeated, not code.
    @abstractmethod
    def fit(self, X, y):  # mlaudit-ok: code.duplicated_cells
        """Fit the model.

        Args:
            X: the features, one row per example.
            y: the labels, one per row of X.
            Both are read once and never modified.
        """
