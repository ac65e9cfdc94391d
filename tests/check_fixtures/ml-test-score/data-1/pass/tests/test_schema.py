import pandas as pd
import pandera as pa
import pytest

from schema import CUSTOMERS


def test_schema_rejects_negative_tenure():
    with pytest.raises(pa.errors.SchemaError):
        CUSTOMERS.validate(pd.DataFrame({"tenure_months": [-1], "total_spend": [1.0]}))
