import random

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

SEED = 42
random.seed(SEED)
np.random.seed(SEED)

df = pd.read_csv("data/train.csv")
X_train, X_test, y_train, y_test = train_test_split(
    df.drop(columns="churned"), df["churned"], test_size=0.2, random_state=SEED
)
model = RandomForestClassifier(random_state=SEED).fit(X_train, y_train)
print(model.score(X_test, y_test))
