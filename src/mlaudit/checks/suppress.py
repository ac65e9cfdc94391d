"""Suppressions: findings and checks a team has decided not to act on, kept visible with the reason.

The rules (docs/configuration.md says the same for users):
- A suppressed finding keeps its evidence and says which suppression hides it and why.
- A check ignored in the config without `paths` is left out of the score. So is a failing or
  partial check whose findings are all suppressed: its status stays what the scan saw (a suppression does not make a
  failure a pass), but it no longer counts. In the ML Test Score, where the paper fixes what a
  section is out of, "left out" means it earns 0, as a not-applicable test does.
- A check with some findings suppressed keeps its status on the others; rules are not re-run.
- A suppression that matches nothing is reported, like ruff's unused `noqa` (RUF100): stale
  suppressions would otherwise hide the next real finding on that line.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from dataclasses import dataclass

from mlaudit.checks.inline import Marker
from mlaudit.checks.schema import Status
from mlaudit.config_entries import Ignore, suggest
from mlaudit.result import CheckResult, FindingEvidence, Suppression, WarningOut

PROBLEM = frozenset({Status.fail, Status.partial})


@dataclass
class PlacedIgnore:
    """An `ignore:` entry and where it is written."""

    entry: Ignore
    path: str
    line: int
    used: bool = False

    def suppression(self) -> Suppression:
        return Suppression(kind="config", target=self.entry.check, reason=self.entry.reason, path=self.path, line=self.line)


def path_matches(path: str, patterns: list[str]) -> bool:
    """A glob matches the whole path (`*` crosses folders, so `legacy/**` is everything below
    legacy/), a glob without `/` matches the file name anywhere, and a plain folder matches what
    is under it."""
    name = path.rpartition("/")[2]
    for pat in patterns:
        pat = pat.removeprefix("./")
        if (fnmatch.fnmatchcase(path, pat) or ("/" not in pat and fnmatch.fnmatchcase(name, pat))
                or path.startswith(pat.rstrip("/") + "/")):
            return True
    return False


class _Markers:
    def __init__(self, markers: list[Marker]):
        self.by_path: dict[str, list[Marker]] = defaultdict(list)
        for m in markers:
            self.by_path[m.path].append(m)

    def match(self, e: FindingEvidence, check: str) -> Suppression | None:
        """The first inline marker covering this finding. Evidence without a line (a whole file or
        cell) is covered by a marker anywhere in that file or cell."""
        found = None
        for m in self.by_path.get(e.path or "", ()):
            if e.cell is not None and m.cell != e.cell:
                continue
            if e.line is not None and not m.covers(e.line):
                continue
            named = next((i for i in m.ids if i in (check, e.probe)), None)
            if named is None or not m.reason:
                continue
            m.used.add(named)
            found = found or Suppression(kind="inline", target=named, reason=m.reason, path=m.path, line=m.line, cell=m.cell)
        return found


def _config_match(e: FindingEvidence, check: str, ignores: list[PlacedIgnore]) -> Suppression | None:
    found = None
    for g in ignores:
        target, paths = g.entry.check, g.entry.paths
        if target == check and paths is None:
            continue  # the whole check: handled by the caller
        if target not in (check, e.probe):
            continue
        if paths is not None and (e.path is None or not path_matches(e.path, paths)):
            continue
        g.used = True
        found = found or g.suppression()
    return found


def apply_suppressions(results: list[CheckResult], ignores: list[PlacedIgnore], markers: list[Marker],
                       checks: set[str], probes: set[str]) -> list[WarningOut]:
    """Marks suppressed findings and checks in place; returns the unused suppressions."""
    inline = _Markers(markers)
    for r in results:
        for e in r.evidence:
            e.suppression = inline.match(e, r.check) or _config_match(e, r.check, ignores)
        whole = next((g for g in ignores if g.entry.check == r.check and g.entry.paths is None), None)
        if whole is not None:
            whole.used = True
            r.suppressed, r.suppression = True, whole.suppression()
        elif r.status in PROBLEM and r.evidence and all(e.suppression is not None for e in r.evidence):
            # Only a problem can be suppressed away: hiding the evidence of a pass (a probe id
            # ignored across checks) must not cost the check its points.
            r.suppressed = True
        if r.suppressed:
            r.points = 0.0
    in_use = {p for r in results for p in r.probes}
    return _unused(ignores, markers, checks, probes, in_use)


def _unused(ignores: list[PlacedIgnore], markers: list[Marker], checks: set[str], probes: set[str],
            in_use: set[str]) -> list[WarningOut]:
    def idle(name: str) -> str:
        # A probe no loaded check reads never runs, so nothing of it can be suppressed.
        return f"; no check in the loaded rubrics uses probe `{name}`" if name in probes and name not in in_use else ""

    out = []
    for g in ignores:
        if not g.used:
            where = f" under {', '.join(g.entry.paths)}" if g.entry.paths else ""
            out.append(WarningOut(path=g.path, line=g.line, message=(
                f"unused suppression: `ignore: {g.entry.check}`{where} matched no finding{idle(g.entry.check)} "
                "(remove it, or correct the check, probe or paths)")))
    known = checks | probes
    for m in sorted(markers, key=lambda m: (m.path, m.cell or 0, m.line)):
        def warn(message: str) -> None:
            out.append(WarningOut(path=m.path, line=m.line, cell=m.cell, message=message))

        if not m.ids:
            warn("unused suppression: `mlaudit: ignore` names no check or probe "
                 "(write `# mlaudit: ignore[<check or probe>] reason`)")
            continue
        if not m.reason:
            warn(f"unused suppression: `mlaudit: ignore[{', '.join(m.ids)}]` gives no reason, so it suppresses "
                 "nothing (say why after the bracket)")
            continue
        for i in m.ids:
            if i not in known:
                hint = suggest(i, sorted(known)) or next(
                    (f"did you mean `{c}`?" for c in sorted(checks) if c.endswith("/" + i)), "")
                warn(f"unused suppression: unknown check or probe `{i}`" + (f" ({hint})" if hint else ""))
            elif i not in m.used:
                lines = "this line or the next" if m.comment_only else "this line"
                warn(f"unused suppression: `mlaudit: ignore[{i}]` matched no finding of `{i}` on {lines}{idle(i)}")
    return out
