"""The project's own functions, as far as probes need them: which ones seed, who calls what.

Calls to project code resolve to names like `utils.set_seed`, `.utils.set_seed` or a bare
`set_seed` in the defining file. We key functions by (file stem, function name), which is
what every one of those spellings ends in.
"""

from __future__ import annotations

import re
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


_SEEDING_NAME = re.compile(r"seed|determinis|reproduc", re.IGNORECASE)


def seeding_helpers(ctx: ProbeContext, global_seeds: dict[str, frozenset[str]]) -> dict[Key, frozenset[str]]:
    """Project functions (outside tests) whose job is seeding, and which libraries they seed.

    A function counts when it is named for it (seed, determinism, reproducibility) or when
    most of its calls seed something: `main()` seeding before it trains is not a helper.
    """
    helpers: dict[Key, frozenset[str]] = {}
    for f, facts in ctx.code(include_tests=False):
        if facts.kind != "python":
            continue
        seeded: dict[str, frozenset[str]] = {}
        total: dict[str, int] = {}
        seeding: dict[str, int] = {}
        for call in facts.python.calls:
            if call.scope == "<module>" or "." in call.scope:
                continue
            total[call.scope] = total.get(call.scope, 0) + 1
            libs = global_seeds.get(call.name)
            if libs:
                seeded[call.scope] = seeded.get(call.scope, frozenset()) | libs
                seeding[call.scope] = seeding.get(call.scope, 0) + 1
        for name, libs in seeded.items():
            if _SEEDING_NAME.search(name) or 2 * seeding[name] >= total[name]:
                helpers[(stem(f.path), name)] = libs
    return helpers


def function_at(facts: FileFacts, qualname: str) -> Function | None:
    return next((fn for fn in facts.python.functions if fn.qualname == qualname), None)


def callers(ctx: ProbeContext, key: Key) -> Iterator[tuple[RepoFile, Call]]:
    for f, facts in ctx.code():
        for call in facts.python.calls:
            if call_key(call, f.path) == key:
                yield f, call
