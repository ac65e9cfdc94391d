import json

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/customers.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="churned"), df["churned"], random_state=1)
model = LogisticRegression(C=0.5, max_iter=1000).fit(X_train, y_train)
with open("metrics.json", "w") as f:
    json.dump({"test_accuracy": model.score(X_test, y_test), "C": 0.5}, f, indent=2)
