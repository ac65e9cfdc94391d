"""Paths that configuration files name, read as repository paths.

A requirements file's `-r ../base.txt`, a conftest's `collect_ignore`, a `cd` in a CI script or a
config path in code are all relative to some folder of the repository. `join` resolves them the
one way every probe should: never above the repository root, since a file outside it is not
one the audit can read.
"""

from __future__ import annotations

from pathlib import PurePosixPath


def join(folder: str, rel: str) -> str | None:
    """`rel` seen from `folder` ("" for the root) as a path from the root, "." and empty parts
    dropped and ".." resolved: "" is the root itself. None when the path climbs above the root or
    is absolute (an absolute path names a file on some machine, not in the repository)."""
    if rel.startswith("/"):
        return None
    parts: list[str] = []
    for part in f"{folder}/{rel}".split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def folder_of(path: str) -> str:
    """The folder holding a file, "" for the root."""
    parent = PurePosixPath(path).parent.as_posix()
    return "" if parent == "." else parent
