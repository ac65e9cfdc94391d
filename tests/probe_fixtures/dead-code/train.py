"""Training script with experimental leftovers."""
from model import Model

if False:  # the pre-3.5 spelling of TYPE_CHECKING  # mlaudit-ok: code.dead_experimental
    from typing import List


def train(X, y):
    model = Model().fit(X, y)
    if False:  # mlaudit-expect: code.dead_experimental
        model = Model(augment=True).fit(X, y)
        model.calibrate(X, y)
    if 0:  # mlaudit-expect: code.dead_experimental
        print("debug", model)
    # noqa  # mlaudit-expect: code.dead_experimental
    # model = GradientBoosting(n_estimators=500)
    # model.fit(X, y)
    # preds = model.predict(X)
    # score = accuracy(y, preds)
    # print("gbm", score)
    # noqa  # mlaudit-ok: code.dead_experimental
    # model.save("m.pkl")
    # print(model)
    # print(X.shape)
    # print(y.shape)
    # Prose comments are not code, however long the explanation runs:
    # the model is fitted once on the full data set, then saved, then
    # evaluated by a separate script that reads the saved file back,
    # so nothing here needs to be kept in sync with the evaluation code,
    # and the data set is never read twice.
    return model


def affine(sx, sy, t):
    """Builds the affine matrix.

    # noqa  # mlaudit-ok: code.dead_experimental
    # a0 = sx * cos(t)
    # a1 = sx * -sin(t)
    # a2 = tx + cx - cx * a0
    # b0 = sy * sin(t)
    # b1 = sy * cos(t)
    """
    return [[sx, 0], [0, sy]]
