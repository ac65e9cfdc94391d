from sklearn.model_selection import train_test_split

from utils import seed_all

seed_all(13)  # mlaudit-expect: seeds.set
X_train, X_test = train_test_split(X)  # mlaudit-ok: splits.unseeded
