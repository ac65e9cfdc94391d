import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import KFold, cross_val_score, train_test_split

SEED = 13

df = pd.read_csv("data/customers.csv")
sample = df.sample(frac=0.5, random_state=SEED)
X_train, X_test, y_train, y_test = train_test_split(
    sample.drop(columns="churned"), sample["churned"], test_size=0.2, random_state=SEED
)
# Not shuffled, so not random: the folds are the same on every run.
folds = KFold(n_splits=5)
scores = cross_val_score(GradientBoostingClassifier(random_state=SEED), X_train, y_train, cv=folds)
print(f"cv accuracy {scores.mean():.3f} +/- {scores.std():.3f}")
