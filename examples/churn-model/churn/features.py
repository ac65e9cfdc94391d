"""Feature engineering for the churn model.

All functions here are pure: they take a DataFrame and return a new one
without modifying the input.
"""

import pandas as pd

CUSTOMER_DTYPES = {
    "customer_id": "string",
    "tenure_months": "int64",
    "monthly_charges": "float64",
    "plan": "string",
    "support_calls": "int64",
    "churned": "int64",
}

PLANS = ["basic", "standard", "premium"]

# Upper edges (inclusive) of the tenure buckets, in months.
TENURE_BINS = [0, 12, 24, 48, float("inf")]
TENURE_LABELS = ["0-12", "13-24", "25-48", "49+"]

NUMERIC_FEATURES = ["tenure_months", "monthly_charges", "support_calls"]
TARGET = "churned"


def load_customers(path):
    """Read the customer snapshot CSV with explicit column types."""
    return pd.read_csv(path, dtype=CUSTOMER_DTYPES)


def add_tenure_buckets(df):
    """Add a categorical ``tenure_bucket`` column derived from tenure_months.

    Buckets are right-inclusive: 12 months falls in "0-12", 13 in "13-24".
    """
    out = df.copy()
    out["tenure_bucket"] = pd.cut(
        out["tenure_months"],
        bins=TENURE_BINS,
        labels=TENURE_LABELS,
        right=True,
        include_lowest=True,
    )
    return out


def encode_plan(df):
    """One-hot encode the ``plan`` column into ``plan_<name>`` columns.

    The set of output columns is fixed by ``PLANS`` so that training and
    scoring data always produce the same layout, even if a plan is missing
    from a particular batch.
    """
    out = df.copy()
    plan = pd.Categorical(out["plan"], categories=PLANS)
    dummies = pd.get_dummies(plan, prefix="plan", dtype="int64")
    dummies.index = out.index
    out = out.drop(columns=["plan"])
    return pd.concat([out, dummies], axis=1)


def build_features(df):
    """Turn raw customer records into a model matrix ``X`` and target ``y``."""
    feats = encode_plan(add_tenure_buckets(df))
    buckets = pd.get_dummies(
        feats["tenure_bucket"], prefix="tenure", dtype="int64"
    )
    plan_cols = [f"plan_{p}" for p in PLANS]
    X = pd.concat([feats[NUMERIC_FEATURES + plan_cols], buckets], axis=1)
    y = feats[TARGET].astype("int64")
    return X, y
