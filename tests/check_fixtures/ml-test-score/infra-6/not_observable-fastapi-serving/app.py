import joblib
import pandas as pd
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
model = joblib.load("models/churn.joblib")


class Customer(BaseModel):
    tenure_months: int
    monthly_spend: float


@app.post("/predict")
def predict(customer: Customer) -> dict:
    proba = model.predict_proba(pd.DataFrame([customer.model_dump()]))[0, 1]
    return {"churn_probability": float(proba)}
