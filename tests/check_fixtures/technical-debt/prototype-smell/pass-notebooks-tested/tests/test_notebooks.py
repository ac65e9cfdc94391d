import subprocess


def test_notebooks_run():
    subprocess.run(["jupyter", "nbconvert", "--execute", "--to", "notebook", "notebooks/explore.ipynb"], check=True)
