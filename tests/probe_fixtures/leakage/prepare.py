"""Preprocessing fitted before the split: each fit below leaks into held-out data."""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.decomposition import PCA
from sklearn.feature_selection import SelectKBest
from sklearn.model_selection import KFold, cross_val_score, train_test_split
from sklearn.preprocessing import MinMaxScaler, StandardScaler


def scale_then_split(df):
    X = df.drop(columns="label")
    y = df["label"]
    scaler = StandardScaler()
    X_scaled = scaler.fit_transform(X)  # mlaudit-expect: leakage.preprocess_before_split
    return train_test_split(X_scaled, y, random_state=0)


def chained(X, y):
    X2 = StandardScaler().fit_transform(X)  # mlaudit-expect: leakage.preprocess_before_split
    return train_test_split(X2, y, random_state=0)


def inline(X, y):
    # the fit runs inside the split's own argument list, on a continuation line
    return train_test_split(
        MinMaxScaler().fit_transform(X), y, random_state=0)  # mlaudit-expect: leakage.preprocess_before_split


def fit_whole_then_transform_parts(X, y):
    scaler = StandardScaler()
    scaler.fit(X)  # mlaudit-expect: leakage.preprocess_before_split
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    return scaler.transform(X_train), scaler.transform(X_test)


def reduce_then_kfold(X, y):
    pca = PCA(n_components=10)
    pca.fit(X)  # mlaudit-expect: leakage.preprocess_before_split
    Z = pca.transform(X)
    for train_idx, test_idx in KFold(5, shuffle=True, random_state=0).split(Z):
        pass


def select_then_cross_validate(model, X, y):
    # feature selection on all rows before cross-validation (Lones 2024 §3.6)
    X_sel = SelectKBest(k=20).fit_transform(X, y)  # mlaudit-expect: leakage.preprocess_before_split
    return cross_val_score(model, X_sel, y, cv=5)


def oversample_then_split(X, y):
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)  # mlaudit-expect: leakage.preprocess_before_split
    return train_test_split(X_res, y_res, random_state=0)


def fit_on_test(X_train, X_test):
    scaler = MinMaxScaler()
    X_train = scaler.fit_transform(X_train)  # mlaudit-ok: leakage.preprocess_before_split
    X_test = scaler.fit_transform(X_test)  # mlaudit-expect: leakage.preprocess_before_split
    return X_train, X_test


def fit_on_validation(x_val):
    return StandardScaler().fit(x_val)  # mlaudit-expect: leakage.preprocess_before_split


def main():
    df = pd.read_csv("data.csv")
    scale_then_split(df)


def fit_on_converted_test(X_test):
    # the facts see a call here; the source still says X_test
    return StandardScaler().fit_transform(X_test.astype(float))  # mlaudit-expect: leakage.preprocess_before_split


def copy_then_split(X, y):
    X_scaled = StandardScaler().fit_transform(X)  # mlaudit-expect: leakage.preprocess_before_split
    X = X_scaled
    return train_test_split(X, y, random_state=0)


def fit_then_transform_all(X):
    scaler = StandardScaler()
    scaler.fit(X)  # mlaudit-expect: leakage.preprocess_before_split
    X = scaler.transform(X)
    return list(KFold(5).split(X))
