from prefect import flow
from prefect.client.schemas.schedules import CronSchedule


@flow
def evaluate():
    print("evaluating")


if __name__ == "__main__":
    evaluate.serve(name="nightly-eval", cron="30 1 * * *")  # mlaudit-expect: ci.scheduled
    evaluate.serve(name="by-hand")  # mlaudit-ok: ci.scheduled
    weekly = CronSchedule(cron="0 6 * * 1", timezone="UTC")  # mlaudit-expect: ci.scheduled
