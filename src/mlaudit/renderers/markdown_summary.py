"""A compact Markdown summary of a scan, for `$GITHUB_STEP_SUMMARY` and pull-request comments.

It is rendered from the same ScanResult as the HTML report, with the same sentences (advice_text)
and the same order (ordering): a table of the rubrics, the ML Test Score's grid of points, the
failing and partial checks worst first with their evidence, and what is left out.

Everything from the audited repository (paths, messages, excerpts, a team's rubric and section
titles, the project and branch names, commit subjects) is untrusted. Prose is escaped with every
ASCII punctuation character backslash-escaped, so it cannot open markup, links, images, HTML or a
table cell; GitHub's references (`@team`, `#12`, bare URLs) are broken with a zero-width joiner,
which escaping does not stop; code (excerpts, locations) goes into code spans, whose content is
never Markdown. The only links are mlaudit's own: the forge's page at the scanned commit (from the
Linker, never a relative link, which would be useless in a comment) and the check reference.

GitHub caps a comment at 65,536 characters; the summary stays under LIMIT bytes and says how many
findings it left to the HTML report.
"""

from __future__ import annotations

import re
from pathlib import Path

from mlaudit.checks.schema import Status
from mlaudit.renderers.advice_text import lead, minimum_text, num, score_text, short_id, step_detail
from mlaudit.renderers.check_docs import DOCS_URL, doc_link
from mlaudit.renderers.links import Linker
from mlaudit.renderers.markdown_text import code_span, md, md_text
from mlaudit.renderers.ordering import PROBLEM, headline_first, location, worst_first
from mlaudit.renderers.terminal import safe
from mlaudit.result import CheckResult, FindingEvidence, RubricScore, ScanResult

LIMIT = 20_000  # bytes of UTF-8: well under GitHub's 65,536-character comment limit
EVIDENCE_SHOWN = 3  # evidence locations per check
MAX_URL = 1_000  # a longer link (a very long path, percent-encoded) is shown as a plain code span

# Bidirectional controls reorder the text around them as displayed: shown escaped, as control characters are.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What GitHub links or notifies even when escaped: mentions and emails (`@x`), issue references (`#12`),
# bare URLs (`x://`, `www.`). A zero-width joiner after the trigger breaks each; the text reads the same.
_REFERENCE = re.compile(r"(?<=@)(?=\w)|(?<=#)(?=\d)|(?<=:)(?=//)|(?i:(?<=www)(?=\.))")
_ZWJ = "\u200d"


def _clip(text: object, limit: int) -> str:
    text = _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", safe(text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text(value: object, limit: int = 300) -> str:
    """Untrusted text as Markdown that shows it literally: no markup, links, mentions or cell breaks."""
    return md_text(_REFERENCE.sub(_ZWJ, _clip(value, limit)))


def prose(value: object, limit: int = 300) -> str:
    """Like text(), but `backticks` stay code spans (rubric messages and titles use them for code)."""
    return md(_REFERENCE.sub(_ZWJ, _clip(value, limit)))


def code(value: object, limit: int = 200) -> str:
    """A code span holding `value` whatever it contains. Not for table cells: a pipe would end the cell."""
    return code_span(_clip(value, limit))


def _link(label: str, url: str | None) -> str:
    """`label` (already Markdown) linked to `url` when it is a web page; relative links mean nothing in a comment."""
    if url and url.startswith(("https://", "http://")) and len(url) <= MAX_URL and not re.search(r"[\s<>]", url):
        return f"[{label}](<{url}>)"
    return label


def _bytes(s: str) -> int:
    return len(s.encode("utf-8"))


