import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from schema import load_churn

np.random.seed(42)
df = load_churn("data/churn.csv")
X, y = df[["tenure_months", "monthly_charges"]], df["churned"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
model = RandomForestClassifier(n_estimators=200, random_state=42).fit(X_train, y_train)
print("test accuracy", model.score(X_test, y_test))
