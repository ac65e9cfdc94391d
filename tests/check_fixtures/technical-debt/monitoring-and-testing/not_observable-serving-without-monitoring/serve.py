import joblib
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
model = joblib.load("model.joblib")


class Customer(BaseModel):
    tenure: int
    monthly_charges: float


@app.post("/predict")
def predict(customer: Customer) -> dict:
    proba = model.predict_proba([[customer.tenure, customer.monthly_charges]])[0, 1]
    return {"churn_probability": float(proba)}
