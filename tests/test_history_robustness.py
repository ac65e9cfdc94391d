"""`mlaudit history` on the repositories teams really have: merges, renames and deletions, submodules,
git-lfs pointers, shallow clones, two runs sharing one database, and trees with files mlaudit cannot
read. Every fixture is a real git repository; each stored result must describe its own commit's tree.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import GIT_ENV, git, make_repo, notebook, write_files

from mlaudit.result import ScanResult

SPLIT = ("from sklearn.model_selection import train_test_split\n\n\n"
         "def split(X, y):\n    return train_test_split(X, y{})\n")
UNSEEDED = SPLIT.format("")
SEEDED = SPLIT.format(", random_state=0")
SPLIT_SEEDS = "ml-pitfalls/split-seeds"


def commit(repo: Path, message: str, when: str) -> str:
    """Commits everything under `when` (author and committer date); returns the commit id."""
    git(repo, "add", "-A")
    git_at(repo, when, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD").strip()


def git_at(repo: Path, when: str, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def stored(db: Path) -> dict[str, ScanResult]:
    """Every scan in the database, by commit id (the tests use one rule set per database)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT commit_id, ruleset, result FROM scans").fetchall()
    finally:
        con.close()
    assert len({r[1] for r in rows}) <= 1
    return {c: ScanResult.model_validate_json(zlib.decompress(blob)) for c, _, blob in rows}


def check(result: ScanResult, check_id: str):
    return next(r for r in result.results if r.check == check_id)


def evidence_paths(result: ScanResult) -> set[str]:
    return {e.path for r in result.results for e in r.evidence if e.path}


def history(cli, repo: Path, db: Path, *args: str) -> dict[str, ScanResult]:
    code, _, err = cli("history", str(repo), "--db", str(db), "-q", *args)
    assert code == 0, err
    return stored(db)


def state(repo: Path) -> tuple:
    """HEAD, the index and `git status`, byte for byte: what a history run must leave as it was."""
    return (git(repo, "rev-parse", "HEAD"), (repo / ".git" / "index").read_bytes(),
            git(repo, "status", "--porcelain=v1", "--untracked-files=all", "--ignore-submodules=none"))


# -- 1. merges --------------------------------------------------------------------------------------
def test_a_merge_is_sampled_on_the_first_parent_line_with_the_merged_content(tmp_path, cli):
    repo = make_repo(tmp_path / "proj", {"README.md": "# p\n"}, commit=False)
    start = commit(repo, "start", "2026-01-05T10:00:00")
    git(repo, "checkout", "-qb", "feature")
    (repo / "train.py").write_text(UNSEEDED)
    side1 = commit(repo, "side: add a split", "2026-01-10T10:00:00")
    (repo / "train.py").write_text(UNSEEDED.replace("y)", "y, shuffle=True)"))
    side2 = commit(repo, "side: shuffle", "2026-01-12T10:00:00")
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("# p\n\nmain moved on\n")
    main2 = commit(repo, "main: docs", "2026-01-15T10:00:00")
    git_at(repo, "2026-01-20T10:00:00", "merge", "--no-ff", "-q", "-m", "merge feature", "feature")
    merge = git(repo, "rev-parse", "HEAD").strip()
    assert git(repo, "rev-parse", f"{merge}^2").strip() == side2  # a real two-parent merge

    results = history(cli, repo, tmp_path / "h.sqlite")
    assert set(results) == {start, main2, merge}  # side1 and side2 are not on the first-parent line
    assert side1 not in results and side2 not in results
    assert check(results[main2], SPLIT_SEEDS).status.value == "not_applicable"  # main had no split yet
    merged = check(results[merge], SPLIT_SEEDS)
    assert merged.status.value == "fail"
    assert {e.path for e in merged.evidence} == {"train.py"}
    assert results[merge].target.commit == merge


