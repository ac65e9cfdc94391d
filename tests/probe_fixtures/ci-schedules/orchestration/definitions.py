import dagster as dg


@dg.job
def retrain_job():
    pass


nightly = dg.ScheduleDefinition(job=retrain_job, cron_schedule="0 3 * * *")  # mlaudit-expect: ci.scheduled


@dg.schedule(cron_schedule="0 * * * *", job=retrain_job)  # mlaudit-expect: ci.scheduled
def hourly(context):
    return {}
