import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/diabetes.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="y"), df["y"], test_size=0.2, random_state=0)
model = Ridge(alpha=0.5).fit(X_train, y_train)
