import pandas as pd


def add_ratio_features(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["spend_per_month"] = out["total_spend"] / out["tenure_months"].clip(lower=1)
    return out
