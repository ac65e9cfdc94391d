import pandas as pd

from churn.schema import customers


def build_features(df: pd.DataFrame) -> pd.DataFrame:
    df = customers.validate(df)
    return df.assign(charges_per_month=df["monthly_charges"] / df["tenure"].clip(lower=1))
