"""The repository model: which files are audited, with what content id."""

from __future__ import annotations

import os

from conftest import git, make_repo, write_files

from mlaudit.repository import open_repository


def test_git_repo_lists_tracked_and_untracked_but_not_ignored(tmp_path):
    root = make_repo(tmp_path / "r", {"a.py": "x = 1\n", ".gitignore": "secret/\n*.log\n", "secret/k.py": "k = 1\n"})
    write_files(root, {"new.py": "y = 2\n", "run.log": "noise"})
    paths = [f.path for f in open_repository(root).files]
    assert paths == [".gitignore", "a.py", "new.py"]


def test_blob_ids_come_from_the_index_without_running_repository_commands(tmp_path):
    root = make_repo(tmp_path / "r", {"a.py": "x = 1\n", "b.py": "y = 1\n"})
    (root / "b.py").write_text("y = 2\n")  # edited: the store hashes code bytes itself (test_cache.py)
    marker = tmp_path / "ran"
    git(root, "config", "core.fsmonitor", f"touch {marker}; false #")
    repo = open_repository(root)
    assert repo.get("a.py").blob_id == git(root, "rev-parse", "HEAD:a.py").strip()
    assert not marker.exists()  # the audited repository's configured command never ran


def test_walk_without_git_skips_virtualenvs_and_caches(tmp_path):
    write_files(tmp_path, {
        "train.py": "pass\n", "node_modules/x.js": "", "__pycache__/t.pyc": b"\0",
        "env/pyvenv.cfg": "home=/usr", "env/lib/site.py": "", ".venv/lib/a.py": "", "pkg/m.py": "",
    })
    repo = open_repository(tmp_path)
    assert repo.git is None
    assert [f.path for f in repo.files] == ["pkg/m.py", "train.py"]
    assert repo.get("train.py").blob_id is None


def test_symlink_out_of_the_root_is_never_followed(tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text("import os\n")
    root = make_repo(tmp_path / "r", {"a.py": "x = 1\n"}, commit=False)
    os.symlink(outside, root / "link.py")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "with link")
    repo = open_repository(root)
    link = repo.get("link.py")
    assert link.is_symlink
    assert any(w.path == "link.py" and "outside the repository" in w.message for w in repo.warnings)


def test_subdirectory_of_a_repo_and_detached_head(tmp_path):
    root = make_repo(tmp_path / "r", {"proj/a.py": "x = 1\n", "other/b.py": "y\n"})
    head = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-q", "--detach")
    repo = open_repository(root / "proj")
    assert [f.path for f in repo.files] == ["a.py"]
    assert repo.git.commit == head and repo.git.branch is None and repo.git.prefix == "proj/"


def test_shallow_clone_and_submodule_entries(tmp_path):
    src = make_repo(tmp_path / "src", {"a.py": "x = 1\n"})
    write_files(src, {"b.py": "y = 1\n"})
    git(src, "add", "-A")
    git(src, "commit", "-qm", "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{src}", str(clone))
    repo = open_repository(clone)
    assert repo.git.shallow
    assert {f.path for f in repo.files} == {"a.py", "b.py"}


def test_names_that_are_not_utf8_are_reported_and_skipped(tmp_path):
    root = make_repo(tmp_path / "r", {"a.py": "x = 1\n"}, commit=False)
    (root / "a.py").rename(os.fsdecode(bytes(root) + b"/bad\xff.py"))
    repo = open_repository(root)
    assert repo.files == []
    assert [w.message for w in repo.warnings] == ["file name is not valid UTF-8; not audited"]
    assert repo.warnings[0].path == "bad\\xff.py"


def test_files_deleted_from_the_work_tree_are_not_listed(tmp_path):
    root = make_repo(tmp_path / "r", {"a.py": "x\n", "gone.py": "y\n"})
    (root / "gone.py").unlink()
    assert [f.path for f in open_repository(root).files] == ["a.py"]
