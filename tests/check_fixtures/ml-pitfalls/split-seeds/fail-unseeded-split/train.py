import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/customers.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="churned"), df["churned"], test_size=0.2)
model = GradientBoostingClassifier().fit(X_train, y_train)
print("test accuracy", model.score(X_test, y_test))
