"""Fixture repositories are real git repositories built in tmp dirs, never mocks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "churn-model"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Fixture", "GIT_AUTHOR_EMAIL": "fixture@example.com",
    "GIT_COMMITTER_NAME": "Fixture", "GIT_COMMITTER_EMAIL": "fixture@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": os.environ.get("HOME", "/tmp"),
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_repo(root: Path, files: dict[str, str | bytes], *, commit: bool = True, message: str = "initial") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_files(root, files)
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message)
    return root


def notebook(cells: list[tuple[str, str, int | None]], *, outputs: dict[int, list] | None = None) -> str:
    """A minimal valid nbformat-4 notebook: cells are (type, source, execution_count)."""
    out = []
    for i, (kind, source, count) in enumerate(cells):
        cell = {"cell_type": kind, "metadata": {}, "source": source}
        if kind == "code":
            cell["execution_count"] = count
            cell["outputs"] = (outputs or {}).get(i, [])
        out.append(cell)
    return json.dumps({"cells": out, "metadata": {"kernelspec": {"name": "python3", "language": "python",
                                                                 "display_name": "Python 3"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


@pytest.fixture
def repo_factory(tmp_path):
    counter = iter(range(1000))

    def factory(files: dict[str, str | bytes], **kwargs) -> Path:
        return make_repo(tmp_path / f"repo{next(counter)}", files, **kwargs)

    return factory


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def cli(tmp_path, cache_dir, monkeypatch):
    """Run `mlaudit` in-process: returns (exit code, stdout, stderr)."""
    from mlaudit.cli import main

    monkeypatch.setenv("MLAUDIT_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
        import contextlib
        import io

        out, err = io.StringIO(), io.StringIO()
        old = Path.cwd()
        os.chdir(cwd or tmp_path)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    main(list(args))
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            os.chdir(old)
        return code, out.getvalue(), err.getvalue()

    return run


def run_module(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlaudit", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})}, timeout=300)

# The fixture repositories contain test files of their own; they are data, not this suite's tests.
collect_ignore = ["check_fixtures", "probe_fixtures"]
