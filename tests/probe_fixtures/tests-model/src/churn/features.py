import pandas as pd


def add_tenure_ratio(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["ratio"] = out["tenure"] / out["age"]
    return out


def load_customers(path) -> pd.DataFrame:
    return pd.read_csv(path)


class CustomerDataset:
    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def __len__(self):
        return len(self.frame)
