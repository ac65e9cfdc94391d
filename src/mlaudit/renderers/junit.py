"""JUnit XML for CI test reports (GitLab's `artifacts:reports:junit`, Jenkins, Azure and the like):
one `<testsuite>` per rubric, one `<testcase>` per check.

- `fail` is a `<failure type="fail">` and `error` an `<error>`, each with the check's message and
  its evidence, one `path:line: message` per line;
- `partial` is a `<failure type="partial">` only when the job fails on partials (`fail_on`
  "partial"); otherwise the check passes and its message goes to `<system-out>`;
- `not_observable`, `not_applicable` and suppressed checks are `<skipped>`, with why.

The scan's duration is on `<testsuites>` only: the rubrics are scored from one shared scan, so
no rubric has a time of its own. ElementTree escapes the text; characters XML 1.0 cannot hold at
all (control characters, lone surrogates) are removed first, since a file name or a line of the
audited code may contain them.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from mlaudit.checks.schema import Status
from mlaudit.compare.findings import Finding
from mlaudit.renderers.ordering import location
from mlaudit.result import CheckResult, RubricScore, ScanResult

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SKIPPED = {Status.not_observable: "not observable", Status.not_applicable: "not applicable"}


def xml_text(text: str | None) -> str:
    """`text` without the characters XML 1.0 forbids (C0 controls other than tab and newlines, lone
    surrogates, U+FFFE and U+FFFF)."""
    return _NOT_XML.sub("", text or "")


def render_junit(result: ScanResult, findings: list[Finding], *, fail_on: str) -> str:
    mine: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        mine[f.check].append(f)
    scores = {s.id: s for s in result.rubrics}
    order = list(scores) + sorted({r.rubric for r in result.results} - set(scores))
    root = _el(None, "testsuites", name="mlaudit")
    totals = dict(tests=0, failures=0, errors=0, skipped=0)
    for rubric in order:
        suite = _el(root, "testsuite", name=rubric)
        _properties(suite, scores.get(rubric), result)
        counts = dict(tests=0, failures=0, errors=0, skipped=0)
        for r in (r for r in result.results if r.rubric == rubric):
            counts["tests"] += 1
            kind = _case(suite, r, mine.get(r.check, []), fail_on)
            if kind:
                counts[kind] += 1
        for key, n in counts.items():
            suite.set(key, str(n))
            totals[key] += n
    for key, n in totals.items():
        root.set(key, str(n))
    seconds = result.stats.get("seconds")
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and math.isfinite(seconds) and seconds >= 0:
        root.set("time", f"{seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    clean = {k: xml_text(v) for k, v in attrs.items()}
    el = ET.Element(tag, clean) if parent is None else ET.SubElement(parent, tag, clean)
    if text is not None:
        el.text = xml_text(text)
    return el


def _properties(suite: ET.Element, score: RubricScore | None, result: ScanResult) -> None:
    props: list[tuple[str, str]] = []
    if score is not None:
        props += [("title", score.title), ("version", score.version), ("scoring", score.scoring),
                  ("score", "not scored" if score.score is None else f"{score.score:g}"),
                  ("max_score", f"{score.max_score:g}")]
        if score.band:
            props.append(("band", score.band))
    if result.target.commit:
        props.append(("commit", result.target.commit))
    if props:
        el = _el(suite, "properties")
        for name, value in props:
            _el(el, "property", name=name, value=value)


def _case(suite: ET.Element, r: CheckResult, findings: list[Finding], fail_on: str) -> str | None:
    """Writes the check's testcase; returns the counter it adds to (None: passed)."""
    case = _el(suite, "testcase", classname=f"{r.rubric}.{r.section}", name=f"{r.check}: {r.title}")
    if r.suppressed:
        _el(case, "skipped", message=_suppressed(r))
        return "skipped"
    if r.status in _SKIPPED:
        _el(case, "skipped", message=f"{_SKIPPED[r.status]}: {r.message}")
        return "skipped"
    if r.status is Status.fail:
        _el(case, "failure", _details(r, findings), message=r.message, type="fail")
        return "failures"
    if r.status is Status.error:
        _el(case, "error", _details(r, findings), message=r.message, type="error")
        return "errors"
    if r.status is Status.partial and fail_on == "partial":
        _el(case, "failure", _details(r, findings), message=r.message, type="partial")
        return "failures"
    out = []
    if r.status is Status.partial:
        out.append("partial: " + _details(r, findings))
    if r.basis == "attested" and r.attestation is not None:
        a = r.attestation
        out.append(f"attested ({a.level.value}) by {a.by} on {a.date}: {a.evidence}")
    if out:
        _el(case, "system-out", "\n\n".join(out))
    return None


def _details(r: CheckResult, findings: list[Finding]) -> str:
    """The check's message, then where it shows: one `path:line: message` per line."""
    lines = []
    if findings:
        for f in sorted(findings, key=lambda f: (f.path, -1 if f.cell is None else f.cell, f.line or 0, f.fingerprint)):
            if not f.located and f.message == r.message:
                continue  # the check's own message, already the first line
            lines.append(f"{f.where}: {f.message}")
            if f.excerpt:
                lines.append(f"    {f.excerpt}")
        seen = {f.commit for f in findings if f.commit}
        history = [e for e in r.evidence if e.commit and e.suppression is None and e.commit not in seen]
    else:
        history = [e for e in r.evidence if e.suppression is None]
    for e in history:
        lines.append(f"{location(e)}: {e.message}")
        if e.excerpt:
            lines.append(f"    {e.excerpt}")
    return "\n".join([r.message] + ([""] + lines if lines else []))


def _suppressed(r: CheckResult) -> str:
    s = r.suppression or next((e.suppression for e in r.evidence if e.suppression is not None), None)
    if s is None:
        return "suppressed"
    where = s.path + (f":{s.line}" if s.line else "")
    return f"suppressed ({where}): {s.reason}"
