"""The rubric file format. These pydantic models are the single contract; the validator's messages
come from them, and docs/check-schema.md describes them for authors."""

from __future__ import annotations


from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mlaudit.probes.model import Outcome

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class Status(str, Enum):
    passed = "pass"
    partial = "partial"
    fail = "fail"
    not_applicable = "not_applicable"
    not_observable = "not_observable"
    error = "error"


class EvidenceClass(str, Enum):
    """How strong the evidence is, in the ML Test Score's terms (§VI.A: 1 point when a system
    runs the test automatically and repeatedly, 0.5 when it was run by hand and documented)."""

    automated = "automated"
    documented = "documented"
    implemented = "implemented"  # exists, but nothing shows it runs: 0 points under the paper's rule
    absent = "absent"
    not_observable = "not_observable"

    @property
    def label(self) -> str:
        return _EVIDENCE_LABELS[self]


_EVIDENCE_LABELS = {
    EvidenceClass.automated: "automated",
    EvidenceClass.documented: "documented",
    EvidenceClass.implemented: "implemented, not run",
    EvidenceClass.absent: "absent",
    EvidenceClass.not_observable: "not observable",
}


class Severity(str, Enum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reference(Strict):
    title: str
    url: str = Field(pattern=r"^https?://\S+$")
    authors: str | None = None
    year: int | None = None
    venue: str | None = None


class Source(Strict):
    """A check's source: a reference id from the rubric's `references` plus the section."""

    ref: str
    section: str


OutcomeMatch = Union[bool, Outcome, list[Union[bool, Outcome]]]


class Rule(Strict):
    when: dict[str, OutcomeMatch]
    status: Status
    evidence_class: EvidenceClass | None = None
    message: str
    evidence: list[str] | None = None  # probes whose evidence to show; default: every probe used

    @field_validator("when")
    @classmethod
    def _not_empty(cls, v: dict) -> dict:
        if not v:
            raise ValueError("`when` needs at least one probe; use `otherwise` for the fallback")
        return v

    def wanted(self) -> dict[str, frozenset[Outcome]]:
        out = {}
        for probe_id, match in self.when.items():
            items = match if isinstance(match, list) else [match]
            out[probe_id] = frozenset(_outcome(i) for i in items)
        return out


def _outcome(value: bool | Outcome) -> Outcome:
    if isinstance(value, bool):  # YAML reads `true` as a boolean
        return Outcome.true if value else Outcome.false
    return Outcome(value)


class Otherwise(Strict):
    status: Status
    evidence_class: EvidenceClass | None = None
    message: str


class ProbeUse(Strict):
    id: str
    params: dict[str, Union[str, int, float, bool, list[str]]] = Field(default_factory=dict)


class Check(Strict):
    id: Annotated[str, Field(pattern=SLUG)]
    section: str
    title: str
    heading: str | None = None  # the paper's longer wording, where it has one
    severity: Severity = Severity.medium
    rationale: str
    remediation: str
    sources: list[Source] = Field(min_length=1)
    probes: list[Union[str, ProbeUse]] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    otherwise: Otherwise
    attest: str | None = None  # what a team could attest when the scan cannot see it

    def probe_uses(self) -> list[ProbeUse]:
        return [p if isinstance(p, ProbeUse) else ProbeUse(id=p) for p in self.probes]

    @model_validator(mode="after")
    def _rules_need_probes(self) -> "Check":
        if self.rules and not self.probes:
            raise ValueError("a check with `rules` must list the `probes` they read")
        return self


class Section(Strict):
    id: Annotated[str, Field(pattern=SLUG)]
    title: str


class Band(Strict):
    """A score band: above `gt` (exclusive) and up to `le` (inclusive), as the paper's Table V reads."""

    gt: float | None = None
    le: float | None = None
    text: str


class Rubric(Strict):
    id: Annotated[str, Field(pattern=SLUG)]
    title: str
    version: str
    scoring: Literal["ml-test-score", "percentage"]
    description: str
    references: dict[str, Reference] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    bands: list[Band] = Field(default_factory=list)
    checks: list[Check] = Field(min_length=1)


