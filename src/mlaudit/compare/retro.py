"""What changed between two commits, as a team reviews it in a retrospective.

Built from two scans (stored by `mlaudit history`, or made from git objects on demand): how each
rubric and section moved, which checks changed status, the findings that appeared and went away
(the CI baseline's comparison, so "new" means the same in both places), and the team's
attestations that have expired or will expire before a date, such as the next retrospective.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from mlaudit.compare.baseline import compare
from mlaudit.compare.findings import findings, text_key
from mlaudit.checks.schema import Status
from mlaudit.renderers.ordering import PROBLEM, STATUS_RANK, headline_first
from mlaudit.result import ScanResult


PROBLEMS = frozenset(s.value for s in PROBLEM)


class Ref(BaseModel):
    ref: str  # as the user named it
    commit: str
    date: str  # committer date, ISO 8601
    subject: str = ""


class SectionMove(BaseModel):
    id: str
    title: str
    before: float | None
    after: float | None


class RubricMove(BaseModel):
    id: str
    title: str
    scoring: str
    max_score: float
    before: float | None
    after: float | None
    sections: list[SectionMove]  # every section of the ML Test Score; of the others, those that moved


class CheckMove(BaseModel):
    check: str
    title: str
    before: str | None  # status; None: the check did not exist then
    after: str | None
    change: Literal["worse", "better", "other"]  # other: neither status is a problem (pass to not observable)


class Item(BaseModel):
    """A finding that appeared or went away."""

    check: str
    title: str
    status: str
    severity: str
    where: str
    path: str | None  # None: about the repository as a whole
    line: int | None = None
    cell: int | None = None
    message: str
    excerpt: str | None = None
    commit: str | None = None  # the commit it was seen at, for links (a fixed finding's file may be gone)


class Due(BaseModel):
    """An attestation in the later commit's config that has expired or expires before the horizon."""

    check: str
    title: str
    expires: str
    expired: bool
    by: str
    config: str  # the config file and line it is written at
    evidence: str


class Retro(BaseModel):
    a: Ref
    b: Ref
    horizon: str  # attestations expiring before this day are listed
    rubrics: list[RubricMove] = Field(default_factory=list)
    checks: list[CheckMove] = Field(default_factory=list)
    new: list[Item] = Field(default_factory=list)
    fixed: list[Item] = Field(default_factory=list)
    due: list[Due] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # what the reader must know: a commit's config not used, ...


def _item(f, commit: str | None = None) -> Item:
    return Item(check=f.check, title=f.title, status=f.status.value, severity=f.severity.value, where=f.where,
                path=f.path if f.located else None, line=f.line, cell=f.cell, message=f.message, excerpt=f.excerpt,
                commit=commit)


def _rubric_moves(a: ScanResult, b: ScanResult) -> list[RubricMove]:
    before = {r.id: r for r in a.rubrics}
    out = []
    for r in headline_first(b.rubrics):
        then = before.get(r.id)
        then_sections = {s.id: s.score for s in then.sections} if then else {}
        sections = [SectionMove(id=s.id, title=s.title, before=then_sections.get(s.id), after=s.score)
                    for s in r.sections]
        if r.scoring != "ml-test-score":
            sections = [s for s in sections if s.before != s.after]
        out.append(RubricMove(id=r.id, title=r.title, scoring=r.scoring, max_score=r.max_score,
                              before=then.score if then else None, after=r.score, sections=sections))
    return out


def _check_moves(a: ScanResult, b: ScanResult, silenced: set[str]) -> list[CheckMove]:
    """`silenced`: checks the team suppressed (in part) since; a check suppressed because its last
    findings were already suppressed before moved because the code did."""
    def statuses(result: ScanResult) -> dict[str, tuple[str, str]]:
        # Out of the score, but not gone: neither better nor worse than what it was.
        return {r.check: ("suppressed" if r.suppressed else r.status.value, r.title) for r in result.results}

    then, now = statuses(a), statuses(b)
    out = []
    for check in sorted(then.keys() | now.keys()):
        s0 = then.get(check, (None, ""))[0]
        s1, title = now.get(check, (None, then.get(check, (None, ""))[1]))
        if s0 == s1:
            continue
        as_if = "pass" if s1 == "suppressed" and check not in silenced else s1
        out.append(CheckMove(check=check, title=title, before=s0, after=s1, change=_change(s0, as_if)))
    # Worse first: what the team has to talk about.
    return sorted(out, key=lambda m: (CHANGE_ORDER[m.change], m.check))


