def helper(nb):
    # a function named for checking is a test harness wherever it lives
    import papermill

    def check_notebook_runs():
        papermill.execute_notebook(nb, "/tmp/out.ipynb")  # mlaudit-ok: notebooks.prototype_in_production

    return check_notebook_runs
