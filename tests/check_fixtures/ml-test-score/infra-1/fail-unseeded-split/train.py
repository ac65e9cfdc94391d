import random
from sklearn.model_selection import train_test_split

random.seed(0)
X_train, X_test = train_test_split(X, test_size=0.2)
