import os

import pandas as pd
import sqlalchemy
from dotenv import load_dotenv
from sklearn.linear_model import LogisticRegression

load_dotenv()
engine = sqlalchemy.create_engine(
    f"postgresql://{os.environ['DB_USER']}:{os.environ['DB_PASSWORD']}@{os.environ['DB_HOST']}/features"
)
df = pd.read_sql("SELECT * FROM customer_features", engine)
model = LogisticRegression(max_iter=1000).fit(df.drop(columns="churned"), df["churned"])
