"""Train the churn classifier and write the model and metrics to disk.

Usage (from the project root):

    python -m churn.train
"""

import json
import os
import random

import joblib
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from churn.features import build_features, load_customers

DATA_PATH = "data/customers.csv"
MODEL_DIR = "models"
MODEL_PATH = os.path.join(MODEL_DIR, "churn.joblib")
METRICS_PATH = "metrics.json"


def main():
    random.seed(42)

    df = load_customers(DATA_PATH)
    X, y = build_features(df)

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y)

    model = GradientBoostingClassifier(
        random_state=0, n_estimators=200, learning_rate=0.05
    )
    model.fit(X_train, y_train)

    proba = model.predict_proba(X_test)[:, 1]
    auc = roc_auc_score(y_test, proba)

    os.makedirs(MODEL_DIR, exist_ok=True)
    joblib.dump(model, MODEL_PATH)

    metrics = {
        "roc_auc": round(float(auc), 4),
        "n_train": int(len(X_train)),
        "n_test": int(len(X_test)),
        "churn_rate": round(float(y.mean()), 4),
    }
    with open(METRICS_PATH, "w") as f:
        json.dump(metrics, f, indent=2)

    print(f"ROC AUC on hold-out set: {auc:.3f}")
    print(f"Model saved to {MODEL_PATH}")


if __name__ == "__main__":
    main()
