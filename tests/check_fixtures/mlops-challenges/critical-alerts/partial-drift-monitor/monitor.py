import pandas as pd
from evidently.metric_preset import DataDriftPreset
from evidently.report import Report


def weekly_drift(reference: pd.DataFrame, current: pd.DataFrame) -> dict:
    report = Report(metrics=[DataDriftPreset()])
    report.run(reference_data=reference, current_data=current)
    return report.as_dict()
