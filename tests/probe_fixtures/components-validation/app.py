import joblib
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
model = joblib.load("model.joblib")


class PredictRequest(BaseModel):  # mlaudit-expect: data.validation
    age: int
    income: float


@app.post("/predict")
def predict(req: PredictRequest):
    return {"y": float(model.predict([[req.age, req.income]])[0])}