CHANGE_ORDER = {"worse": 0, "better": 1, "other": 2}


def _change(before: str | None, after: str | None) -> str:
    if "suppressed" in (before, after):
        return "other"  # the team decided, the code did not change
    problem = lambda s: s in PROBLEMS  # noqa: E731
    if problem(before) and problem(after):
        return "worse" if STATUS_RANK[Status(after)] < STATUS_RANK[Status(before)] else "better"
    if problem(after):
        return "worse"
    return "better" if problem(before) else "other"


def _due(b: ScanResult, today: dt.date, horizon: dt.date) -> list[Due]:
    """Judged against today, not the commit's day (a stored scan counts the attestations that
    were valid when it was committed)."""
    out = []
    for r in b.results:
        at = r.attestation
        if at is None or at.expires is None:
            continue
        expires = dt.date.fromisoformat(at.expires)
        expired = today >= expires
        if expired or expires < horizon:
            out.append(Due(check=r.check, title=r.title, expires=at.expires, expired=expired, by=at.by,
                           config=f"{at.path}:{at.line}" if at.line else at.path, evidence=at.evidence))
    return sorted(out, key=lambda d: (not d.expired, d.expires, d.check))


def _silenced_since(a: ScanResult, b: ScanResult) -> tuple[set[str], Counter]:
    """What the team suppressed between the two commits: checks its config now ignores as a whole,
    and findings (check, path, text) suppressed now more often than before."""
    def ignored(result: ScanResult) -> set[str]:
        return {r.check for r in result.results if r.suppression is not None}

    def suppressed(result: ScanResult) -> Counter:
        return Counter((r.check, e.path, text_key(e.excerpt or e.message)) for r in result.results
                       for e in r.evidence if e.suppression is not None)
    return ignored(b) - ignored(a), suppressed(b) - suppressed(a)


def _notes(a: ScanResult, a_ref: Ref, b: ScanResult, b_ref: Ref) -> list[str]:
    out = []
    if a_ref.date > b_ref.date:
        out.append(f"{a_ref.ref} is newer than {b_ref.ref}: read the moves backwards")
    for result, ref in ((a, a_ref), (b, b_ref)):
        out += [f"{ref.ref}: {w.path}{f':{w.line}' if w.line else ''}: {w.message}" for w in result.warnings
                if "at this commit" in w.message]
    return out


def retrospective(a: ScanResult, a_ref: Ref, b: ScanResult, b_ref: Ref, today: dt.date, horizon: dt.date) -> Retro:
    delta = compare(b, findings(b), a, findings(a), a_ref.ref)
    # Suppressed since is not fixed: the finding would still be there without the team's decision.
    ignored, suppressed = _silenced_since(a, b)
    fixed = []
    for f in delta.fixed:
        key = (f.check, f.path, text_key(f.excerpt or f.message))
        if f.check in ignored:
            continue
        if suppressed[key] > 0:
            suppressed[key] -= 1
            continue
        fixed.append(f)
    silenced = ignored | {check for check, _, _ in suppressed}  # every key counted was suppressed since
    return Retro(a=a_ref, b=b_ref, horizon=horizon.isoformat(), rubrics=_rubric_moves(a, b),
                 checks=_check_moves(a, b, silenced), new=[_item(f, b_ref.commit) for f in delta.new],
                 fixed=[_item(f, a_ref.commit) for f in fixed], due=_due(b, today, horizon), notes=_notes(a, a_ref, b, b_ref))
