import mlflow


def test_logs_a_metric(tmp_path):
    mlflow.set_tracking_uri(str(tmp_path))  # mlaudit-ok: tracking.experiments
    mlflow.log_metric("x", 1.0)
