import pandas as pd
from sklearn.linear_model import Ridge

df = pd.read_csv("data/sales.csv", parse_dates=["day"])
train = df[df["day"] < "2024-01-01"]
test = df[df["day"] >= "2024-01-01"]
features = ["price", "promo", "weekday"]
model = Ridge(alpha=1.0).fit(train[features], train["units"])
print("test R2", model.score(test[features], test["units"]))