class _Summary:
    def __init__(self, result: ScanResult):
        self.result = result
        t = result.target
        self.linker = Linker(t.remote_url, t.commit, t.prefix, t.path, Path(t.path), frozenset(t.changed))
        self.builtin = {r.id for r in result.rubrics if r.origin == "built-in"}

    def check_ref(self, check: str, label: str | None = None) -> str:
        """The check id as code, linked to its entry in the check reference when it is a built-in check."""
        span = code(label or check)
        rubric = check.split("/", 1)[0]
        return _link(span, doc_link(check, DOCS_URL)) if rubric in self.builtin else span

    def relative(self, path: str) -> str:
        """A team's rubric file as the team knows it, not as the CI runner's absolute path."""
        try:
            return Path(path).relative_to(self.result.target.path).as_posix()
        except ValueError:
            return path

    def heading(self) -> list[str]:
        t = self.result.target
        head = f"## mlaudit {self.result.tool.version}: {text(t.name, 100)}"
        if t.commit:
            head += " at " + _link(code(t.commit[:10]), self.linker.href(None, commit=t.commit))
            head += f" ({text(t.branch, 100)})" if t.branch else " (detached HEAD)"
        return [head, ""]

    def steps(self, score: RubricScore) -> str:
        """advice_text's raise_text, each step linked to its check."""
        if not score.next_steps:
            return ""
        steps = "; ".join(f"{self.check_ref(s.check, short_id(s))} {text('(' + step_detail(score, s) + ')')}"
                          for s in score.next_steps)
        return f"{text(lead(score))}: {steps}."

    def table(self, scores: list[RubricScore]) -> list[str]:
        rows = ["| rubric | score | fail | partial | not observable | what sets it, what would raise it |",
                "|---|---|--:|--:|--:|---|"]
        for r in scores:
            score = f"**{score_text(r)}**" + (f" {text(r.band, 200)}" if r.band else "")
            origin = "" if r.origin == "built-in" else f", from {text(self.relative(r.origin), 100)}"
            advice = [text(minimum_text(r), 400)] if r.scoring == "ml-test-score" else []
            advice += [self.steps(r)] if r.next_steps else []
            counts = [str(r.counts.get(s, 0)) for s in ("fail", "partial", "not_observable")]
            rows.append(f"| {text(r.title, 120)} ({code(r.id)}{origin}) | {score} | {' | '.join(counts)} | "
                        f"{' '.join(advice)} |")
        return rows + [""]

    def grid(self, score: RubricScore) -> list[str]:
        """Points per test, one row per section in the rubric's order, tests by number (as the HTML grid)."""
        mine = [r for r in self.result.results if r.rubric == score.id]
        cells = [(s, [r for r in mine if r.section == s.id]) for s in score.sections]
        width = max((len(c) for _, c in cells), default=0)
        if not width:
            return []
        rows = [f"| {text(score.title, 80)} | " + " | ".join(str(i) for i in range(1, width + 1)) + " | sum |",
                "|---|" + "--:|" * width + "--:|"]
        for section, results in cells:
            points = [_cell(r) for r in results] + [""] * (width - len(results))
            total = num(section.score)
            if section.id in score.minimum_sections:
                total = f"**{total}** (min)"
            rows.append(f"| {text(section.title, 80)} | " + " | ".join(points) + f" | {total} |")
        return rows + ["", "Points per test: 1 automated, 0.5 documented, 0 not run, absent or failing; `0*` not "
                           "observable, `a` attested by the team, `s` suppressed (left out of the score). "
                           "(min): the section(s) setting the score.", ""]

    def trend(self) -> list[str]:
        """What moved since the last earlier scan in the trend, in one line."""
        if not self.result.trend:
            return []
        then = self.result.trend[-1]
        moves = [f"{text(r.title, 80)} {num(then.scores.get(r.id))} → {num(r.score)}"
                 for r in headline_first(self.result.rubrics) if r.id in then.scores and then.scores[r.id] != r.score]
        since = (f"Since {_link(code(then.commit[:10]), self.linker.href(None, commit=then.commit))} "
                 f"({text(then.date[:10], 10)}, {text(then.subject, 80)})")
        return [f"{since}: " + ("; ".join(moves) if moves else "no score moved") + ".", ""]

    def evidence(self, e: FindingEvidence) -> str:
        where = _link(code(location(e)), self.linker.to(e))
        if e.excerpt and e.excerpt.strip():
            return f"{where} {code(e.excerpt, 160)}"
        return f"{where} {prose(e.message, 160)}"

    def finding(self, r: CheckResult) -> str:
        line = f"- **{r.status.value}** {self.check_ref(r.check)} {prose(r.title, 200)} ({r.severity.value})"
        shown = [e for e in r.evidence if e.suppression is None]
        if not shown:  # an absence has no place to point at: say what is missing
            return f"{line}\n  - {prose(r.message, 240)}"
        items = [f"  - {self.evidence(e)}" for e in shown[:EVIDENCE_SHOWN]]
        if len(shown) > EVIDENCE_SHOWN:
            items.append(f"  - … and {len(shown) - EVIDENCE_SHOWN} more")
        return "\n".join([line, *items])

    def change(self, verdict, top: int = 20) -> list[str]:
        """A CI run's verdict: the gates, and what the change added and fixed against its baseline."""
        if verdict is None or (verdict.delta is None and not verdict.gate.failed):
            return []
        gate = verdict.gate
        out = ["**Gate failed:** " + "; ".join(prose(r, 200) for r in gate.reasons) + "." if gate.failed
               else "Every gate passed.", ""]
        d = verdict.delta
        if d is None:
            return out
        out = [f"### This change, against {code(d.source, 60)}: {len(d.new)} new, {len(d.fixed)} fixed, "
               f"{len(d.unchanged)} unchanged", ""] + out
        for title, items in (("New", d.new), ("Fixed", d.fixed)):
            if not items:
                continue
            out.append(f"{title}:")
            for f in items[:top]:
                where = _link(code(f.where), self.linker.to(f)) if f.located else "the repository"
                detail = code(f.excerpt, 160) if f.excerpt else prose(f.message, 160)
                out.append(f"- **{f.status.value}** {self.check_ref(f.check)} {where} {detail}")
            if len(items) > top:
                out.append(f"- … and {len(items) - top} more in the HTML report")
            out.append("")
        return out

    def counts(self) -> str:
        res = self.result
        rubrics = res.rubrics
        line = (f"Not listed: {sum(r.suppressed for r in rubrics)} suppressed, {sum(r.attested for r in rubrics)} "
                f"attested and {sum(r.counts.get('not_observable', 0) for r in rubrics)} not observable checks "
                f"(scored 0). {len(res.warnings)} warning(s) (files not fully read)")
        flagged = sum(1 for r in res.results if r.attestation and r.attestation.problems)
        if flagged:
            line += f", {flagged} attestation(s) that do not count"
        if res.unused_suppressions:
            line += f", {len(res.unused_suppressions)} unused suppression(s)"
        return line + "."


