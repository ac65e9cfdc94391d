import json

import joblib

model = joblib.load("model.joblib")
with open("threshold.json") as f:
    THRESHOLD = json.load(f)["threshold"]


def is_spam(features) -> bool:
    return model.predict_proba([features])[0, 1] >= THRESHOLD
