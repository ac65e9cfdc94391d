import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("data/heart.csv")
X, y = df.drop(columns="disease"), df["disease"]

scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)  # means and variances include the test rows
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.25, random_state=0)

clf = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print("test accuracy", clf.score(X_test, y_test))
