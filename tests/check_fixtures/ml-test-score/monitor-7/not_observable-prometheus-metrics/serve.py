import time

import joblib
from flask import Flask, jsonify, request
from prometheus_client import Histogram, start_http_server

app = Flask(__name__)
model = joblib.load("models/churn.joblib")
LATENCY = Histogram("predict_latency_seconds", "Time spent computing a prediction")


@app.route("/predict", methods=["POST"])
def predict():
    start = time.perf_counter()
    score = model.predict_proba([request.json["features"]])[0, 1]
    LATENCY.observe(time.perf_counter() - start)
    return jsonify({"score": float(score)})


if __name__ == "__main__":
    start_http_server(9100)
    app.run(port=8080)
