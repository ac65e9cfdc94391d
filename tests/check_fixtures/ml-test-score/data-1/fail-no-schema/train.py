import pandas as pd

df = pd.read_csv('data/customers.csv')
print(df.describe())
