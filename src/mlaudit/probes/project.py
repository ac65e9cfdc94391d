"""The project's own functions, as far as probes need them: which ones seed, who calls what.

Calls to project code resolve to names like `utils.set_seed`, `.utils.set_seed` or a bare
`set_seed` in the defining file. We key functions by (file stem, function name), which is
what every one of those spellings ends in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from mlaudit.facts.model import Call, FileFacts, Function
from mlaudit.probes.context import ProbeContext
from mlaudit.repository import RepoFile

Key = tuple[str, str]


def stem(path: str) -> str:
    return PurePosixPath(path).stem


def call_key(call: Call, path: str) -> Key:
    """(module stem, function name) a call would reach if it is a project function."""
    parts = call.name.split(".")
    if len(parts) == 1:
        return stem(path), parts[0]
    return parts[-2].removesuffix("()"), parts[-1]


def seeding_helpers(ctx: ProbeContext, global_seeds: dict[str, frozenset[str]]) -> dict[Key, frozenset[str]]:
    """Project functions (outside tests) that seed global generators, and which libraries they seed."""
    helpers: dict[Key, frozenset[str]] = {}
    for f, facts in ctx.code(include_tests=False):
        if facts.kind != "python":
            continue
        for call in facts.python.calls:
            libs = global_seeds.get(call.name)
            if libs and call.scope != "<module>" and "." not in call.scope:
                key = (stem(f.path), call.scope)
                helpers[key] = helpers.get(key, frozenset()) | libs
    return helpers


def function_at(facts: FileFacts, qualname: str) -> Function | None:
    return next((fn for fn in facts.python.functions if fn.qualname == qualname), None)


def callers(ctx: ProbeContext, key: Key) -> Iterator[tuple[RepoFile, Call]]:
    for f, facts in ctx.code():
        for call in facts.python.calls:
            if call_key(call, f.path) == key:
                yield f, call
