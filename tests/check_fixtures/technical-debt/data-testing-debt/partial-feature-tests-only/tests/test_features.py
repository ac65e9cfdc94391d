import pandas as pd

from churn.features import build_features


def test_build_features_handles_new_customers():
    df = pd.DataFrame({"tenure": [0, 12], "monthly_charges": [50.0, 80.0], "churned": [0, 1]})
    out = build_features(df)
    assert not out["charges_per_month"].isna().any()
