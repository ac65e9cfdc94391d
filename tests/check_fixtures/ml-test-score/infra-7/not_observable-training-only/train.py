import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/customers.csv")
X_train, X_test, y_train, y_test = train_test_split(
    df.drop(columns="churned"), df["churned"], test_size=0.2, random_state=7
)
model = RandomForestClassifier(n_estimators=200, random_state=7).fit(X_train, y_train)
print("test accuracy", model.score(X_test, y_test))
# Saved for the serving team, who deploy it from their own repository.
joblib.dump(model, "models/churn.joblib")
