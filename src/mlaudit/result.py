"""The scan result: the JSON contract (schema_version "1") every renderer reads.

Field names here are fixed by the contract in docs/json-output.md; fields may be added,
never renamed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from mlaudit.checks.schema import EvidenceClass, Severity, Status
from mlaudit.probes.model import printable

SCHEMA_VERSION = "1"


class Tool(BaseModel):
    name: Literal["mlaudit"] = "mlaudit"
    version: str


class Target(BaseModel):
    path: str
    name: str
    commit: str | None = None
    branch: str | None = None
    shallow: bool = False
    remote_url: str | None = None
    git: bool = False
    prefix: str = ""  # the scanned folder's path inside its git repository
    changed: list[str] = Field(default_factory=list)  # untracked or edited files: not at `commit` on a forge


class FindingEvidence(BaseModel):
    path: str | None = None
    line: int | None = None
    cell: int | None = None
    commit: str | None = None
    message: str
    probe: str | None = None

    _printable = field_validator("path", "message")(printable)


class SourceLink(BaseModel):
    title: str
    url: str
    section: str


class CheckResult(BaseModel):
    check: str  # "<rubric>/<check>"
    rubric: str
    section: str
    status: Status
    points: float
    max_points: float
    weight: float = 1.0  # percentage rubrics weigh checks by severity
    title: str
    heading: str | None = None
    severity: Severity
    evidence_class: EvidenceClass | None = None
    message: str
    evidence: list[FindingEvidence] = Field(default_factory=list)
    sources: list[SourceLink] = Field(default_factory=list)
    probes: dict[str, str] = Field(default_factory=dict)  # probe id -> outcome: how the status was reached
    rationale: str = ""
    remediation: str = ""
    attest: str | None = None


class SectionScore(BaseModel):
    id: str
    title: str
    score: float | None  # None when nothing in the section could be scored
    max: float
    checks: int = 0


class RubricScore(BaseModel):
    id: str
    title: str
    version: str
    scoring: str
    score: float | None  # None when nothing in the rubric could be scored
    max_score: float
    band: str | None = None
    sections: list[SectionScore]
    minimum_sections: list[str] = Field(default_factory=list)  # ML Test Score: the section(s) setting the score
    counts: dict[str, int] = Field(default_factory=dict)  # status -> number of checks
    denominator: str = ""  # in words: what the score is out of, and what was left out
    origin: str = "built-in"  # or the path of the team's rubric file


class WarningOut(BaseModel):
    path: str
    message: str
    line: int | None = None
    cell: int | None = None

    _printable = field_validator("path", "message")(printable)


class ProbeSummary(BaseModel):
    outcome: str
    values: dict[str, Any] = Field(default_factory=dict)
    message: str | None = None


class ScanResult(BaseModel):
    schema_version: str = SCHEMA_VERSION
    tool: Tool
    target: Target
    generated_at: str
    rubrics: list[RubricScore]
    results: list[CheckResult]
    warnings: list[WarningOut] = Field(default_factory=list)
    probes: dict[str, ProbeSummary] = Field(default_factory=dict)
    stats: dict[str, Any] = Field(default_factory=dict)
