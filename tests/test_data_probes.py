"""data.versioning and data.large_artifacts on real git repositories, with history where it matters."""

from __future__ import annotations

import subprocess

from conftest import git, make_repo, write_files

from mlaudit.checks.schema import ProbeUse
from mlaudit.probes.model import Outcome
from mlaudit.scan import ScanOptions, Session, run_probes

MB = 1_000_000
POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize 123456789\n"


def result(repo, probe_id):
    _, results = run_probes(repo, ScanOptions(use_cache=False), [probe_id])
    return results[probe_id]


# -- data.versioning -----------------------------------------------------------------------
def test_dvc_remotes_are_named_by_scheme_never_by_url(repo_factory):
    r = result(repo_factory({
        "data/raw.csv.dvc": "outs:\n- md5: 1\n  path: raw.csv\n",
        ".dvc/config": ("[core]\n    remote = store\n['remote \"store\"']\n    url = s3://bucket/secret-path\n"
                        "    secret_access_key = hunter2\n[remote \"nas\"]\n    url = /mnt/nas/dvc\n"
                        "['remote \"web\"']\n    url = https://user:token@example.com/dvc\n"),
    }), "data.versioning")
    assert r.outcome is Outcome.true and r.values["tools"] == ["dvc"]
    assert r.values["remotes"] == [{"name": "store", "scheme": "s3", "default": True},
                                   {"name": "nas", "scheme": "local", "default": False},
                                   {"name": "web", "scheme": "https", "default": False}]
    assert [(e.path, e.line) for e in r.evidence if e.path == ".dvc/config"] == [
        (".dvc/config", 3), (".dvc/config", 6), (".dvc/config", 8)]
    shown = " ".join(e.detail for e in r.evidence)
    assert "bucket" not in shown and "hunter2" not in shown and "token" not in shown
    assert r.message is None


def test_dvc_without_remote_and_dvc_init_alone(repo_factory):
    no_remote = result(repo_factory({"dvc.yaml": "stages: {}\n", ".dvc/config": "[core]\n    autostage = true\n"}),
                       "data.versioning")
    assert no_remote.outcome is Outcome.true and no_remote.values["remotes"] == []
    assert "without a remote" in no_remote.message
    init_only = result(repo_factory({".dvc/config": "", "data.csv": "a\n1\n"}), "data.versioning")
    assert init_only.outcome is Outcome.false
    assert "initialised (.dvc/config) but tracks no data" in init_only.message
    assert [e.path for e in init_only.evidence] == ["data.csv"]


def test_lfs_pointer_files_count_and_evidence_is_capped(repo_factory):
    files = {f"data/part-{i:02d}.parquet": POINTER.format(f"{i:064x}") for i in range(25)}
    files["data/real.csv"] = "a,b\n1,2\n"  # small data that is not a pointer
    r = result(repo_factory(files), "data.versioning")
    assert r.outcome is Outcome.true and r.values["tools"] == ["git-lfs"]
    assert r.values["seen"] == {"git-lfs": 25} and len(r.evidence) == 20
    assert all(e.path != "data/real.csv" for e in r.evidence)


def test_lfs_for_pictures_only_is_not_data_versioning(repo_factory):
    r = result(repo_factory({".gitattributes": "*.png filter=lfs -text\n*.PDF filter=lfs -text\n", "d.csv": "a\n"}),
               "data.versioning")
    assert r.outcome is Outcome.false and [e.path for e in r.evidence] == ["d.csv"]
    assert "git-lfs stores media files only (*.PDF, *.png), not data" in r.message
    data = result(repo_factory({".gitattributes": "*.png filter=lfs -text\nimages/train/*.png filter=lfs -text\n"}),
                  "data.versioning")
    assert data.outcome is Outcome.true and [e.line for e in data.evidence] == [2]


def test_no_tool_lists_plain_data_largest_first(repo_factory):
    r = result(repo_factory({"small.csv": "a\n", "big.parquet": b"P" * 5000, "notes.md": "use `dvc add`\n"}),
               "data.versioning")
    assert r.outcome is Outcome.false and r.values["tools"] == [] and r.values["plain_data_files"] == 2
    assert [e.path for e in r.evidence] == ["big.parquet", "small.csv"]
    assert r.evidence[0].detail == "5,000-byte data file committed to git without versioning"