# -- 2. renames and deletions -----------------------------------------------------------------------
def test_renamed_and_deleted_files_are_judged_at_each_commits_own_paths(tmp_path, cli):
    repo = make_repo(tmp_path / "proj", {"README.md": "# p\n", "src/split.py": UNSEEDED}, commit=False)
    added = commit(repo, "add split", "2026-01-05T10:00:00")
    (repo / "pipeline").mkdir()
    git(repo, "mv", "src/split.py", "pipeline/make_split.py")
    renamed = commit(repo, "rename", "2026-02-05T10:00:00")  # the same blob, now at another path
    assert "R100" in git(repo, "show", "--name-status", "--format=", "-M", renamed)
    git(repo, "rm", "-q", "pipeline/make_split.py")
    deleted = commit(repo, "delete", "2026-03-05T10:00:00")

    results = history(cli, repo, tmp_path / "h.sqlite")
    assert set(results) == {added, renamed, deleted}
    at_add, at_rename, at_delete = (check(results[c], SPLIT_SEEDS) for c in (added, renamed, deleted))
    assert at_add.status.value == "fail" and {e.path for e in at_add.evidence} == {"src/split.py"}
    # The blob's answer is reused from the previous commit, but the evidence is at the new path.
    assert at_rename.status.value == "fail" and {e.path for e in at_rename.evidence} == {"pipeline/make_split.py"}
    assert at_delete.status.value == "not_applicable" and not at_delete.evidence
    assert "src/split.py" not in evidence_paths(results[renamed]) | evidence_paths(results[deleted])
    assert "pipeline/make_split.py" not in evidence_paths(results[deleted])
    for c in (renamed, deleted):  # nothing is said about a path that is not in that commit's tree
        assert "src/split.py" not in {w.path for w in results[c].warnings}


# -- 3. submodules --------------------------------------------------------------------------------
def test_a_submodule_is_not_followed_and_the_work_tree_is_untouched(tmp_path, cli):
    lib = make_repo(tmp_path / "lib", {"train.py": UNSEEDED, "broken.ipynb": "{not json"})
    repo = make_repo(tmp_path / "proj", {"README.md": "# p\n", "model.py": SEEDED}, commit=False)
    first = commit(repo, "start", "2026-01-05T10:00:00")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib), "sub")
    with_sub = commit(repo, "add submodule", "2026-02-05T10:00:00")
    assert "160000 commit" in git(repo, "ls-tree", "HEAD", "sub")
    (repo / "sub" / "train.py").write_text("dirty inside the submodule\n")
    before, sub_before = state(repo), git(repo / "sub", "status", "--porcelain")

    results = history(cli, repo, tmp_path / "h.sqlite")
    assert set(results) == {first, with_sub}
    at_sub = results[with_sub]
    assert not any(p.startswith("sub/") or p == "sub" for p in evidence_paths(at_sub))
    assert not any(w.path.startswith("sub/") for w in at_sub.warnings)  # broken.ipynb there was not read
    # The unseeded split lives only in the submodule: the project's own split is seeded.
    assert check(at_sub, SPLIT_SEEDS).status.value == "pass"
    assert {e.path for e in check(at_sub, SPLIT_SEEDS).evidence} <= {"model.py"}
    assert state(repo) == before and git(repo / "sub", "status", "--porcelain") == sub_before


# -- 4. git-lfs pointers ------------------------------------------------------------------------------
POINTER = ("version https://git-lfs.github.com/spec/v1\n"
           "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
           "size 734003200\n")


