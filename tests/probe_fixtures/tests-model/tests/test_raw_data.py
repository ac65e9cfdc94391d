import numpy as np
import pandas as pd


def test_raw_file_has_no_missing_values():  # mlaudit-expect: tests.data
    df = pd.read_csv("data/raw.csv")
    assert not np.isnan(df.values).any()


def test_raw_file_loads():  # mlaudit-expect: tests.data
    assert len(pd.read_csv("data/raw.csv")) > 0
