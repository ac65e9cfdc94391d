from prometheus_client import Counter, Histogram

# mlaudit-expect: monitoring.present
PREDICTIONS = Counter("predictions_total", "Predictions served")
LATENCY = Histogram("predict_latency_seconds", "Prediction latency")
