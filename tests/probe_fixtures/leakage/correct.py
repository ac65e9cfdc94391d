"""The correct patterns: split first, or keep the transformer inside a Pipeline."""
import matplotlib.pyplot as plt
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import LabelEncoder, StandardScaler


def split_first(X, y):
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train)  # mlaudit-ok: leakage.preprocess_before_split
    X_test = scaler.transform(X_test)
    return X_train, X_test


def pipeline_in_cv(X, y):
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    return cross_val_score(pipe, X, y, cv=5)


def pipeline_in_search(X, y):
    pipe = Pipeline([("impute", SimpleImputer()), ("clf", LogisticRegression())])
    search = GridSearchCV(pipe, {"clf__C": [0.1, 1.0]}, cv=3)
    search.fit(X, y)


def plot_then_cross_validate(X, y):
    # a projection for a plot does not feed the cross-validation, which gets the raw X
    coords = PCA(n_components=2).fit_transform(X)  # mlaudit-ok: leakage.preprocess_before_split
    plt.scatter(coords[:, 0], coords[:, 1])
    return cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X, y)


def fitted_but_not_applied(X, y):
    # fitted on everything only to inspect the statistics; the parts are never transformed
    stats = StandardScaler()
    stats.fit(X)  # mlaudit-ok: leakage.preprocess_before_split
    print(stats.mean_)
    return train_test_split(X, y, random_state=0)


def encode_labels(X, y):
    y = LabelEncoder().fit_transform(y)  # mlaudit-ok: leakage.preprocess_before_split
    return train_test_split(X, y, random_state=0)


def train_and_validation(X_train_val, y_train_val, X_test):
    # training + validation data together is still training data
    scaler = StandardScaler().fit(X_train_val)  # mlaudit-ok: leakage.preprocess_before_split
    return scaler.transform(X_test)


def two_scalers(X_tr, X_all):
    first = StandardScaler()
    X_tr_s = first.fit_transform(X_tr)  # mlaudit-ok: leakage.preprocess_before_split
    second = StandardScaler()
    X_all_s = second.fit_transform(X_all)  # mlaudit-expect: leakage.preprocess_before_split
    return X_tr_s, train_test_split(X_all_s, random_state=0)


def rebound_by_tuple(load_other):
    X = StandardScaler().fit_transform(load_other()[0])  # mlaudit-ok: leakage.preprocess_before_split
    # X now names new, unscaled data: the tuple assignment rebinds it
    X, y = load_other()
    return train_test_split(X, y, random_state=0)


def fit_here(X):
    return StandardScaler().fit_transform(X)  # mlaudit-ok: leakage.preprocess_before_split


def split_elsewhere(X):
    # another function's scope: the flow between the two is not followed
    return train_test_split(X, random_state=0)


def split_then_fit_all(X, y):
    parts = train_test_split(X, y, random_state=0)
    X_all = StandardScaler().fit_transform(X)  # mlaudit-ok: leakage.preprocess_before_split
    return parts, X_all


def rows_not_in_test(df):
    # "test" appears only inside the row filter: these are the training rows
    return StandardScaler().fit(df[df.split != "test"])  # mlaudit-ok: leakage.preprocess_before_split


def rebound_by_loop(batches):
    X = StandardScaler().fit_transform(batches[0])  # mlaudit-ok: leakage.preprocess_before_split
    for X, y in batches:  # X now names each raw batch in turn
        pass
    return train_test_split(X, y, random_state=0)


def fitted_data_rebound(load_other):
    scaler = StandardScaler()
    X, y = load_other()
    scaler.fit(X)  # mlaudit-ok: leakage.preprocess_before_split
    # other rows from here on: the split and the transforms never reach what the scaler learned
    X, y = load_other()
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    return scaler.transform(X_train), scaler.transform(X_test)


def two_scalers_one_class(X_train, X):
    # `a.transform` and `b.transform` read the same in the facts: which one scaled X is not known
    a = StandardScaler()
    b = StandardScaler()
    a.fit(X_train)
    b.fit(X)  # mlaudit-ok: leakage.preprocess_before_split
    X_a = a.transform(X)
    return train_test_split(X_a, random_state=0)