def test_an_lfs_pointer_counts_as_versioned_data_and_nothing_is_fetched(tmp_path, cli, monkeypatch):
    # A git-lfs that records every call, as the repository's filter and on PATH: nothing may run it.
    calls = tmp_path / "lfs-calls"
    fake = tmp_path / "bin" / "git-lfs"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\ncat\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    repo = make_repo(tmp_path / "proj", {"README.md": "# p\n"}, commit=False)
    first = commit(repo, "start", "2026-01-05T10:00:00")
    write_files(repo, {".gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n", "models/model.pt": POINTER})
    # Committed as the pointer text itself (git-lfs need not be installed): no clean filter runs.
    git(repo, "-c", "filter.lfs.clean=", "-c", "filter.lfs.process=", "-c", "filter.lfs.required=false", "add", "-A")
    git_at(repo, "2026-02-05T10:00:00", "-c", "filter.lfs.clean=", "-c", "filter.lfs.process=",
           "-c", "filter.lfs.required=false", "commit", "-qm", "model via lfs")
    with_lfs = git(repo, "rev-parse", "HEAD").strip()
    assert git(repo, "cat-file", "-p", f"{with_lfs}:models/model.pt") == POINTER
    for key, value in [("filter.lfs.smudge", f"{fake} smudge %f"), ("filter.lfs.process", f"{fake} filter-process"),
                       ("filter.lfs.clean", f"{fake} clean %f"), ("filter.lfs.required", "true"),
                       ("remote.origin.url", str(tmp_path / "no-such-remote")),
                       ("lfs.url", "http://127.0.0.1:9/lfs")]:
        git(repo, "config", key, value)  # (from here on, a `git status` here would itself run the filter)

    results = history(cli, repo, tmp_path / "h.sqlite")
    assert set(results) == {first, with_lfs}
    versioning = check(results[with_lfs], "technical-debt/data-versioning")
    # The pointer is what git stores: the data is in LFS (versioned), and the 734 MB it names is
    # not a large blob committed to git.
    assert versioning.status.value == "pass", versioning.message
    details = {(e.path, e.message) for e in versioning.evidence}
    assert any(p == "models/model.pt" and "pointer" in m for p, m in details), details
    assert any(p == ".gitattributes" and "*.pt" in m for p, m in details), details
    assert not any("734" in e.message or "committed to git" in e.message for e in versioning.evidence)
    assert not any(w.path == "models/model.pt" for w in results[with_lfs].warnings)
    assert check(results[first], "technical-debt/data-versioning").status.value == "not_observable"
    assert not calls.exists()  # no filter, no download


# -- 5. shallow clones --------------------------------------------------------------------------------
@pytest.fixture
def four_commits(tmp_path) -> tuple[Path, list[str]]:
    repo = make_repo(tmp_path / "origin", {"README.md": "# p\n"}, commit=False)
    ids = []
    for i, (seed, when) in enumerate([("", "2026-01-05T10:00:00"), (", random_state=0", "2026-02-05T10:00:00"),
                                      ("", "2026-03-05T10:00:00"), (", random_state=1", "2026-04-05T10:00:00")]):
        (repo / "train.py").write_text(SPLIT.format(seed))
        ids.append(commit(repo, f"step {i}", when))
    return repo, ids


def shallow_clone(origin: Path, target: Path, depth: int = 2) -> Path:
    git(origin.parent, "-c", "protocol.file.allow=always", "clone", "-q", "--depth", str(depth),
        f"file://{origin}", str(target))
    assert git(target, "rev-parse", "--is-shallow-repository").strip() == "true"
    return target


def test_a_shallow_clone_is_walked_as_far_as_it_reaches(four_commits, tmp_path, cli):
    origin, ids = four_commits
    shallow = shallow_clone(origin, tmp_path / "shallow")
    results = history(cli, shallow, tmp_path / "h.sqlite")
    assert set(results) == set(ids[2:])  # the two reachable commits, nothing invented beyond them
    assert check(results[ids[2]], SPLIT_SEEDS).status.value == "fail"
    assert check(results[ids[3]], SPLIT_SEEDS).status.value == "pass"
    assert all(r.target.shallow for r in results.values())
    code, _, err = cli("history", str(shallow), "--db", str(tmp_path / "h.sqlite"), "-q")
    assert code == 0 and f"history reaches back to {ids[2][:10]}" in err  # said, even with -q


def test_shallow_note_says_how_far_back_history_reaches(four_commits, tmp_path):
    from mlaudit.history.sample import first_parent_line, shallow_note

    origin, ids = four_commits
    shallow = shallow_clone(origin, tmp_path / "shallow")
    line = first_parent_line(shallow, "HEAD", None, None)
    note = shallow_note(shallow, line)
    assert note is not None and "\n" not in note
    assert note.startswith("shallow clone") and ids[2][:10] in note and "2026-03-05" in note
    assert "git fetch --unshallow" in note
    # Sampling does not move the boundary: the note names the oldest reachable commit, not the oldest sampled.
    assert shallow_note(shallow, line[-1:]) == note
    assert shallow_note(origin, first_parent_line(origin, "HEAD", None, None)) is None


