import pandas as pd
import pytest

from churn.features import (
    PLANS,
    add_tenure_buckets,
    build_features,
    encode_plan,
    load_customers,
)


@pytest.fixture
def customers():
    return pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3", "C4", "C5"],
            "tenure_months": [1, 12, 13, 48, 60],
            "monthly_charges": [29.5, 55.0, 90.25, 31.0, 60.0],
            "plan": ["basic", "standard", "premium", "basic", "standard"],
            "support_calls": [0, 3, 1, 5, 2],
            "churned": [0, 1, 0, 1, 0],
        }
    )


def test_tenure_bucket_boundaries(customers):
    out = add_tenure_buckets(customers)
    assert list(out["tenure_bucket"].astype(str)) == [
        "0-12",
        "0-12",
        "13-24",
        "25-48",
        "49+",
    ]


def test_add_tenure_buckets_does_not_modify_input(customers):
    add_tenure_buckets(customers)
    assert "tenure_bucket" not in customers.columns


def test_encode_plan_columns(customers):
    out = encode_plan(customers)
    assert "plan" not in out.columns
    plan_cols = [c for c in out.columns if c.startswith("plan_")]
    assert plan_cols == ["plan_basic", "plan_standard", "plan_premium"]
    # exactly one plan flag set per customer
    assert (out[plan_cols].sum(axis=1) == 1).all()
    assert out.loc[2, "plan_premium"] == 1


def test_encode_plan_keeps_all_columns_when_plan_missing(customers):
    only_basic = customers[customers["plan"] == "basic"]
    out = encode_plan(only_basic)
    for plan in PLANS:
        assert f"plan_{plan}" in out.columns
    assert out["plan_premium"].sum() == 0


def test_load_customers_dtypes(tmp_path, customers):
    path = tmp_path / "customers.csv"
    customers.to_csv(path, index=False)

    df = load_customers(path)

    assert len(df) == len(customers)
    assert pd.api.types.is_integer_dtype(df["tenure_months"])
    assert pd.api.types.is_float_dtype(df["monthly_charges"])
    assert pd.api.types.is_integer_dtype(df["support_calls"])
    assert pd.api.types.is_string_dtype(df["customer_id"])
    assert pd.api.types.is_string_dtype(df["plan"])


def test_build_features_shapes(customers):
    X, y = build_features(customers)
    assert len(X) == len(y) == len(customers)
    # 3 numeric + 3 plan flags + 4 tenure buckets
    assert X.shape[1] == 10
    assert "churned" not in X.columns
    assert "customer_id" not in X.columns
    assert list(y) == [0, 1, 0, 1, 0]
