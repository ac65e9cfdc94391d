import pandas as pd

df = pd.read_csv("tmp/joined.csv")
df["orders_per_month"] = df["orders"] / df["tenure"].clip(lower=1)
df.sample(frac=0.2, random_state=0).to_csv("tmp/features_sample.csv", index=False)
