from prefect import flow, task


# mlaudit-expect: pipeline.orchestrated
@task
def load():
    return [1, 2, 3]


@task(retries=2)
def fit(rows):
    return sum(rows)


@flow
def training():
    fit(load())
