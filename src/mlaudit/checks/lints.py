"""Lints: what a rubric's schema cannot say. Names that must exist, ids that must be unique,
URLs that must lead somewhere, and rules that can never decide or never let a check pass.

Every problem reads `file:line: where: what (fix)`, so an author can jump straight to it.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from mlaudit.checks.decisions import reach
from mlaudit.checks.schema import Check, EvidenceClass, Rubric, Status
from mlaudit.probes.registry import ProbeSpec
from mlaudit.yamlsource import YamlDoc

EARNING = frozenset({EvidenceClass.automated, EvidenceClass.documented})
PASSING = frozenset({Status.passed, Status.partial})
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$")
_TRAILING = ".,;:)]}>'\"*"


def fmt_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def suggest(name: str, choices: list[str], otherwise: str) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f"did you mean `{close[0]}`?" if close else otherwise


PROBE_LIST = "run `mlaudit probe --list` for the probe names"


def url_problem(url: str) -> str | None:
    """Why a reference URL that matched `https?://...` still cannot be right, or None."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        return "has a user name or password in it; link the public page"
    host = (parts.hostname or "").lower()
    try:
        host = host.encode("idna").decode("ascii")  # an international domain is still a domain
    except UnicodeError:
        pass
    if not _HOST.match(host) and host != "localhost":
        return f"has no valid host name (`{parts.netloc}`); write the full address, e.g. https://doi.org/10.1000/xyz"
    # A closing bracket is part of the address when it closes one (Wikipedia's `Foo_(bar)`).
    closes = {")": "(", "]": "["}.get(url[-1])
    if url[-1] in _TRAILING and not (closes and url.count(closes) >= url.count(url[-1])):
        return f"ends with `{url[-1]}`, most likely copied with the text around it; remove it"
    return None


def url_hint(value: object) -> str:
    """The fix for a URL the schema rejected, from what was written."""
    text = str(value).strip() if value is not None else ""
    doi = re.match(r"^(?:doi:\s*)?(10\.\d{4,}/\S+)$", text, re.IGNORECASE)
    if doi:
        return f"write a DOI as a link: https://doi.org/{doi.group(1)}"
    if re.match(r"^arxiv:\s*\d{4}\.\d{4,5}", text, re.IGNORECASE):
        return f"write an arXiv id as a link: https://arxiv.org/abs/{text.split(':', 1)[1].strip()}"
    if text.startswith("www.") or re.match(r"^[\w-]+(\.[\w-]+)+/", text):
        return f"add the scheme: https://{text}"
    if re.match(r"^\[.*\]\(.*\)$", text):
        return "give the bare URL, not a Markdown link"
    if re.search(r"\s", text):
        return "a URL has no spaces; percent-encode them (%20) or remove them"
    return "give a full http(s) URL"


def duplicate_keys(text: str) -> list[tuple[int, tuple, int]]:
    """(line, location, line of the first) for every key a mapping repeats. YAML keeps only the
    last, so a repeated `rules:` or reference id silently drops what came first."""
    try:  # libyaml when present: this second, structure-only pass then costs a few milliseconds
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []  # the loader reports syntax errors
    found: list[tuple[int, tuple, int]] = []
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node, loc = stack.pop()
        if id(node) in seen_nodes:  # aliases point at the same node again
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                    continue
                line = key.start_mark.line + 1
                if key.value in first:
                    found.append((line, loc + (key.value,), first[key.value]))
                first.setdefault(key.value, line)
                stack.append((value, loc + (key.value,)))
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, loc + (i,)) for i, child in enumerate(node.value)]
    return sorted(found)


def lint(rubric: Rubric, path: Path, doc: YamlDoc, probes: dict[str, ProbeSpec]) -> list[str]:
    """Problems pydantic cannot see: names that must exist, rules that can never fire."""
    problems: list[str] = []

    def at(loc: tuple, message: str) -> None:
        problems.append(f"{path}:{doc.line_of(loc) or 1}: {fmt_loc(loc)}: {message}")

    for key, ref in rubric.references.items():
        why = url_problem(ref.url)
        if why:
            at(("references", key, "url"), f"the URL {why}")
    sections: dict[str, int] = {}
    for k, section in enumerate(rubric.sections):
        if section.id in sections:
            at(("sections", k, "id"), f"duplicate section id `{section.id}` (first at sections[{sections[section.id]}]); "
               "give each section its own id")
        sections.setdefault(section.id, k)
    seen: dict[str, int] = {}
    for i, check in enumerate(rubric.checks):
        base = ("checks", i)
        if check.id in seen:
            at(base + ("id",), f"duplicate check id `{check.id}` (first at checks[{seen[check.id]}])")
        seen.setdefault(check.id, i)
        if check.section not in sections:
            at(base + ("section",), f"unknown section `{check.section}`; sections are {sorted(sections)}")
        _lint_sources(rubric, check, base, at)
        used = _lint_probes(check, base, probes, at)
        _lint_rules(rubric, check, base, probes, used, at)
    for k, band in enumerate(rubric.bands):
        if band.gt is None and band.le is None and len(rubric.bands) > 1:
            at(("bands", k), "a band needs `gt`, `le` or both")
    return problems


