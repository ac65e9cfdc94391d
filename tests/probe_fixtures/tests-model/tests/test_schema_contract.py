import pandas as pd
import pandera as pa
import pytest

from churn.schema import CUSTOMERS


def test_negative_tenure_is_rejected():  # mlaudit-expect: tests.data
    with pytest.raises(pa.errors.SchemaError):
        CUSTOMERS.validate(pd.DataFrame({"tenure": [-1]}))


def test_known_good_rows_pass():  # mlaudit-expect: tests.data
    CUSTOMERS.validate(pd.DataFrame({"tenure": [3]}))


def test_version_string():  # mlaudit-ok: tests.data
    assert pa.__version__
