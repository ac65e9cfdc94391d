import sys

import pandas as pd

raw, out = sys.argv[1], sys.argv[2]
pd.read_csv(raw).dropna().to_csv(out, index=False)
