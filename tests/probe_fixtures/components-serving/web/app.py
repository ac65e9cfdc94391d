from flask import Flask, request

from store import load_model_from_disk

app = Flask(__name__)
model = load_model_from_disk()


@app.route("/predict", methods=["POST"])  # mlaudit-expect: serving.present
def predict():
    return {"y": model(request.json["x"]).tolist()}
