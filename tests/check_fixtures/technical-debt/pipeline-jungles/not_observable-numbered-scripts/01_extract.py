import pandas as pd

orders = pd.read_csv("exports/orders.csv")
customers = pd.read_csv("exports/customers.csv")
orders.merge(customers, on="customer_id").to_csv("tmp/joined.csv", index=False)
