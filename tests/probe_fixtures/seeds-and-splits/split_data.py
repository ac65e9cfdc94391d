import pandas as pd
from sklearn.model_selection import ShuffleSplit, train_test_split

df = pd.read_csv("data.csv")
train = df.sample(frac=0.8)  # mlaudit-expect: splits.unseeded
rest = df.sample(frac=0.8, random_state=3)  # mlaudit-ok: splits.unseeded
# mlaudit-expect: splits.unseeded
X_tr, X_te = train_test_split(
    df, test_size=0.25)
ss = ShuffleSplit(5, 0.2, None, None)  # mlaudit-expect: splits.unseeded
parts = spark_df.randomSplit([0.9, 0.1])  # mlaudit-expect: splits.unseeded
