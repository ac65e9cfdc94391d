import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/train.csv")
X_train, X_test, y_train, y_test = train_test_split(
    df.drop(columns="churned"), df["churned"], test_size=0.2, random_state=7
)
model = RandomForestClassifier().fit(X_train, y_train)
