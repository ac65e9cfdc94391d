"""What a probe gets to look at: the inventory, the fact store and its parameters."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any, TypeVar

from mlaudit.facts.model import FileFacts
from mlaudit.facts.store import FactStore
from mlaudit.repository import RepoFile, Repository
from mlaudit.repository.history import History

T = TypeVar("T")
TEST_DIRS = frozenset({"test", "tests", "testing"})


@lru_cache(maxsize=1 << 16)
def is_test_path(path: str) -> bool:
    """Where pytest would look for tests by default, plus the usual tests/ folders."""
    p = PurePosixPath(path)
    return (p.name.startswith("test_") or p.name.endswith("_test.py") or p.name == "conftest.py"
            or any(part in TEST_DIRS for part in p.parts[:-1]))


@lru_cache(maxsize=256)
def _globs(patterns: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern | None]:
    """One regex for the full path (every pattern), one for the file name (patterns without a '/'),
    as `fnmatchcase` would match them."""
    names = [fnmatch.translate(p) for p in patterns if "/" not in p]
    return (re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)"),
            re.compile("|".join(f"(?:{n})" for n in names)) if names else None)


@dataclass
class ProbeContext:
    repo: Repository
    store: FactStore
    params: dict[str, Any] = field(default_factory=dict)

    def files(self, *patterns: str) -> list[RepoFile]:
        """Files whose path matches any glob (matched against the full path and the file name)."""
        # A copy of a list built once per scan: a dozen probes ask for the same patterns.
        return list(self.shared(f"files:{patterns!r}", lambda ctx: ctx._files(patterns)))

    def _files(self, patterns: tuple[str, ...]) -> list[RepoFile]:
        by_path, by_name = _globs(patterns)
        return [f for f in self.repo.files
                if not f.is_symlink and (by_path.match(f.path) or (by_name is not None and by_name.match(f.name)))]

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
