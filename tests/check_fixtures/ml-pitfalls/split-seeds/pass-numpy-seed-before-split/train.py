import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

np.random.seed(42)  # train_test_split draws from numpy's global generator

df = pd.read_csv("data/customers.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="churned"), df["churned"], test_size=0.2)
model = GradientBoostingClassifier(random_state=42).fit(X_train, y_train)
print("test accuracy", model.score(X_test, y_test))
