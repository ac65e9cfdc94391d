import random
import numpy as np
from sklearn.model_selection import train_test_split

random.seed(7)
np.random.seed(7)
X_train, X_test = train_test_split(X, test_size=0.2, random_state=7)
