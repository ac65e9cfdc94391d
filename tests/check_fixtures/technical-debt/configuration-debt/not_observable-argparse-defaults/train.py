import argparse

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier

parser = argparse.ArgumentParser()
parser.add_argument("--n-estimators", type=int, default=300)
parser.add_argument("--data", default="data/train.csv")
args = parser.parse_args()

df = pd.read_csv(args.data)
model = GradientBoostingClassifier(n_estimators=args.n_estimators, max_depth=4)
model.fit(df.drop(columns="churned"), df["churned"])