def _cell(r: CheckResult) -> str:
    mark = ("s" if r.suppressed else "a" if r.basis == "attested"
            else "\\*" if r.status is Status.not_observable else "")
    return f"{r.points:g}{mark}"


def render_markdown(result: ScanResult, *, limit: int = LIMIT, verdict=None) -> str:
    """`verdict`: a CI run's gates and baseline comparison, shown first (what a reviewer asks)."""
    s = _Summary(result)
    scores = headline_first(result.rubrics)
    head = s.heading() + s.change(verdict)
    # A team may load many rubrics: rows past half the budget are left to the HTML report.
    shown_scores = []
    for r in scores:
        if shown_scores and _bytes("\n".join(s.table(shown_scores + [r]))) > limit // 2:
            break
        shown_scores.append(r)
    head += s.table(shown_scores)
    if len(shown_scores) < len(scores):
        head += [f"… {len(scores) - len(shown_scores)} more rubrics in the HTML report.", ""]
    for r in shown_scores:
        if r.scoring == "ml-test-score":
            grid = s.grid(r)
            if _bytes("\n".join(head + grid)) <= limit * 3 // 4:
                head += grid
    if result.target.shallow:
        head += ["Shallow clone: checks that read the git history say not observable. Check out full history "
                 "(`fetch-depth: 0`) to audit them.", ""]
    head += s.trend()

    tail = ["", s.counts()]
    problems = [r for r in worst_first(result.results) if r.status in PROBLEM and not r.suppressed]
    if not problems:
        return "\n".join(head + ["No failing or partial checks."] + tail).rstrip() + "\n"
    body = [f"### Failing and partial checks ({len(problems)})", ""]
    # What the list may take: the rest of the budget, less room for the line saying what is left out.
    budget = limit - _bytes("\n".join(head + body + tail)) - 100
    items: list[str] = []
    for r in problems:
        item = s.finding(r)
        if _bytes(item) + 1 > budget:
            break
        items.append(item)
        budget -= _bytes(item) + 1
    if len(items) < len(problems):
        items.append(f"- … {len(problems) - len(items)} more in the HTML report")
    return "\n".join(head + body + items + tail).rstrip() + "\n"
