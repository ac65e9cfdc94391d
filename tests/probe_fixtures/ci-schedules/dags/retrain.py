from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG(  # mlaudit-expect: ci.scheduled
    dag_id="retrain_churn",
    schedule="0 2 * * *",
    start_date=datetime(2024, 1, 1),
) as dag:
    check = BashOperator(task_id="data_tests", bash_command="pytest tests/data -q")
    train = BashOperator(task_id="train", bash_command="python train.py")
    check >> train

with DAG(dag_id="backfill_by_hand", schedule=None, start_date=datetime(2024, 1, 1)) as manual:  # mlaudit-ok: ci.scheduled
    BashOperator(task_id="backfill", bash_command="python backfill.py")

legacy = DAG("nightly_eval", schedule_interval=timedelta(days=1))  # mlaudit-expect: ci.scheduled
