import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("data/heart.csv")
X, y = df.drop(columns="disease"), df["disease"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

# Cross-validation refits the scaler inside every fold.
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
print("cv accuracy", cross_val_score(pipe, X_train, y_train, cv=5).mean())

# The final model: statistics from the training part, applied to the test part.
imputer = SimpleImputer(strategy="median").fit(X_train)
scaler = StandardScaler().fit(imputer.transform(X_train))
X_train_ready = scaler.transform(imputer.transform(X_train))
X_test_ready = scaler.transform(imputer.transform(X_test))
clf = LogisticRegression(max_iter=1000).fit(X_train_ready, y_train)
print("test accuracy", clf.score(X_test_ready, y_test))