def _lint_sources(rubric: Rubric, check: Check, base: tuple, at) -> None:
    for j, src in enumerate(check.sources):
        if src.ref not in rubric.references:
            at(base + ("sources", j, "ref"), f"unknown reference `{src.ref}`; "
               + suggest(src.ref, list(rubric.references), "add it under `references:`"))
        if not src.section.strip():
            at(base + ("sources", j, "section"), "empty source section; say where in the reference the check "
               "comes from, e.g. `section: \"Table 1, Data 3\"`")


def _lint_probes(check: Check, base: tuple, probes: dict[str, ProbeSpec], at) -> dict[str, ProbeSpec]:
    used: dict[str, ProbeSpec] = {}
    listed: dict[str, int] = {}
    for j, use in enumerate(check.probe_uses()):
        if use.id in listed:
            # evaluate keys results by probe id, so the second use would silently replace the first
            at(base + ("probes", j), f"probe `{use.id}` is listed twice (first at probes[{listed[use.id]}]); "
               "a check reads each probe once")
        listed.setdefault(use.id, j)
        spec = probes.get(use.id)
        if spec is None:
            at(base + ("probes", j), f"unknown probe `{use.id}`; {suggest(use.id, sorted(probes), PROBE_LIST)}")
            continue
        used[use.id] = spec
        for param in use.params:
            if param not in spec.params:
                at(base + ("probes", j, "params", param),
                   f"probe `{use.id}` takes no parameter `{param}`; it takes {sorted(spec.params) or 'none'}")
    return used


def _lint_rules(rubric: Rubric, check: Check, base: tuple, probes: dict[str, ProbeSpec],
                used: dict[str, ProbeSpec], at) -> None:
    typos = len(used) < len({u.id for u in check.probe_uses()})  # an unknown name in `probes:` was reported
    hopeless: set[int] = set()  # rules already reported as impossible, not to be reported twice
    for j, rule in enumerate(check.rules):
        for probe_id, wanted in rule.wanted().items():
            loc = base + ("rules", j, "when", probe_id)
            if probe_id not in probes:
                at(loc, f"unknown probe `{probe_id}`; {suggest(probe_id, sorted(probes), PROBE_LIST)}")
                hopeless.add(j)
                continue
            if probe_id not in used:
                if not typos:
                    at(loc, f"probe `{probe_id}` is not listed in this check's `probes`; add it there")
                hopeless.add(j)
                continue
            impossible = wanted - used[probe_id].outcomes
            if impossible == wanted:
                at(loc, f"probe `{probe_id}` never answers {sorted(o.value for o in impossible)}; "
                   f"it answers {sorted(o.value for o in used[probe_id].outcomes)}")
                hopeless.add(j)
        for probe_id in rule.evidence or []:
            if probe_id not in used:
                at(base + ("rules", j, "evidence"), f"evidence from `{probe_id}`, which this check does not use")
    if not check.probes and check.otherwise.status not in (Status.not_observable, Status.not_applicable):
        at(base + ("otherwise", "status"), "a check with no probes can only be `not_observable` "
           "(or `not_applicable`); without evidence mlaudit must not score it")
    if rubric.scoring == "ml-test-score":
        _lint_points(check, base, at)
    if hopeless or typos:
        return
    r = reach(check, probes)
    if r is None:
        return
    for j in range(len(check.rules)):
        if j not in r.deciding_rules:
            earlier = ", ".join(f"rules[{k}]" for k in sorted(r.taken_by.get(j, ())))
            at(base + ("rules", j), "this rule can never decide: every combination of outcomes it matches is "
               f"decided first by {earlier or 'an earlier rule'} (move it above them, or narrow them)")
    if check.probes and Status.fail in r.statuses and not (r.statuses & PASSING):
        at(base + ("rules",) if check.rules else base + ("otherwise", "status"),
           f"check `{check.id}` can fail but can never pass: no combination of its probes' outcomes reaches "
           "a `pass` or `partial` rule (add a rule that passes when the practice is in place; if a scan cannot "
           "see that, make the case `not_observable` and say in `attest:` what a team can show)")


def _lint_points(check: Check, base: tuple, at) -> None:
    outcomes = [(("rules", j), r) for j, r in enumerate(check.rules)] + [(("otherwise",), check.otherwise)]
    for where, rule in outcomes:
        if rule.status in PASSING and rule.evidence_class is None:
            at(base + where + ("status",), "in an ML Test Score rubric a passing status needs "
               "`evidence_class` (automated = 1 point, documented = 0.5)")
        elif rule.status is Status.passed and rule.evidence_class not in EARNING:
            at(base + where + ("evidence_class",), f"a `pass` that is `{rule.evidence_class.value}` earns no point; "
               "a pass is `automated` (1 point) or `documented` (0.5), and what exists but does not run is "
               "`partial` with `implemented`")
        if rule.status not in PASSING and rule.evidence_class in EARNING:
            at(base + where + ("evidence_class",), f"`{rule.status.value}` cannot be "
               f"`{rule.evidence_class.value}`: only pass or partial earn points")
