"""Facts are cached by content id: a second scan of an unchanged repository parses nothing."""

from __future__ import annotations

from conftest import git, make_repo, notebook

from mlaudit.scan import ScanOptions, run_scan


def test_second_scan_parses_nothing_and_an_edit_reparses_one_file(tmp_path):
    root = make_repo(tmp_path / "r", {
        "a.py": "import random\nrandom.seed(1)\n", "b.py": "x = 1\n",
        "n.ipynb": notebook([("code", "import numpy as np", 1)]),
    })
    options = ScanOptions(cache_dir=tmp_path / "cache")
    cold = run_scan(root, options)
    assert (cold.stats["parsed"], cold.stats["cache_hits"]) == (3, 0)
    warm = run_scan(root, options)
    assert (warm.stats["parsed"], warm.stats["cache_hits"]) == (0, 3)
    assert [r.status for r in warm.results] == [r.status for r in cold.results]

    (root / "b.py").write_text("x = 2\n")  # uncommitted edit: hashed, parsed, cached
    edited = run_scan(root, options)
    assert (edited.stats["parsed"], edited.stats["cache_hits"]) == (1, 2)


def test_cache_is_shared_across_clones_by_content(tmp_path):
    src = make_repo(tmp_path / "src", {"a.py": "x = 1\n"})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{src}", str(clone))
    options = ScanOptions(cache_dir=tmp_path / "cache")
    run_scan(src, options)
    assert run_scan(clone, options).stats["parsed"] == 0


def test_no_cache_and_an_unwritable_cache_still_scan(tmp_path):
    root = make_repo(tmp_path / "r", {"a.py": "x = 1\n"})
    assert run_scan(root, ScanOptions(use_cache=False)).stats["parsed"] == 1
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    assert run_scan(root, ScanOptions(cache_dir=blocker / "sub")).stats["parsed"] == 1


def test_cache_dir_carries_a_cachedir_tag(tmp_path):
    root = make_repo(tmp_path / "r", {"a.py": "x = 1\n"})
    run_scan(root, ScanOptions(cache_dir=tmp_path / "cache"))
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
