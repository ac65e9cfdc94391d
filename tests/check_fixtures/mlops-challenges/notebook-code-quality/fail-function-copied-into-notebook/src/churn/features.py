import numpy as np
import pandas as pd


def add_features(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["charges_per_month"] = out["total_charges"] / out["tenure_months"].clip(lower=1)
    out["log_total"] = np.log1p(out["total_charges"])
    out["is_new"] = (out["tenure_months"] < 6).astype(int)
    out["has_contract"] = out["contract"].ne("month-to-month").astype(int)
    return out.drop(columns=["contract"])
