import joblib
from fastapi import FastAPI

app = FastAPI()
model = joblib.load("models/churn.joblib")


# mlaudit-expect: serving.present
@app.get("/health")
def health():
    return {"ok": True}


@app.post("/predict")
def predict(payload: dict):
    return {"churn": float(model.predict_proba([payload["x"]])[0, 1])}
