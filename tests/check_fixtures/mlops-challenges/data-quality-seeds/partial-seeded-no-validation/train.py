import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

np.random.seed(1234)
df = pd.read_csv("data/churn.csv")
X_train, X_test, y_train, y_test = train_test_split(
    df.drop(columns="churned"), df["churned"], test_size=0.2, stratify=df["churned"], random_state=1234)
model = GradientBoostingClassifier(random_state=1234).fit(X_train, y_train)
