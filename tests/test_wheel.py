"""`pip install` of the built wheel in a fresh venv gives a working `mlaudit`, anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import EXAMPLE, ROOT

pytestmark = pytest.mark.slow


def test_wheel_ships_rubrics_and_templates_and_scans_from_another_folder(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("mlaudit-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "mlaudit/rubrics/ml-test-score.yaml" in names
    assert "mlaudit/report_templates/report.html.j2" in names
    assert "mlaudit/report_templates/trend.html.j2" in names
    assert {"mlaudit/ci_templates/mlaudit.yaml", "mlaudit/ci_templates/github-workflow.yml",
            "mlaudit/ci_templates/gitlab-ci.yml"} <= set(names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel)],
                   check=True, capture_output=True, timeout=900)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NO_COLOR="1", MLAUDIT_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([str(venv / "bin" / "mlaudit"), "scan", str(EXAMPLE), "--format", "html",
                           "--format", "json", "-o", "r.html", "-o", "r.json"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (elsewhere / "r.html").read_text().startswith("<!DOCTYPE html>")
    result = json.loads((elsewhere / "r.json").read_text())
    assert len([r for r in result["results"] if r["rubric"] == "ml-test-score"]) == 28

    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import mlaudit.resources as r; print(r.rubrics_dir()); print(r.templates_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert all(str(venv) in p for p in where), where  # from inside the installed package, not the checkout
