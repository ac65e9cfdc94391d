import pickle

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier

df = pd.read_csv("data/train.csv")
model = GradientBoostingClassifier(n_estimators=300, learning_rate=0.05, max_depth=4)
model.fit(df.drop(columns="label"), df["label"])
pickle.dump(model, open("model.pkl", "wb"))
