import joblib

model = joblib.load("model.joblib")


def is_spam(features) -> bool:
    proba = model.predict_proba([features])[0, 1]
    return proba >= 0.73
