import numpy as np
import pandas as pd


def jitter(df: pd.DataFrame, scale: float = 0.01) -> pd.DataFrame:
    noisy = df.copy()
    noisy["monthly_charges"] += np.random.normal(0.0, scale, size=len(df))
    return noisy
