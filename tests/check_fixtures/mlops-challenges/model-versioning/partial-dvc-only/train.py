import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

df = pd.read_parquet("data/prepared/customers.parquet")
model = LogisticRegression(max_iter=300).fit(df[["tenure_months"]], df["churned"])
joblib.dump(model, "models/churn.joblib")
