"""Paths that only exist on the author's machine, next to ones that are fine."""
import os
import sys

from flask import Flask

DATA = "/home/alice/data/train.csv"  # mlaudit-expect: paths.absolute
WIN_ROOT = r"C:\Users\bob\project"  # mlaudit-expect: paths.absolute
LOGS = "D:/experiments/run1"  # mlaudit-expect: paths.absolute
CACHE = "/root/.cache/models"  # mlaudit-expect: paths.absolute
# mlaudit-expect: paths.absolute
sys.path.append("/Users/carol/src/very/long/folder/name/that/goes/on/and/on/helpers")

RELATIVE = "data/train.csv"  # mlaudit-ok: paths.absolute
HOME_ONLY = "/home/"  # mlaudit-ok: paths.absolute
SYSTEM = "/usr/share/dict/words"  # mlaudit-ok: paths.absolute
# Templates filled in at run time name no one's machine.
TEMPLATE = "/home/{}/data".format(os.environ["USER"])  # mlaudit-ok: paths.absolute
SHELL_STYLE = os.path.expandvars("/home/$USER/data")  # mlaudit-ok: paths.absolute
PERCENT = "/home/%s/data" % os.getlogin()  # mlaudit-ok: paths.absolute
# An f-string keeps its constant parts: "/home/dave/" is hard-coded, "/home/" alone is not.
name = "train"
FSTRING = f"/home/dave/{name}.csv"  # mlaudit-expect: paths.absolute
USER_FSTRING = f"/home/{os.getlogin()}/data"  # mlaudit-ok: paths.absolute
# Known miss, documented: Python reads "\n" as a newline, so this string is not seen as a path.
MANGLED = "C:\new_folder\data"  # mlaudit-ok: paths.absolute

app = Flask(__name__)


@app.route("/home/dashboard")  # mlaudit-ok: paths.absolute
def dashboard():
    return "ok"


def load():
    # A multi-line string that starts with a path is prose (here a docstring), not a path.
    # mlaudit-ok: paths.absolute
    """/home/alice/data holds the author's copy of the data set.

    Pass another folder on other machines.
    """
    return open(DATA).read()
