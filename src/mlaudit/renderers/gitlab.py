"""GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array, one issue per finding.

GitLab reads a subset of Code Climate's issue format and ignores every other field
(docs.gitlab.com, "Code Quality", report format): `description`, `check_name`, `fingerprint`,
`severity` (info, minor, major, critical, blocker), `location.path` (relative to the repository,
no `./`) and `location.lines.begin`. Only those are written. The merge request widget compares
the base and head reports by fingerprint, so each issue carries its finding's fingerprint, which
is unique in a report and survives edits elsewhere in the file.

A finding in a notebook is placed at line 1 of the `.ipynb` file (a line inside a cell is no line
of the file) and names the cell; a check about the repository as a whole is placed on the anchor
file (the README) and says so.
"""

from __future__ import annotations

import json

from mlaudit.checks.schema import Severity, Status
from mlaudit.compare.findings import Finding
from mlaudit.renderers.placement import clean, repo_path, start_line
from mlaudit.result import ScanResult

SEVERITY = {Severity.info: "info", Severity.low: "minor", Severity.medium: "major", Severity.high: "critical",
            Severity.critical: "blocker"}
RANK = ["info", "minor", "major", "critical", "blocker"]
PARTIAL_CAP = "minor"  # a check half met is never more than a minor issue


def severity(f: Finding) -> str:
    level = SEVERITY[f.severity]
    if f.status not in (Status.fail, Status.error) and RANK.index(level) > RANK.index(PARTIAL_CAP):
        return PARTIAL_CAP
    return level


def description(f: Finding) -> str:
    title = f.title.strip()
    text = f.message.strip()
    head = f"{title} {text}" if title.endswith((".", "!", "?", ":")) else f"{title}: {text}"
    if not f.located:
        what = "the repository's history" if f.history else "the repository as a whole"
        head += f" (This concerns {what}; it is shown on {f.path}.)"
    elif f.cell is not None:
        head += f" (notebook cell {f.cell}" + (f", line {f.line}" if f.line else "") + ")"
    return head


def render_gitlab(result: ScanResult, findings: list[Finding]) -> str:
    prefix = result.target.prefix
    issues = []
    for f in findings:
        issues.append({
            "description": description(f),
            "check_name": f.check,
            "fingerprint": f.fingerprint,
            "severity": severity(f),
            "location": {"path": repo_path(f.path, prefix), "lines": {"begin": start_line(f)}},
        })
    issues.sort(key=lambda i: (i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"],
                               i["fingerprint"]))
    return json.dumps(clean(issues), indent=2, ensure_ascii=False) + "\n"
