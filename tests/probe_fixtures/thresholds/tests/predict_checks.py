# Not named test_*.py so pytest leaves it alone; a tests/ folder still makes it a test file.
from predict import decide, model


def test_scores_are_calibrated(X):
    # assertions about scores in tests are not decision thresholds
    assert model.predict_proba(X)[0, 1] > 0.5  # mlaudit-ok: thresholds.fixed
    THRESHOLD = 0.3  # mlaudit-ok: thresholds.fixed
    assert decide(X).mean() > THRESHOLD
