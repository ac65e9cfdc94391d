"""Git history as probes see it: read from real repositories, shallow clones and plain folders."""

from __future__ import annotations

import os
import subprocess

from conftest import GIT_ENV, git, make_repo, write_files

from mlaudit.repository import open_repository


def commit_at(repo, when: str, files: dict, message: str) -> None:
    write_files(repo, files)
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "add", "-A"], cwd=repo, env=env, check=True)
    subprocess.run(["git", "commit", "-qm", message], cwd=repo, env=env, check=True)


def test_commits_newest_first_with_their_files(tmp_path):
    repo = make_repo(tmp_path / "r", {}, commit=False)
    commit_at(repo, "2024-01-01T00:00:00Z", {"train.py": "x = 1\n"}, "add training")
    commit_at(repo, "2024-02-01T00:00:00Z", {"train.py": "x = 2\n", "tests/test_t.py": "def test(): pass\n"}, "change both")
    history = open_repository(repo).history
    assert history.available and history.reason is None
    assert [c.subject for c in history.commits] == ["change both", "add training"]
    assert set(history.commits[0].files) == {"train.py", "tests/test_t.py"}
    assert not history.commits[0].is_merge
    assert history.last_changed("train.py") == history.commits[0].time
    assert history.last_changed("missing.py") is None


def test_a_subfolder_sees_paths_relative_to_itself(tmp_path):
    repo = make_repo(tmp_path / "r", {"proj/model.py": "a = 1\n", "other/x.py": "b = 1\n"})
    history = open_repository(repo / "proj").history
    assert history.commits[0].files == ("model.py",)


def test_shallow_clone_and_plain_folder_are_not_observable(tmp_path):
    origin = make_repo(tmp_path / "origin", {"a.py": "1\n"})
    commit_at(origin, "2024-03-01T00:00:00Z", {"a.py": "2\n"}, "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    shallow = open_repository(clone).history
    assert not shallow.available and "shallow" in shallow.reason
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("1\n")
    assert open_repository(plain).history.reason == "not a git repository"


def test_large_blob_deleted_from_the_tree_is_still_found(tmp_path):
    repo = make_repo(tmp_path / "r", {"data/big.csv": b"x" * 300_000, "small.csv": "a,b\n"})
    git(repo, "rm", "-q", "data/big.csv")
    git(repo, "commit", "-qm", "remove the data")
    blobs = open_repository(repo).history.blobs_over(200_000)
    assert [(b.path, b.size) for b in blobs] == [("data/big.csv", 300_000)]
    assert open_repository(repo).history.blobs_over(10_000_000) == []


def _evil_script(tmp_path, marker):
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    script.chmod(0o755)
    return script


def test_reading_history_never_runs_the_repositorys_gpg_program(tmp_path):
    marker = tmp_path / "gpg-ran"
    repo = make_repo(tmp_path / "r", {"a.py": "1\n"})
    (repo / "b.py").write_text("2\n")
    git(repo, "add", "b.py")
    tree = git(repo, "write-tree").strip()
    parent = git(repo, "rev-parse", "HEAD").strip()
    signed = (f"tree {tree}\nparent {parent}\nauthor a <a@b> 1700000000 +0000\ncommitter a <a@b> 1700000000 +0000\n"
              "gpgsig -----BEGIN PGP SIGNATURE-----\n \n fake\n -----END PGP SIGNATURE-----\n\nsigned\n")
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo, input=signed,
                         capture_output=True, text=True, check=True).stdout.strip()
    git(repo, "update-ref", "HEAD", sha)
    git(repo, "config", "log.showSignature", "true")
    git(repo, "config", "gpg.program", str(_evil_script(tmp_path, marker)))
    assert [c.subject for c in open_repository(repo).history.commits] == ["signed", "initial"]
    assert not marker.exists()


def test_a_partial_clone_never_fetches_through_the_repositorys_remote(tmp_path):
    marker = tmp_path / "fetch-ran"
    repo = make_repo(tmp_path / "r", {"pkg/a.py": "1\n"})
    git(repo, "config", "extensions.partialClone", "origin")
    git(repo, "config", "remote.origin.url", f"ext::sh -c touch% {marker}")
    git(repo, "config", "protocol.ext.allow", "always")
    subtree = git(repo, "rev-parse", "HEAD:pkg").strip()
    (repo / ".git" / "objects" / subtree[:2] / subtree[2:]).unlink()  # a missing object git would fetch
    open_repository(repo).history.commits
    assert not marker.exists()
