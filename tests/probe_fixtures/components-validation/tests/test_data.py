import great_expectations as ge
import pandas as pd


def test_dataset():
    df = ge.from_pandas(pd.read_csv("data.csv"))  # mlaudit-expect: data.validation
    df.expect_column_values_to_not_be_null("age")
    assert df.validate().success
