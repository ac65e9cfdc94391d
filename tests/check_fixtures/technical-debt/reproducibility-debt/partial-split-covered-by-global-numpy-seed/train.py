import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

np.random.seed(0)
df = pd.read_csv("data/train.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="churned"), df["churned"], test_size=0.2)
model = LogisticRegression(max_iter=1000).fit(X_train, y_train)
