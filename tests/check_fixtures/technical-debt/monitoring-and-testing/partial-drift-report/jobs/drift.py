import pandas as pd
from evidently.metric_preset import DataDriftPreset
from evidently.report import Report


def weekly_drift(reference_path: str, current_path: str) -> dict:
    report = Report(metrics=[DataDriftPreset()])
    report.run(reference_data=pd.read_parquet(reference_path), current_data=pd.read_parquet(current_path))
    return report.as_dict()
