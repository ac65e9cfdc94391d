"""SARIF 2.1.0 for GitHub code scanning: one run, a rule per check that has findings, a result per finding.

GitHub reads a subset of SARIF (docs.github.com, "SARIF support for code scanning"); what this
writes follows it:

- every result has a location with a file and `startLine` >= 1, because GitHub shows nothing
  without one. A check about the repository as a whole is shown on the anchor file (the README)
  at line 1 and says so in its message; a finding in a notebook is shown at line 1 of the
  `.ipynb` file (a line inside a cell is no line of the file) and names the cell in its message;
- paths are relative to the git repository's top level, as GitHub resolves them, so a scan of a
  subfolder prefixes them with that folder, and they are percent-encoded (RFC 3986);
- `partialFingerprints` carries the finding's own fingerprint (`mlauditFindingHash/v1`), which
  survives edits above the finding. GitHub matches alerts across runs on `primaryLocationLineHash`
  only and computes one from the file's text when it is missing, which for a finding shown at
  line 1 (notebooks, repository-wide checks) would be the same for every finding of a check in
  that file; so the same fingerprint is given under that key too;
- `properties.security-severity` makes GitHub treat a rule's results as security alerts, so only
  the checks that read nothing but the secrets probe have it;
- `automationDetails.id` is the category: `mlaudit/`, plus the scanned folder when it is a
  subfolder, so that scans of two folders of one repository do not replace each other's alerts.

Text from the rubric goes into `help.markdown` with only the paper links and code spans left as
Markdown: everything else is escaped, so a team's rubric or a file's content cannot inject links
or HTML into the page GitHub renders.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from urllib.parse import quote

from mlaudit.checks.schema import Severity, Status
from mlaudit.compare.findings import Finding
from mlaudit.renderers.check_docs import doc_link
from mlaudit.renderers.markdown_text import md, md_text
from mlaudit.renderers.placement import clean, repo_path, start_line
from mlaudit.result import CheckResult, ScanResult, WarningOut

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "mlauditFindingHash/v1"
GITHUB_FINGERPRINT_KEY = "primaryLocationLineHash"  # the only key GitHub matches alerts on
SECRETS_PROBE = "secrets."  # probe ids of the secrets probe family
LIMIT = 1024  # GitHub's limit for shortDescription and fullDescription
NAME_LIMIT = 255

LEVEL = {Severity.critical: "error", Severity.high: "error", Severity.medium: "warning",
         Severity.low: "note", Severity.info: "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
# GitHub reads a score: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 3.9 or less low.
SECURITY_SEVERITY = {Severity.critical: "9.5", Severity.high: "8.0", Severity.medium: "5.5",
                     Severity.low: "2.0", Severity.info: "0.0"}
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_LINKABLE = re.compile(r"^https?://[^\s<>\\]+$")


def render_sarif(result: ScanResult, findings: list[Finding], *, docs_url: str) -> str:
    by_check = {r.check: r for r in result.results}
    builtin = {s.id for s in result.rubrics if s.origin == "built-in"}
    checks = sorted({f.check for f in findings})
    index = {check: i for i, check in enumerate(checks)}
    first = {}
    for f in findings:
        first.setdefault(f.check, f)
    rules = [_rule(by_check.get(c), c, first[c], builtin, docs_url) for c in checks]
    prefix = result.target.prefix
    results = [_result(f, index[f.check], rules[index[f.check]], prefix)
               for f in sorted(findings, key=lambda f: (index[f.check], f.path, start_line(f),
                                                        -1 if f.cell is None else f.cell, f.line or 0,
                                                        f.fingerprint))]
    page = docs_url.split("#", 1)[0]
    driver = {"name": "mlaudit", "version": result.tool.version, "informationUri": page, "rules": rules}
    if _SEMVER.match(result.tool.version):
        driver["semanticVersion"] = result.tool.version
    run: dict = {
        "tool": {"driver": driver},
        "automationDetails": {"id": "mlaudit/" + _category(prefix)},
        "invocations": [{"executionSuccessful": True,
                         "toolExecutionNotifications": _notifications(result.warnings, prefix)}],
        "results": results,
    }
    root = _srcroot(result.target.path, prefix)
    if root:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root}}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(clean(log), indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------- rules

def rule_name(check: str) -> str:
    """`ml-test-score/infra-1` → `MlTestScoreInfra1`: the single Pascal-case "friendly name" SARIF asks for."""
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", check) if w)[:NAME_LIMIT] or "Check"


def is_security(r: CheckResult | None) -> bool:
    """A check decided by the secrets probe alone: the one kind of result GitHub should treat as a security alert."""
    return r is not None and bool(r.probes) and all(p.startswith(SECRETS_PROBE) for p in r.probes)


def help_uri(r: CheckResult | None, check: str, builtin: set[str], docs_url: str) -> str | None:
    """The check's entry in the published check reference; a team's own check links its first source."""
    rubric = r.rubric if r is not None else check.split("/", 1)[0]
    if rubric in builtin:
        return doc_link(check, docs_url.split("#", 1)[0])
    for s in r.sources if r is not None else []:
        if _LINKABLE.match(s.url):
            return s.url
    return None


def _rule(r: CheckResult | None, check: str, first: Finding, builtin: set[str], docs_url: str) -> dict:
    """`first`: one of the check's findings, for a check the result does not hold (a baseline's)."""
    title = (r.title if r else first.title) or check
    severity = r.severity if r else first.severity
    level = LEVEL[severity]
    uri = help_uri(r, check, builtin, docs_url)
    rationale = (r.rationale if r else "") or title
    rule: dict = {
        "id": check,
        "name": rule_name(check),
        "shortDescription": {"text": _plain(_cut(title))},
        "fullDescription": {"text": _plain(_cut(rationale))},
        "defaultConfiguration": {"level": level},
        "help": {"text": _plain(_help_text(r, title, uri)), "markdown": _help_markdown(r, title, uri)},
    }
    if uri:
        rule["helpUri"] = uri
    rubric = r.rubric if r else first.rubric
    tags = [rubric] + ([r.section] if r and r.section else []) + ["ml"]
    properties: dict = {"problem.severity": PROBLEM_SEVERITY[level]}
    if is_security(r):
        tags.append("security")  # GitHub reads security-severity for rules tagged `security`
        properties["security-severity"] = SECURITY_SEVERITY[severity]
    properties["tags"] = list(dict.fromkeys(tags))  # unique, as the schema requires
    rule["properties"] = properties
    return rule


def _help_text(r: CheckResult | None, title: str, uri: str | None) -> str:
    parts = [title]
    if r is not None and r.rationale:
        parts.append(f"Why it matters: {r.rationale}")
    if r is not None and r.remediation:
        parts.append(f"How to fix it: {r.remediation}")
    if r is not None and r.sources:
        parts.append("Sources:\n" + "\n".join(f"- {s.title}, {s.section}: {s.url}" for s in r.sources))
    if uri:
        parts.append(f"Reference: {uri}")
    return "\n\n".join(parts)


def _help_markdown(r: CheckResult | None, title: str, uri: str | None) -> str:
    parts = [f"**{md(title)}**"]
    if r is not None and r.rationale:
        parts.append(f"**Why it matters.** {md(r.rationale)}")
    if r is not None and r.remediation:
        parts.append(f"**How to fix it.** {md(r.remediation)}")
    if r is not None and r.sources:
        lines = []
        for s in r.sources:
            cite = _link(s.title, s.url) if _LINKABLE.match(s.url) else f"{md_text(s.title)} \\({md_text(s.url)}\\)"
            lines.append(f"- {cite}, {md(s.section)}")
        parts.append("**Sources.**\n\n" + "\n".join(lines))
    if uri:
        parts.append(_link("Check reference", uri))
    return "\n\n".join(parts)


def _link(text: str, url: str) -> str:
    return f"[{md_text(text)}](<{url}>)"


def _cut(text: str, limit: int = LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# ----------------------------------------------------------------------------------- results

def message(f: Finding) -> str:
    """The finding's message, with what its location cannot show: the notebook cell, or that it is repository-wide."""
    text = f.message.strip() or f.title
    if not f.located:
        what = "the repository's history" if f.history else "the repository as a whole"
        return f"{text} (This concerns {what}; it is shown on {f.path} because code scanning needs a file.)"
    if f.cell is not None:
        where = f"cell {f.cell}" + (f", line {f.line}" if f.line else "")
        code = f": {f.excerpt}" if f.excerpt else ""
        return f"{text} (notebook {where}{code})"
    return text


