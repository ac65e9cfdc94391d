from airflow.decorators import dag, task


@dag(schedule="@daily", catchup=False)  # mlaudit-expect: ci.scheduled
def features():
    @task
    def build():
        return 1

    build()


features()
