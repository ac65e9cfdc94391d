"""The entries of the config's `attest:` and `ignore:` lists, and the wording of config errors.

Each validator's message says how to fix the problem; config.py adds the file and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

_URL = re.compile(r"^https?://[^\s/]+\S*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def fmt_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def _words(v: object) -> object:
    """Free text must say something: a blank reason or name is as good as none."""
    if isinstance(v, str):
        v = v.strip()
        if not v:
            raise ValueError("must not be empty (write it out)")
    return v


def _date(v: object) -> object:
    # YAML reads 2026-10-02 as a date and TOML as a local date; a string must be exactly that
    # form, since pydantic would also take a number of seconds or a datetime.
    if isinstance(v, dt.datetime):
        raise ValueError("give a date without a time (YYYY-MM-DD)")
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and _ISO_DATE.match(v.strip()):
        return v.strip()
    raise ValueError(f"{v!r} is not a date (write the date as YYYY-MM-DD)")


def _repo_path(value: str) -> str:
    p = PurePosixPath(value.split("#", 1)[0])
    if value.startswith(("/", "\\")) or ".." in p.parts or re.match(r"^[A-Za-z]:[\\/]", value):
        raise ValueError(f"`{value}` is not a path inside the repository (give a path relative to the repository's root)")
    if str(p) in ("", "."):  # "." or "#x" would vouch for anything
        raise ValueError(f"`{value}` names the whole repository (point at the file or folder that shows the evidence)")
    return value


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Attest(Entry):
    """What a team states about a check the scan cannot see (or cannot see enough of)."""

    check: str
    level: Literal["automated", "documented"]
    evidence: str
    by: str
    date: dt.date
    expires: dt.date | None = None
    note: str | None = None

    _text = field_validator("check", "evidence", "by", "note", mode="before")(_words)
    _dates = field_validator("date", "expires", mode="before")(_date)

    @field_validator("level", mode="before")
    @classmethod
    def _manual(cls, v: object) -> object:
        return "documented" if v == "manual" else v  # the paper's "run manually, results documented"

    @field_validator("evidence")
    @classmethod
    def _evidence(cls, v: str) -> str:
        if _URL.match(v):
            from mlaudit.checks.lints import url_problem

            problem = url_problem(v)
            if problem:
                raise ValueError(f"`{v}` {problem}")
            return v
        if _SCHEME.match(v) and not re.match(r"^[A-Za-z]:[\\/]", v):
            raise ValueError(f"`{v}` is neither an http(s) URL nor a path in the repository (give one of those)")
        return _repo_path(v)

    @field_validator("date")
    @classmethod
    def _not_future(cls, v: dt.date) -> dt.date:
        if v > dt.date.today():
            raise ValueError(f"{v} is in the future (give the day the evidence was checked)")
        return v

    @field_validator("expires")
    @classmethod
    def _after(cls, v: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("date")
        if v is not None and start is not None and v <= start:
            raise ValueError(f"expires on {v}, not after its date {start} (fix one of the two dates)")
        return v

    @property
    def evidence_is_url(self) -> bool:
        return bool(_URL.match(self.evidence))


class Ignore(Entry):
    """A check, or a probe's findings, the team has decided not to act on, and why."""

    check: str  # "<rubric>/<check>", or a probe id such as "thresholds.fixed"
    reason: str
    paths: list[str] | None = None  # only findings under these globs; None: everywhere

    _text = field_validator("check", "reason", mode="before")(_words)

    @field_validator("paths")
    @classmethod
    def _globs(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            if not v:
                raise ValueError("an empty list (give at least one path, or leave `paths` out to ignore it everywhere)")
            for p in v:
                if not p.strip():
                    raise ValueError("a path must not be empty (give a glob such as legacy/**)")
                _repo_path(p.strip())
            v = [p.strip() for p in v]
        return v
