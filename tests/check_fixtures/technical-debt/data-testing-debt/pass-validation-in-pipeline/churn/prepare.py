import pandas as pd

from churn.schema import customers

raw = pd.read_csv("exports/customers.csv")
customers.validate(raw, lazy=True).to_parquet("data/customers.parquet")
