import os

import pandas as pd
import sqlalchemy
from sklearn.linear_model import LogisticRegression

# The password comes from the environment (a CI secret or a vault), never from the repository.
password = os.environ["DB_PASSWORD"]
engine = sqlalchemy.create_engine(f"postgresql://ml_training:{password}@warehouse.internal/features")
df = pd.read_sql("SELECT * FROM customer_features", engine)
model = LogisticRegression(max_iter=1000).fit(df.drop(columns="churned"), df["churned"])
