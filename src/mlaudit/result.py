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
    from_objects: bool = False  # a commit read from git objects (`history`, `compare`), not a checkout
    shallow: bool = False
    remote_url: str | None = None
    git: bool = False
    prefix: str = ""  # the scanned folder's path inside its git repository
    changed: list[str] = Field(default_factory=list)  # untracked or edited files: not at `commit` on a forge
    anchor: str | None = None  # the file repository-wide findings are shown on in SARIF and GitLab (README, ...)


class Suppression(BaseModel):
    """Why a finding or check is set aside, and where the team wrote that down."""

    kind: Literal["config", "inline"]  # an `ignore:` entry, or a `# mlaudit: ignore[...]` comment
    target: str  # the check or probe id it names
    reason: str
    path: str  # the config file, or the source file holding the comment
    line: int | None = None
    cell: int | None = None

    _printable = field_validator("path", "reason", "target")(printable)


class FindingEvidence(BaseModel):
    path: str | None = None
    line: int | None = None
    cell: int | None = None
    commit: str | None = None
    message: str
    probe: str | None = None
    suppression: Suppression | None = None  # set: still shown, with the reason, but not acted on
    excerpt: str | None = None  # the source line itself, trimmed and shortened: what the reader would click to see

    _printable = field_validator("path", "message", "excerpt")(printable)


AttestationProblem = Literal["expired", "evidence path missing", "contradicted by the scan"]


class Attestation(BaseModel):
    """What the team stated about a check in its config, and how it compares with the scan."""

    level: EvidenceClass  # automated or documented
    evidence: str  # an http(s) URL or a path in the repository
    by: str
    date: str
    expires: str | None = None
    note: str | None = None
    path: str  # the config file and line it is written at
    line: int | None = None
    applied: bool  # True: the check's status, class and points come from it
    problems: list[AttestationProblem] = Field(default_factory=list)  # any problem: not applied
    observed_status: Status  # what the scan itself concluded
    observed_evidence_class: EvidenceClass | None = None
    observed_message: str = ""


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
    basis: Literal["observed", "attested"] = "observed"  # attested: status, class and points are the team's claim
    attestation: Attestation | None = None
    suppressed: bool = False  # left out of the score: ignored in the config, or every finding suppressed
    suppression: Suppression | None = None  # the config entry ignoring the whole check, if that is why


class SectionScore(BaseModel):
    id: str
    title: str
    score: float | None  # None when nothing in the section could be scored
    max: float
    checks: int = 0


class NextStep(BaseModel):
    """One way to raise a rubric's score, from what the scan saw of a check."""

    check: str
    title: str
    action: str  # in words: what the team would do
    gain: float  # points (ML Test Score) or percentage points this check could add to the score
    effort: int  # 1 cheapest (wire an existing test into CI) .. 4 (build what is absent)


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
    counts: dict[str, int] = Field(default_factory=dict)  # status -> number of checks, suppressed ones left out
    attested: int = 0  # checks whose status comes from the team's attestation
    suppressed: int = 0  # checks left out of the score by a suppression
    denominator: str = ""  # in words: what the score is out of, and what was left out
    origin: str = "built-in"  # or the path of the team's rubric file
    next_steps: list[NextStep] = Field(default_factory=list)  # the cheapest checks that would raise the score


class TrendPoint(BaseModel):
    """A rubric's scores at one earlier commit, for the report's trend charts."""

    commit: str
    date: str  # the commit's date, ISO 8601
    subject: str = ""
    scores: dict[str, float | None] = Field(default_factory=dict)  # rubric id -> score
    sections: dict[str, dict[str, float | None]] = Field(default_factory=dict)  # rubric id -> section id -> score
    statuses: dict[str, str] = Field(default_factory=dict)  # check id -> status, to tell what moved a score
    changed: list[str] = Field(default_factory=list)  # checks whose status changed since the point before, if known

    _printable = field_validator("subject")(printable)

    @classmethod
    def of(cls, result: "ScanResult", commit: str, date: str, subject: str, before: "TrendPoint | None") -> "TrendPoint":
        """A scan as a point of the series; `before`, the point it follows, tells which checks moved."""
        statuses = {r.check: r.status.value for r in result.results}
        changed = sorted(k for k, v in statuses.items() if before.statuses.get(k) != v) if before and before.statuses else []
        return cls(commit=commit, date=date, subject=subject, scores={r.id: r.score for r in result.rubrics},
                   sections={r.id: {s.id: s.score for s in r.sections} for r in result.rubrics},
                   statuses=statuses, changed=changed)


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
    unused_suppressions: list[WarningOut] = Field(default_factory=list)  # ignores that matched no finding
    config: str | None = None  # the config file read, if any
    probes: dict[str, ProbeSummary] = Field(default_factory=dict)
    stats: dict[str, Any] = Field(default_factory=dict)
    trend: list[TrendPoint] = Field(default_factory=list)  # earlier commits' scores, oldest first (`mlaudit history`)