# -- data.large_artifacts ---------------------------------------------------------------------
def test_thresholds_by_kind_lfs_pointers_and_untracked(repo_factory):
    repo = repo_factory({
        "data/train.csv": b"1," * 600_000,        # 1.2 MB of data: over the artifact threshold
        "data/small.csv": b"1," * 200_000,        # 0.4 MB: under it
        "logs/run.txt": b"x" * (11 * MB),          # any file over 10 MB
        "docs/manual.txt": b"x" * (5 * MB),        # 5 MB of text: not an artifact, under 10 MB
        "models/model.pt": POINTER.format("0" * 64),  # stored in LFS: the pointer is the fix
    })
    write_files(repo, {"models/new.ckpt": b"\0" * (2 * MB)})  # not ignored, not yet committed
    r = result(repo, "data.large_artifacts")
    assert r.outcome is Outcome.true
    assert [(e.path, e.detail) for e in r.evidence] == [
        ("logs/run.txt", "11.0 MB file committed to git"),
        ("models/new.ckpt", "2.0 MB data/model file, untracked and not ignored: about to be committed"),
        ("data/train.csv", "1.2 MB data/model file committed to git"),
    ]
    assert r.values == {"files": 3, "bytes": 11 * MB + 2 * MB + 1_200_000, "untracked": 1, "history_blobs": 0,
                        "threshold": {"artifact_bytes": MB, "any_file_bytes": 10 * MB}}
    assert r.message is None


def test_thresholds_are_parameters(repo_factory):
    repo = repo_factory({"data/train.csv": b"1," * 600_000})
    session = Session.open(repo, ScanOptions(use_cache=False))
    try:
        r = session.runner.run(ProbeUse(id="data.large_artifacts", params={"artifact_bytes": 2 * MB}))
    finally:
        session.close()
    assert r.outcome is Outcome.false and r.values["threshold"]["artifact_bytes"] == 2 * MB


def test_history_keeps_deleted_and_replaced_blobs(repo_factory):
    repo = repo_factory({"data/old.parquet": b"a" * (3 * MB), "data/train.csv": b"b" * (2 * MB), "a.py": "x = 1\n"})
    git(repo, "rm", "-q", "data/old.parquet")
    write_files(repo, {"data/train.csv": b"small\n"})
    git(repo, "commit", "-qam", "drop the data")
    r = result(repo, "data.large_artifacts")
    assert r.outcome is Outcome.true
    assert [(e.path, e.detail) for e in r.evidence] == [
        ("data/old.parquet", "removed from the tree but still in history, 3.0 MB"),
        ("data/train.csv", "an earlier version of this file is still in history, 2.0 MB"),
    ]
    assert r.values["files"] == 0 and r.values["history_blobs"] == 2


def test_lfs_rule_added_after_the_blob_was_committed(repo_factory):
    repo = repo_factory({"weights/big.bin": b"w" * (2 * MB)})
    write_files(repo, {".gitattributes": "weights/*.bin filter=lfs diff=lfs merge=lfs -text\n"})
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-qm", "track weights with lfs from now on")
    r = result(repo, "data.large_artifacts")
    assert [(e.path, e.detail) for e in r.evidence] == [(
        "weights/big.bin", "2.0 MB data/model file committed as a plain git blob although .gitattributes "
        "routes weights/*.bin to git-lfs")]


def test_lfs_content_fetched_into_the_work_tree_is_not_a_finding(repo_factory):
    # git stores the pointer; after `git lfs pull` the work tree holds the real bytes.
    repo = repo_factory({".gitattributes": "*.safetensors filter=lfs -text\n",
                         "model.safetensors": POINTER.format("1" * 64)})
    write_files(repo, {"model.safetensors": b"\0" * (3 * MB)})
    r = result(repo, "data.large_artifacts")
    assert r.outcome is Outcome.false and r.evidence == []


def test_shallow_clone_says_history_was_not_inspected(repo_factory, tmp_path):
    origin = repo_factory({"data/old.csv": b"1," * MB})
    git(origin, "rm", "-q", "data/old.csv")
    write_files(origin, {"a.py": "x = 1\n"})
    git(origin, "add", "a.py")
    git(origin, "commit", "-qm", "second")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    r = result(clone, "data.large_artifacts")
    assert r.outcome is Outcome.false and r.values["history_blobs"] is None
    assert r.message.startswith("history was not inspected: shallow clone")


def test_folder_without_git(tmp_path):
    folder = tmp_path / "plain"
    write_files(folder, {"model.onnx": b"\0" * (2 * MB)})
    r = result(folder, "data.large_artifacts")
    assert r.evidence[0].detail == "2.0 MB data/model file in the folder (not a git repository)"
    assert r.message == "history was not inspected: not a git repository"


def test_repository_without_commits_reports_files_about_to_be_committed(tmp_path):
    repo = make_repo(tmp_path / "fresh", {"data.npy": b"\0" * (2 * MB)}, commit=False)
    r = result(repo, "data.large_artifacts")
    assert "about to be committed" in r.evidence[0].detail and r.values["untracked"] == 1
    assert r.message == "history was not inspected: the repository has no commits"
