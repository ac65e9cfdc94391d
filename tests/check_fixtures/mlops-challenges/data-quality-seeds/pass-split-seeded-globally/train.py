import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from schema import load_churn

np.random.seed(7)
df = load_churn("data/churn.csv")
X_train, X_test, y_train, y_test = train_test_split(
    df[["tenure_months", "monthly_charges"]], df["churned"], test_size=0.25)
model = LogisticRegression(max_iter=500).fit(X_train, y_train)
