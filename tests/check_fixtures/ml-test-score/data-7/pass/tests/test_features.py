import pandas as pd

from features import add_ratio_features


def test_ratio_is_per_month_and_never_divides_by_zero():
    df = pd.DataFrame({"total_spend": [120.0, 50.0], "tenure_months": [12, 0]})
    out = add_ratio_features(df)
    assert out["spend_per_month"].tolist() == [10.0, 50.0]
    assert not out.isnull().any().any()
