import papermill as pm


def retrain(run_date: str) -> None:
    pm.execute_notebook("notebooks/train.ipynb", f"runs/train-{run_date}.ipynb",
                        parameters={"run_date": run_date})


if __name__ == "__main__":
    import sys

    retrain(sys.argv[1])
