import sys

import pandas as pd

raw, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(raw).dropna(subset=["customer_id"])
df.to_parquet(f"{out}/customers.parquet")
