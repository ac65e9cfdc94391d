"""The fact store: each file's facts extracted at most once per scan, from cache when possible.

Only compact facts stay in memory; every AST is dropped as soon as its facts are taken.
Bad files (binary, not UTF-8, invalid notebook JSON, syntax errors, over the size cap)
become warnings with their path and the scan goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mlaudit.facts.cache import FactCache
from mlaudit.facts.model import FileFacts
from mlaudit.facts.notebook import extract_notebook
from mlaudit.facts.python_source import extract_python
from mlaudit.repository.blob import git_blob_id
from mlaudit.repository import RepoFile, Repository, ScanWarning
from mlaudit.yamlsource import YamlDoc, YamlSyntaxError, load_yaml

PYTHON_SUFFIXES = frozenset({".py", ".pyw"})
NOTEBOOK_SUFFIXES = frozenset({".ipynb"})
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
T = TypeVar("T")


@dataclass
class StoreStats:
    parsed: int = 0
    cache_hits: int = 0
    skipped_large: int = 0
    failed: int = 0
    reused: int = 0  # answers a history walk kept from an earlier commit's scan of the same blob


@dataclass
class FactStore:
    repo: Repository
    cache: FactCache
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    stats: StoreStats = field(default_factory=StoreStats)
    warnings: list[ScanWarning] = field(default_factory=list)
    _facts: dict[str, FileFacts | None] = field(default_factory=dict)
    _text: dict[str, str | None] = field(default_factory=dict)
    _yaml: dict[str, YamlDoc | None] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)  # tracked code files edited since the index
    # Repository-wide indexes several probes share (the test collection, the tool survey): built
    # once per scan by whichever probe asks first, through ProbeContext.shared.
    derived: dict[str, Any] = field(default_factory=dict)

    # -- code: Python files and notebooks -----------------------------------------------
    _code_files: list[RepoFile] | None = None

    def code_files(self) -> list[RepoFile]:
        if self._code_files is None:
            self._code_files = [f for f in self.repo.files
                                if not f.is_symlink and (f.suffix in PYTHON_SUFFIXES or f.suffix in NOTEBOOK_SUFFIXES)]
        return self._code_files

    def iter_code(self) -> Iterator[tuple[RepoFile, FileFacts]]:
        """(file, facts) for every parseable Python file and notebook, in path order."""
        self._load_all()
        for f in self.code_files():
            facts = self._facts.get(f.path)
            if facts is not None:
                yield f, facts

    def _load_all(self) -> None:
        pending = [f for f in self.code_files() if f.path not in self._facts]
        if not pending:
            return
        fresh: list[tuple[str, FileFacts]] = []

        def load(f: RepoFile) -> FileFacts | None:
            facts, key = self._load(f)
            if facts is not None and key is not None:
                fresh.append((key, facts))
            return facts
        for f in pending:
            self._facts[f.path] = self.per_file(f"facts{f.suffix}", f, lambda: load(f))
        self.cache.put_many(fresh)

    def per_file(self, what: str, f: RepoFile, compute: Callable[[], T]) -> T:
        """`compute()`, an answer drawn from this file's content alone, worked out once per blob
        over a history walk; the warnings it gave are given again where the answer is reused."""
        memo = self.repo.memo
        if memo is None or f.blob_id is None or f.is_symlink:
            return compute()
        key = (what, f.blob_id)
        hit = memo.get(key)
        if hit is not None:
            value, warned = hit
            self.stats.reused += 1
            self.warnings += [ScanWarning(f.path, *w) for w in warned]
            return value
        value = compute()
        # Every warning this file has had so far, not only the ones `compute` gave: it may have
        # used a text another probe already read (and warned about). Repeats are listed once.
        memo.put(key, (value, [(w.message, w.line, w.cell) for w in self.warnings if w.path == f.path]))
        return value

    def _load(self, f: RepoFile) -> tuple[FileFacts | None, str | None]:
        """Facts for one file and, when they were freshly extracted, the cache key to store."""
        kind = "notebook" if f.suffix in NOTEBOOK_SUFFIXES else "python"
        if f.size > self.max_file_size:
            self.stats.skipped_large += 1
            self.warn(f.path, f"{f.size:,} bytes is over the {self.max_file_size:,}-byte limit; inventoried, not parsed")
            return None, None
        # The index's blob id may describe bytes edited since, so code is hashed as read: a few
        # milliseconds, against the parse it saves when the hash is in the cache.
        data = self._read(f)
        if data is None:
            return None, None
        content_id = git_blob_id(data)
        if f.blob_id is not None and f.blob_id != content_id:
            self.changed.add(f.path)
        key = f"{kind}:{content_id}"
        cached = self.cache.get(key)
        if cached is not None:
            self.stats.cache_hits += 1
            self._report_problems(f, cached)
            return cached, None
        self.stats.parsed += 1
        if b"\0" in data[:8192] and kind == "python":
            self.stats.failed += 1
            self.warn(f.path, "binary content in a .py file; not parsed")
            return None, None
        if kind == "notebook":
            try:
                facts, _ = extract_notebook(data)
            except Exception as exc:  # a malformed notebook costs that notebook, never the scan
                self.stats.failed += 1
                self.warn(f.path, str(exc) if isinstance(exc, ValueError) else
                          f"not a readable notebook: {type(exc).__name__}: {exc}"[:300])
                return None, None
        else:
            python, problems = extract_python(data)
            facts = FileFacts("python", python, problems=tuple(problems))
        self._report_problems(f, facts)
        return facts, key

    def _report_problems(self, f: RepoFile, facts: FileFacts) -> None:
        for p in facts.problems:
            where = f"cell {p.cell}, line {p.line}" if p.cell is not None else f"line {p.line}"
            self.warn(f.path, f"{p.message} ({where}); the rest of the file was still audited"
                      if facts.kind == "notebook" else f"{p.message} at {where}; no facts taken from this file",
                      line=p.line, cell=p.cell)

    def _read(self, f: RepoFile) -> bytes | None:
        try:
            return self.repo.read_bytes(f)
        except OSError as exc:
            self.stats.failed += 1
            self.warn(f.path, f"cannot read: {exc.strerror or exc}")
            return None

    # -- text and structured files (CI configs, requirements, ...) -----------------------
    def text(self, f: RepoFile, *, keep: bool = True) -> str | None:
        """Decoded text of a small file, or None (with a warning) when it is binary or too large.

        `keep=False` is for a probe that skims every text file once (secrets): the text is not
        held for the rest of the scan, only the fact that it could not be read."""
        if f.path in self._text:
            return self._text[f.path]
        # A history walk keeps the few texts probes hold (configs), not every file a skim reads.
        result = self.per_file("text", f, lambda: self._decode(f)) if keep else self._decode(f)
        if keep or result is None:
            self._text[f.path] = result
        return result

    def _decode(self, f: RepoFile) -> str | None:
        result: str | None = None
        if f.is_symlink:
            pass
        elif f.size > self.max_file_size:
            self.warn(f.path, f"{f.size:,} bytes is over the {self.max_file_size:,}-byte limit; not read")
        else:
            data = self._read(f)
            if data is not None:
                if b"\0" in data[:8192]:
                    self.warn(f.path, "binary content where text was expected; not read")
                else:
                    try:
                        result = data.decode("utf-8-sig")
                    except UnicodeDecodeError as exc:
                        self.warn(f.path, f"not UTF-8 (byte {exc.start}); not read")
        return result

    def yaml(self, f: RepoFile) -> YamlDoc | None:
        if f.path in self._yaml:
            return self._yaml[f.path]
        doc = self._yaml[f.path] = self.per_file("yaml", f, lambda: self._parse_yaml(f))
        return doc

    def _parse_yaml(self, f: RepoFile) -> YamlDoc | None:
        doc: YamlDoc | None = None
        text = self.text(f)
        if text is not None:
            try:
                doc = load_yaml(text)
            except YamlSyntaxError as exc:
                self.warn(f.path, str(exc), line=exc.line)
            except (RecursionError, MemoryError):
                self.warn(f.path, "YAML nested too deeply to read; not read")
        return doc

    def warn(self, path: str, message: str, line: int | None = None, cell: int | None = None) -> None:
        self.warnings.append(ScanWarning(path, message, line, cell))

    def structured(self) -> dict[str, Any]:
        return {"parsed": self.stats.parsed, "cache_hits": self.stats.cache_hits,
                "skipped_large": self.stats.skipped_large, "failed": self.stats.failed,
                **({"reused": self.stats.reused} if self.stats.reused else {})}
