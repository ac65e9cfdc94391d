"""Probes are registered in code; the function's docstring is the probe's documentation.

The first docstring line is the question the probe answers; the rest says how it decides.
`mlaudit explain` and the generated docs read them from here, so nothing is written twice.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlaudit.probes.model import Outcome, ProbeResult

PROBE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class ProbeSpec:
    id: str
    func: Callable[..., ProbeResult]
    outcomes: frozenset[Outcome]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def question(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.id


PROBES: dict[str, ProbeSpec] = {}


def probe(probe_id: str, *, outcomes: set[Outcome] | None = None, params: dict[str, Any] | None = None):
    """Register a probe. `outcomes` lists what it can answer (error is always possible)."""
    if not PROBE_ID.match(probe_id):
        raise ValueError(f"probe id {probe_id!r} must look like 'area.question'")

    def register(func: Callable[..., ProbeResult]) -> Callable[..., ProbeResult]:
        if probe_id in PROBES:
            raise ValueError(f"probe {probe_id} is registered twice")
        allowed = frozenset(outcomes or {Outcome.true, Outcome.false}) | {Outcome.error}
        PROBES[probe_id] = ProbeSpec(probe_id, func, allowed, dict(params or {}))
        return func

    return register


def all_probes() -> dict[str, ProbeSpec]:
    import mlaudit.probes.catalog  # noqa: F401  (importing registers every built-in probe)

    return PROBES
