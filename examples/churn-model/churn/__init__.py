"""Customer churn prediction: feature engineering and model training."""
