import pandas as pd

# A few rows kept for the example; the real data is exported from the warehouse.
df = pd.read_csv("data/raw.csv")
df = df.dropna()
df.to_csv("data/clean.csv", index=False)
