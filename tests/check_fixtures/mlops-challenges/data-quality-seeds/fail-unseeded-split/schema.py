import pandas as pd
import pandera as pa

CHURN = pa.DataFrameSchema({
    "tenure_months": pa.Column(int, pa.Check.ge(0)),
    "monthly_charges": pa.Column(float, pa.Check.in_range(0.0, 500.0)),
    "churned": pa.Column(int, pa.Check.isin([0, 1])),
})


def load_churn(path: str) -> pd.DataFrame:
    return CHURN.validate(pd.read_csv(path))
