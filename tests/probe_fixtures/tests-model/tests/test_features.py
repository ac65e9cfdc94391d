import pandas as pd
import pandera as pa

from churn.features import CustomerDataset, add_tenure_ratio, load_customers


def test_ratio(frame):  # mlaudit-expect: tests.data
    assert list(add_tenure_ratio(frame)["ratio"]) == [1 / 30, 2 / 40]


def test_no_missing_values(tmp_path, frame):  # mlaudit-expect: tests.data
    frame.to_csv(tmp_path / "c.csv", index=False)
    assert not load_customers(tmp_path / "c.csv").isnull().any().any()


def test_schema(frame):  # mlaudit-expect: tests.data
    schema = pa.DataFrameSchema({"age": pa.Column(int, pa.Check.ge(0))})
    schema.validate(frame)


def test_round_trip(frame):  # mlaudit-expect: tests.data
    pd.testing.assert_frame_equal(frame, frame.copy())


def test_dataset_length(frame):  # mlaudit-expect: tests.data
    assert len(CustomerDataset(frame)) == 2


def test_columns_listed(frame):  # mlaudit-expect: tests.data
    assert sorted(frame.columns) == ["age", "churned", "tenure"]


def test_version():  # mlaudit-ok: tests.data, tests.model
    assert pd.__version__