# -- 6. two runs sharing one database ----------------------------------------------------------------
def test_two_runs_at_once_share_the_database(tmp_path):
    repo = make_repo(tmp_path / "proj", {"README.md": "# p\n"}, commit=False)
    ids = []
    for i in range(6):
        (repo / "train.py").write_text(SPLIT.format(f", random_state={i}" if i % 2 else ""))
        ids.append(commit(repo, f"step {i}", f"2026-0{i + 1}-05T10:00:00"))
    db = tmp_path / "shared" / "h.sqlite"  # its folder does not exist yet: both runs create it
    env = {**os.environ, "NO_COLOR": "1", "MLAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    procs = [subprocess.Popen([sys.executable, "-m", "mlaudit", "history", str(repo), "--db", str(db), "-q"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = con.execute("SELECT commit_id, ruleset, COUNT(*) FROM scans GROUP BY commit_id, ruleset").fetchall()
        assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        con.close()
    assert sorted(r[0] for r in rows) == sorted(ids) and all(r[2] == 1 for r in rows)
    assert len({r[1] for r in rows}) == 1
    results = stored(db)
    assert [check(results[c], SPLIT_SEEDS).status.value for c in ids] == ["fail", "pass"] * 3


def test_a_new_database_another_run_is_setting_up_is_waited_for(tmp_path):
    """What the two runs above race for, made certain: while another connection holds the write lock
    of a new file (not yet in WAL mode), switching to WAL fails at once without the busy handler."""
    import threading

    from mlaudit.history.store import HistoryStore

    db = tmp_path / "h.sqlite"
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE placeholder (x)")
    release = threading.Timer(0.3, lambda: other.execute("ROLLBACK"))
    release.start()
    try:
        store = HistoryStore(db)
    finally:
        release.join()
        other.close()
    try:
        assert not store.has("0" * 40, "r")
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()


def test_a_history_folder_another_run_creates_meanwhile_is_used(tmp_path, monkeypatch):
    from mlaudit.history.store import HistoryStore

    real_mkdir = Path.mkdir

    def other_run_first(self, *args, **kwargs):  # the other run creates it between the check and mkdir
        real_mkdir(self, parents=True, exist_ok=True)
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", other_run_first)
    store = HistoryStore(tmp_path / "proj" / ".mlaudit" / "history.sqlite")
    try:
        assert not store.has("0" * 40, "r") and (tmp_path / "proj" / ".mlaudit" / "history.sqlite").is_file()
    finally:
        store.close()


# -- 7. files mlaudit cannot read -------------------------------------------------------------------
SECRET = "API_KEY=q8Zr7Kp2Lm9Xv4Tn6Wb1Yc3Hd5Jf0Gs\n"


def test_unreadable_files_are_warnings_and_symlinks_are_not_followed(tmp_path, cli):
    outside = tmp_path / "outside"
    write_files(outside, {"secret.env": SECRET, "split.py": UNSEEDED})
    repo = make_repo(tmp_path / "proj", {"README.md": "# p\n"}, commit=False)
    first = commit(repo, "start", "2026-01-05T10:00:00")
    write_files(repo, {
        "broken.ipynb": "{not json",
        "good.ipynb": notebook([("code", "x = 1", 1)]),
        "latin.py": "# caf\xe9\nx = 1\n".encode("latin-1"),
    })
    os.symlink("/etc/passwd", repo / "passwd.env")
    os.symlink(outside / "secret.env", repo / "deploy.env")
    os.symlink("../outside/split.py", repo / "train.py")
    os.symlink("README.md", repo / "readme-link.md")  # inside the repository: fine, not warned about
    bad = commit(repo, "bad files", "2026-02-05T10:00:00")
    assert git(repo, "ls-tree", bad, "train.py").startswith("120000")

    results = history(cli, repo, tmp_path / "h.sqlite")
    assert set(results) == {first, bad}
    warned = {w.path: w.message for w in results[bad].warnings}
    assert "broken.ipynb" in warned and "latin.py" in warned and "not UTF-8" in warned["latin.py"]
    for link in ("passwd.env", "deploy.env", "train.py"):
        assert "outside the repository" in warned.get(link, ""), warned
    assert "readme-link.md" not in warned and "good.ipynb" not in warned
    assert not results[first].warnings
    # Nothing behind the links was read: no secret found, no split seen.
    text = results[bad].model_dump_json()
    assert "q8Zr7Kp2" not in text and "root:" not in text
    assert check(results[bad], SPLIT_SEEDS).status.value == "not_applicable"
    assert not {"passwd.env", "deploy.env", "train.py"} & evidence_paths(results[bad])
