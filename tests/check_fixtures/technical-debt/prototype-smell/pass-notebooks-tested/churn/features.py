import pandas as pd


def build_features(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(charges_per_month=df["total_charges"] / df["tenure"].clip(lower=1))
