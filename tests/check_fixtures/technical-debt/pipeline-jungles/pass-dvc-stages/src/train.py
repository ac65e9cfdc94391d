import sys

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

data, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(data)
joblib.dump(LogisticRegression(max_iter=1000).fit(df.drop(columns="churned"), df["churned"]), out)
