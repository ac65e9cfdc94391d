import joblib
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
model = joblib.load("models/churn.joblib")


class Customer(BaseModel):
    tenure_months: int
    monthly_charges: float


@app.post("/predict")
def predict(c: Customer) -> dict:
    proba = model.predict_proba([[c.tenure_months, c.monthly_charges]])[0, 1]
    return {"churn_probability": float(proba)}
