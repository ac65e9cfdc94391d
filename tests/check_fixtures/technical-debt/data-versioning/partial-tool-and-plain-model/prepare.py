import pandas as pd

df = pd.read_csv("data/raw.csv")
df = df.dropna(subset=["label"])
df.to_csv("data/clean.csv", index=False)
