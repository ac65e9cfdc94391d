import os
import runpy
import subprocess

from IPython import get_ipython


def run_all(path, src, dst, file_name):
    # the list holds a variable, so the command is read from its literals
    subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute", path])  # mlaudit-expect: notebooks.prototype_in_production
    subprocess.run(f"papermill {src} {dst}", shell=True)  # mlaudit-expect: notebooks.prototype_in_production
    # mlaudit-expect: notebooks.prototype_in_production
    subprocess.run(
        ["papermill", src, dst, "-p", "alpha", "0.1"],
        check=True,
    )
    cmd = ["papermill", "report.ipynb", "out.ipynb"]
    subprocess.check_call(cmd)  # mlaudit-expect: notebooks.prototype_in_production
    os.system("cd notebooks && jupyter execute train.ipynb")  # mlaudit-expect: notebooks.prototype_in_production
    runpy.run_path("helpers.ipynb")  # mlaudit-expect: notebooks.prototype_in_production
    exec(open("helpers.ipynb").read())  # mlaudit-expect: notebooks.prototype_in_production
    # what `jupyter nbconvert --to script` writes for a `%run` line
    get_ipython().run_line_magic("run", "helpers.ipynb")  # mlaudit-expect: notebooks.prototype_in_production


def not_running(file_name, dir_name):
    # converting without --execute only reads the notebook (handson-ml2's jupyter_notebook_config.py)
    subprocess.check_call(["jupyter", "nbconvert", "--to", "script", file_name], cwd=dir_name)  # mlaudit-ok: notebooks.prototype_in_production
    # rendering a report executes the notebook to produce a document, not to run the product
    os.system("jupyter nbconvert --execute --to html report.ipynb")  # mlaudit-ok: notebooks.prototype_in_production
    print("now run: papermill train.ipynb out.ipynb")  # mlaudit-ok: notebooks.prototype_in_production
    subprocess.run(["pip", "install", "papermill"])  # mlaudit-ok: notebooks.prototype_in_production
    subprocess.run(["ls"], cwd="papermill")  # mlaudit-ok: notebooks.prototype_in_production
    runpy.run_path("helpers.py")  # mlaudit-ok: notebooks.prototype_in_production
    get_ipython().run_line_magic("matplotlib", "inline")  # mlaudit-ok: notebooks.prototype_in_production
