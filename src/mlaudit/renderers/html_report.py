"""The self-contained HTML report.

Everything from the audited repository reaches the page through Jinja's autoescaping; the
page's own script and style are allowed by hash in a Content-Security-Policy that forbids every
other script, style and network request, so even a missed escape could not run code.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from mlaudit.checks.schema import Severity, Status
from mlaudit.renderers.advice_text import direction, lead, minimum_text, moved, num, short_id, step_detail
from mlaudit.renderers.check_docs import anchor
from mlaudit.renderers.links import Linker
from mlaudit.renderers.ordering import headline_first, location, worst_first
from mlaudit.renderers.team import attestation_problem
from mlaudit.resources import templates_dir
from mlaudit.renderers.trend import trend_charts
from mlaudit.result import RubricScore, ScanResult

_BACKTICKS = re.compile(r"`([^`<>]+)`")
_WEB = re.compile(r"^https?://[^\s\"'<>`]+$")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _inline_code(text: str) -> Markup:
    """`backticks` in rubric prose become <code>; the text is escaped first, so nothing else can."""
    return Markup(_BACKTICKS.sub(r"<code>\1</code>", str(escape(text))))


def _raise_links(score: RubricScore) -> Markup:
    """What would raise the score, each step linked to its check."""
    if not score.next_steps:
        return Markup("")
    steps = Markup("; ").join(Markup('<a href="#{}">{}</a> ({})').format(anchor(s.check), short_id(s), step_detail(score, s))
                              for s in score.next_steps)
    return Markup("{}: {}.").format(lead(score), steps)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates_dir())),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["location"] = location
    env.filters["code"] = _inline_code
    env.filters["num"] = num
    env.filters["anchor"] = anchor
    return env


class _Places:
    """Links to where the team wrote something: a config line, a source comment, an evidence path.
    Only http(s) URLs are ever linked as given; anything else is a repository path, linked
    through the Linker (which encodes it) or, outside the repository, shown as text."""

    def __init__(self, linker: Linker):
        self._linker = linker

    def place(self, x) -> Markup:
        cell = getattr(x, "cell", None)
        text = f"{x.path} cell {cell}, line {x.line}" if cell is not None else (f"{x.path}:{x.line}" if x.line else x.path)
        link = self.link(x)
        code = Markup("<code>{}</code>").format(text)
        return Markup('<a href="{}">{}</a>').format(link, code) if link else code

    def link(self, x) -> str | None:
        return self._linker.to(x)

    def evidence(self, evidence: str) -> str | None:
        if _WEB.match(evidence):
            return evidence
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", evidence):
            return None  # another scheme (javascript:, data:, file:): never a link
        return self._linker.href(evidence.split("#", 1)[0].removeprefix("./").rstrip("/"))


def render_html(result: ScanResult, report_path: Path, verdict=None, retro=None) -> str:
    """The report; `verdict` (a CI run's gates and baseline comparison) adds what the change did,
    `retro` (`mlaudit compare`) what changed since an earlier commit."""
    env = _environment()
    script = (templates_dir() / "report.js").read_text(encoding="utf-8")
    style = (templates_dir() / "report.css").read_text(encoding="utf-8")
    t = result.target
    linker = Linker(t.remote_url, t.commit, t.prefix, t.path, report_path.resolve().parent, frozenset(t.changed))

    places = _Places(linker)

    rubrics = []
    for score in headline_first(result.rubrics):
        mine = [r for r in result.results if r.rubric == score.id]
        counted = [r for r in mine if not r.suppressed]
        attested = [r for r in counted if r.basis == "attested"]
        shown = [r for r in counted if r.status not in (Status.not_observable, Status.not_applicable)
                 and r.basis != "attested"]
        sections = []
        for s in score.sections:
            in_section = worst_first([r for r in shown if r.section == s.id])
            if in_section:
                sections.append((s, in_section))
        # The grid follows the rubric file's order: sections as listed, tests by number.
        grid = ([(sec, [r for r in mine if r.section == sec.id]) for sec in score.sections]
                if score.scoring == "ml-test-score" else None)
        rubrics.append({"score": score, "sections": sections, "grid": grid,
                        "unseen": [r for r in counted if r.status is Status.not_observable and r.basis != "attested"],
                        "attested": worst_first(attested),
                        "not_applicable": [r for r in counted if r.status is Status.not_applicable],
                        "suppressed": worst_first([r for r in mine if r.suppressed])})
    flagged = [r for r in result.results if r.attestation and r.attestation.problems]

    return env.get_template("report.html.j2").render(
        result=result, rubrics=rubrics, href=linker.href, script=script, style=style, flagged=flagged,
        place=places.place, evidence_href=places.evidence, link=places.link, problem=attestation_problem,
        raise_text=_raise_links, minimum_text=minimum_text, charts=trend_charts(result),
        severities=[s.value for s in reversed(Severity)], verdict=verdict, retro=retro, move=moved, move_class=direction,
        csp=f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(style)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'",
    )
