import pandas as pd

raw = pd.read_csv("exports/customers.csv")
clean = raw.dropna(subset=["customer_id"]).drop_duplicates("customer_id")
clean.to_parquet("data/customers.parquet")
