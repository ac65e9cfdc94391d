"""What a probe gets to look at: the inventory, the fact store and its parameters."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, TypeVar

from mlaudit.facts.model import FileFacts
from mlaudit.facts.store import FactStore
from mlaudit.repository import RepoFile, Repository
from mlaudit.repository.history import History

T = TypeVar("T")
TEST_DIRS = frozenset({"test", "tests", "testing"})


def is_test_path(path: str) -> bool:
    """Where pytest would look for tests by default, plus the usual tests/ folders."""
    p = PurePosixPath(path)
    return (p.name.startswith("test_") or p.name.endswith("_test.py") or p.name == "conftest.py"
            or any(part in TEST_DIRS for part in p.parts[:-1]))


@dataclass
class ProbeContext:
    repo: Repository
    store: FactStore
    params: dict[str, Any] = field(default_factory=dict)

    def files(self, *patterns: str) -> list[RepoFile]:
        """Files whose path matches any glob (matched against the full path and the file name)."""
        out = []
        for f in self.repo.files:
            if f.is_symlink:
                continue
            if any(fnmatch.fnmatchcase(f.path, pat) or ("/" not in pat and fnmatch.fnmatchcase(f.name, pat))
                   for pat in patterns):
                out.append(f)
        return out

    def shared(self, key: str, build: Callable[["ProbeContext"], T]) -> T:
        """A repository-wide index built once per scan and shared by the probes that read it."""
        if key not in self.store.derived:
            self.store.derived[key] = build(self)
        return self.store.derived[key]

    @property
    def history(self) -> History:
        return self.repo.history

    def code(self, *, include_tests: bool = True) -> Iterator[tuple[RepoFile, FileFacts]]:
        for f, facts in self.store.iter_code():
            if include_tests or not is_test_path(f.path):
                yield f, facts
