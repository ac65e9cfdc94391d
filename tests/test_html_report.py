"""The HTML report as a document: self-contained, locked down by CSP, escaped."""

from __future__ import annotations

import html as html_lib
import re

from conftest import make_repo

from mlaudit.renderers.html_report import _inline_code, render_html
from mlaudit.renderers.links import Linker, forge_base
from mlaudit.scan import ScanOptions, run_scan


def test_report_is_self_contained_and_allows_only_its_own_script_and_style(tmp_path):
    repo = make_repo(tmp_path / "r", {"train.py": "import numpy as np\n"})
    html = render_html(run_scan(repo, ScanOptions(use_cache=False)), tmp_path / "report.html")
    csp = html_lib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?:', html)  # nothing fetched
    assert ' style="' not in html  # inline style attributes would need 'unsafe-inline'


def test_backticks_become_code_only_after_escaping():
    assert str(_inline_code("set `random_state` <b>`x`</b>")) == (
        "set <code>random_state</code> &lt;b&gt;<code>x</code>&lt;/b&gt;")


def test_links_go_to_the_forge_at_the_commit_or_stay_relative(tmp_path):
    assert forge_base("git@github.com:org/proj.git") == ("github.com", "https://github.com/org/proj")
    assert forge_base("https://gitlab.com/g/sub/proj") == ("gitlab.com", "https://gitlab.com/g/sub/proj")
    assert forge_base("https://example.com/x/y.git") is None
    gh = Linker("https://github.com/org/proj.git", "abc123", "sub/", str(tmp_path), tmp_path)
    assert gh.href("a b.py", 3) == "https://github.com/org/proj/blob/abc123/sub/a%20b.py#L3"
    bb = Linker("git@bitbucket.org:team/repo.git", "abc123", "", str(tmp_path), tmp_path)
    assert bb.href("x.py", 7) == "https://bitbucket.org/team/repo/src/abc123/x.py#lines-7"
    local = Linker(None, None, "", str(tmp_path / "repo"), tmp_path)
    assert local.href("javascript:alert(1).py") == "./repo/javascript%3Aalert%281%29.py"


def test_edited_and_untracked_files_link_locally_not_to_the_forge(tmp_path):
    import json as json_lib

    from conftest import git

    repo = make_repo(tmp_path / "r", {"a.ipynb": json_lib.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                                                  "nbformat_minor": 5}),
                                      "train.py": "from sklearn.model_selection import train_test_split\n"})
    git(repo, "remote", "add", "origin", "git@github.com:org/proj.git")
    (repo / "train.py").write_text("from sklearn.model_selection import train_test_split\ntrain_test_split(X)\n")
    (repo / "new.py").write_text("import numpy\n")
    result = run_scan(repo, ScanOptions(use_cache=False))
    assert result.target.changed == ["new.py", "train.py"]
    t = result.target
    linker = Linker(t.remote_url, t.commit, t.prefix, t.path, tmp_path, frozenset(t.changed))
    assert linker.href("train.py", 2) == "./r/train.py"  # the forge's copy at the commit has other lines
    assert linker.href("a.ipynb") == f"https://github.com/org/proj/blob/{t.commit}/a.ipynb"


def test_text_that_is_not_utf8_is_escaped_not_fatal(tmp_path):
    from mlaudit.probes.model import Evidence

    assert Evidence(path="a\udcff.py", detail="x\udcfe").path == "a\\udcff.py"
