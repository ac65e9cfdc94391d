import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("data/customers.csv")
model = LogisticRegression(max_iter=300).fit(df[["tenure_months", "monthly_charges"]], df["churned"])
joblib.dump(model, "models/churn.joblib")
