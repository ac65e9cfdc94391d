"""What a probe returns: a yes/no answer (or why there is none), where it looked, what it counted."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, Field, field_validator


class Outcome(str, Enum):
    true = "true"
    false = "false"
    not_applicable = "not_applicable"  # the question does not arise (no notebooks to be out of order)
    not_observable = "not_observable"  # the repository cannot tell (no git history for review evidence)
    error = "error"  # the probe itself failed; reported, never scored as pass or fail


def printable(text: str | None) -> str | None:
    """Text from the audited repository as it can be written to JSON and HTML: a lone surrogate
    (from a non-UTF-8 name or an odd string literal) is shown escaped instead of failing the report."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Evidence(BaseModel):
    path: str | None = None
    line: int | None = None
    cell: int | None = None
    commit: str | None = None  # evidence that is a commit in the history (a direct push, a merge)
    detail: str

    _printable = field_validator("path", "detail")(printable)


class ProbeResult(BaseModel):
    outcome: Outcome
    evidence: list[Evidence] = Field(default_factory=list)
    values: dict[str, Any] = Field(default_factory=dict)
    message: str | None = None  # why: set for errors and for not_applicable / not_observable

    @classmethod
    def found(cls, evidence: list[Evidence], values: dict[str, Any], *, applies: bool, why_not: str) -> "ProbeResult":
        """The usual answer of a probe that looks for a problem: true with the evidence when it
        found some, false when the question arose and nothing was found, else not applicable."""
        if evidence:
            return cls(outcome=Outcome.true, evidence=evidence, values=values)
        if applies:
            return cls(outcome=Outcome.false, values=values)
        return cls(outcome=Outcome.not_applicable, values=values, message=why_not)

