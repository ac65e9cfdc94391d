"""Module-level flow with a helper function that rebinds a name of the same spelling."""
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from data import load

X, y = load()
X_scaled_copy = StandardScaler().fit_transform(X)  # mlaudit-ok: leakage.preprocess_before_split


def helper(X):
    # this binding is local to helper: the module-level X split below is another variable
    X = StandardScaler().fit_transform(X)  # mlaudit-ok: leakage.preprocess_before_split
    return X


X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
