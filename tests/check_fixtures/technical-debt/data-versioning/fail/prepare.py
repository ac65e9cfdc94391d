import pandas as pd

df = pd.read_csv('data/raw.csv')
