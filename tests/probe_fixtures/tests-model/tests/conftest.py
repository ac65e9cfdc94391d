import pandas as pd
import pytest

from churn.models import ChurnNet


@pytest.fixture
def net():
    return ChurnNet(3)


@pytest.fixture
def frame():
    return pd.DataFrame({"tenure": [1, 2], "age": [30, 40], "churned": [0, 1]})
