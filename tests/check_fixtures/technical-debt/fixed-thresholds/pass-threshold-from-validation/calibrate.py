import json

import joblib
import numpy as np
from scipy import stats
from sklearn.metrics import precision_recall_curve

model = joblib.load("model.joblib")
X_val, y_val = np.load("data/X_val.npy"), np.load("data/y_val.npy")

val_scores = model.predict_proba(X_val)[:, 1]
precision, recall, thresholds = precision_recall_curve(y_val, val_scores)
threshold = float(thresholds[np.argmax(precision[:-1] >= 0.95)])

_, p_value = stats.ttest_ind(val_scores[y_val == 1], val_scores[y_val == 0])
if p_value < 0.05:
    print("scores separate the classes")

with open("threshold.json", "w") as f:
    json.dump({"threshold": threshold}, f)
