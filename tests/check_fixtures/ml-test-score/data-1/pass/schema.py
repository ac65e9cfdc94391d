import pandera as pa

CUSTOMERS = pa.DataFrameSchema({
    "tenure_months": pa.Column(int, pa.Check.ge(0)),
    "total_spend": pa.Column(float, pa.Check.ge(0.0)),
})


def load_customers(path):
    import pandas as pd
    return CUSTOMERS.validate(pd.read_csv(path))
