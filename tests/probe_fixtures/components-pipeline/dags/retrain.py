from datetime import datetime

from airflow import DAG
from airflow.operators.bash import BashOperator

# mlaudit-expect: pipeline.orchestrated
with DAG("retrain", start_date=datetime(2024, 1, 1), schedule="@weekly") as dag:
    BashOperator(task_id="train", bash_command="python train.py")