def _plain(text: str) -> str:
    """SARIF plain text reads `[text](target)` as a link to a location: escape brackets where they would form one."""
    return re.sub(r"([\[\]])", r"\\\1", text) if re.search(r"\]\s*\(", text) else text


def artifact_uri(path: str, prefix: str) -> str:
    """The path relative to the git repository's top level, as a URI reference (RFC 3986)."""
    return quote(repo_path(path, prefix), safe="/")


def _physical(path: str, prefix: str, line: int | None) -> dict:
    loc: dict = {"artifactLocation": {"uri": artifact_uri(path, prefix), "uriBaseId": SRCROOT}}
    if line is not None:
        loc["region"] = {"startLine": line}
    return loc


def _result(f: Finding, rule_index: int, rule: dict, prefix: str) -> dict:
    if f.status in (Status.fail, Status.error):
        level = rule["defaultConfiguration"]["level"]
    else:
        level = "note"  # partial: the check is half met; never more than a note
    physical = _physical(f.path, prefix, start_line(f))
    if f.excerpt and f.located and f.cell is None and f.line:
        physical["region"]["snippet"] = {"text": f.excerpt}
    return {
        "ruleId": f.check,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": _plain(message(f))},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint, GITHUB_FINGERPRINT_KEY: f.fingerprint},
        "properties": {"status": f.status.value, "severity": f.severity.value},
    }


def _notifications(warnings: list[WarningOut], prefix: str) -> list[dict]:
    out = []
    for w in sorted(warnings, key=lambda w: (w.path, w.line or 0, -1 if w.cell is None else w.cell, w.message)):
        text = w.message.strip() or "warning"
        note: dict = {"level": "warning"}
        if w.path and not w.path.startswith("("):  # "(probe)": a probe's failure, not a file's
            if w.cell is not None:
                text += f" (notebook cell {w.cell}" + (f", line {w.line})" if w.line else ")")
            line = w.line if w.line and w.cell is None else None
            note["locations"] = [{"physicalLocation": _physical(w.path, prefix, line and max(1, line))}]
        note["message"] = {"text": _plain(text)}
        out.append(note)
    return out


# -------------------------------------------------------------------------------------- run

def _category(prefix: str) -> str:
    return "/".join(p for p in prefix.split("/") if p) + "/" if prefix.strip("/") else ""


def _srcroot(path: str, prefix: str) -> str | None:
    """The git repository's top level as a file URI ending in `/`: the scanned folder less its prefix."""
    folder = PurePosixPath(path)
    if not folder.is_absolute() or "\\" in path:
        return None
    parts = [p for p in prefix.split("/") if p]
    if parts:
        if list(folder.parts[-len(parts):]) != parts or len(folder.parts) <= len(parts):
            return None
        folder = PurePosixPath(*folder.parts[:-len(parts)])
    uri = folder.as_uri()
    return uri if uri.endswith("/") else uri + "/"
