"""Serving code that turns scores into decisions."""
import numpy as np
import torch
from scipy import stats
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, precision_recall_curve

THRESHOLD = 0.42  # mlaudit-expect: thresholds.fixed
FRAUD_DECISION_THRESHOLD = 0.5  # mlaudit-expect: thresholds.fixed
# other kinds of cut-off: not decisions on a model's score
GRAD_CLIP_THRESHOLD = 0.5  # mlaudit-ok: thresholds.fixed
MISSING_VALUE_THRESHOLD = 0.3  # mlaudit-ok: thresholds.fixed
NMS_IOU_THRESHOLD = 0.45  # mlaudit-ok: thresholds.fixed
SIGNIFICANCE = 0.05
N_THRESHOLDS = 100

model = RandomForestClassifier(random_state=0)


def decide(X):
    proba = model.predict_proba(X)
    return proba[:, 1] >= 0.5  # mlaudit-expect: thresholds.fixed


def decide_inline(X):
    return np.where(model.predict_proba(X)[:, 1] > 0.7, 1, 0)  # mlaudit-expect: thresholds.fixed


def torch_decide(net, x):
    logits = net(x)
    return (torch.sigmoid(logits).cpu() > 0.5).long()  # mlaudit-expect: thresholds.fixed


def named_scores(y_score, confidence, y_hat):
    flagged = y_score >= 0.8  # mlaudit-expect: thresholds.fixed
    keep = confidence > 0.25  # mlaudit-expect: thresholds.fixed
    ones = y_hat > 0.5  # mlaudit-expect: thresholds.fixed
    return flagged, keep, ones


def not_decisions(y, y_pred, p_value, val_score, dropout_prob, keep_prob, lr, rng):
    if p_value < 0.05:  # mlaudit-ok: thresholds.fixed
        print("significant")
    if val_score > 0.9:  # mlaudit-ok: thresholds.fixed
        print("good enough")
    if accuracy_score(y, y_pred) > 0.8:  # mlaudit-ok: thresholds.fixed
        print("accurate")
    if dropout_prob > 0.5 or keep_prob < 0.8:  # mlaudit-ok: thresholds.fixed
        print("heavy dropout")
    if lr < 0.1 and rng.random() < 0.5:  # mlaudit-ok: thresholds.fixed
        print("small steps")
    if y_pred == 0.5:  # mlaudit-ok: thresholds.fixed
        print("undecided")


def tuned(X_val, y_val):
    # derived from held-out data: not a fixed threshold
    precision, recall, thresholds = precision_recall_curve(y_val, model.predict_proba(X_val)[:, 1])
    best = thresholds[np.argmax(precision * recall)]
    return best


def local_default(X, threshold=0.5):
    # a parameter's default is a setting callers can change
    cutoff = 0.5  # mlaudit-ok: thresholds.fixed
    return model.predict_proba(X)[:, 1] > threshold


_, pvalue = stats.ttest_ind([1, 2], [3, 4])
