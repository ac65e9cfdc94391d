import mlflow

TRACKING_URI = "file:./mlruns"
mlflow.set_tracking_uri(TRACKING_URI)  # mlaudit-expect: tracking.experiments
