"""Rubric validation: every problem is reported as `FILE:LINE: where: what (hint)` with exit code 2.

Each case writes a small rubric to tmp_path, then checks both `mlaudit validate FILE` and
`load_rubric_file` directly. Expected line numbers are computed from the YAML text itself,
so a test cannot pass by pointing at the wrong line.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from mlaudit.checks.loader import LoadedRubric, load_rubric_file
from mlaudit.errors import ConfigError

# A small, valid percentage rubric with one probe-backed check.
VALID = """\
id: my-rubric
title: My rubric
version: "1"
scoring: percentage
description: A rubric for tests.
references:
  paper:
    title: A paper
    url: https://example.com/paper
sections:
  - id: data
    title: Data
checks:
  - id: data-1
    section: data
    title: Seeds are set.
    severity: high
    rationale: Training should be reproducible.
    remediation: Set the seeds.
    sources:
      - ref: paper
        section: "1"
    probes: [seeds.set]
    rules:
      - when: {seeds.set: true}
        status: pass
        message: Seeds are set.
    otherwise:
      status: fail
      message: No seeds.
"""

CHECK = VALID[VALID.index("  - id: data-1"):]

# A check the scan cannot observe: no probes, so it may only ever be not_observable.
UNOBSERVABLE = VALID.replace(
    "    probes: [seeds.set]\n    rules:\n      - when: {seeds.set: true}\n        status: pass\n"
    "        message: Seeds are set.\n", "").replace("      status: fail\n", "      status: not_observable\n")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the `occurrence`-th line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not in the rubric text"
    return hits[occurrence - 1]


def swap(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} not in the rubric text"
    return text.replace(old, new, 1)


# (id, rubric text, the marker whose line the error must name, substrings the message must contain)
CASES = [
    pytest.param(
        swap(VALID, "    severity: high\n", "    severty: high\n"), "severty:",
        ["checks[0].severty", "unknown key `severty`", "fix its spelling"], id="unknown-key"),
    pytest.param(
        swap(VALID, "severity: high", "severity: urgent"), "severity: urgent",
        ["checks[0].severity", "Input should be", "'critical'"], id="bad-enum"),
    pytest.param(
        # a missing key has no line of its own: the error points at the check that lacks it
        swap(VALID, "    rationale: Training should be reproducible.\n", ""), "- id: data-1",
        ["checks[0].rationale", "Field required", "add `rationale:`"], id="missing-rationale"),
    pytest.param(
        swap(VALID, "id: data-1", "id: Data_1"), "id: Data_1",
        ["checks[0].id", "lower-case words joined by hyphens"], id="invalid-check-id"),
    pytest.param(
        swap(VALID, "    title: Seeds are set.\n", "    title: Seeds: are set\n"), "title: Seeds: are set",
        ["invalid YAML", "mapping values are not allowed here", "fix the YAML syntax"], id="yaml-syntax"),
    pytest.param(
        swap(VALID, "probes: [seeds.set]", "probes: [seeds.sett]"), "probes: [seeds.sett]",
        ["checks[0].probes[0]", "unknown probe `seeds.sett`", "did you mean `seeds.set`?"], id="unknown-probe"),
    pytest.param(
        swap(VALID, "when: {seeds.set: true}", "when: {seeds.set: true, tests.present: true}"),
        "when: {seeds.set: true, tests.present: true}",
        ["checks[0].rules[0].when.tests.present", "`tests.present` is not listed in this check's `probes`"],
        id="when-probe-not-listed"),
    pytest.param(
        swap(swap(VALID, "probes: [seeds.set]", "probes: [seeds.set, tests.present]"),
             "when: {seeds.set: true}", "when: {tests.present: not_applicable}"),
        "when: {tests.present: not_applicable}",
        ["checks[0].rules[0].when.tests.present", "never answers ['not_applicable']",
         "it answers ['error', 'false', 'true']"], id="impossible-outcome"),
    pytest.param(
        VALID + CHECK, ("- id: data-1", 2),
        ["checks[1].id", "duplicate check id `data-1`", "first at checks[0]"], id="duplicate-check-id"),
    pytest.param(
        swap(VALID, "- ref: paper", "- ref: papr"), "- ref: papr",
        ["checks[0].sources[0].ref", "unknown reference `papr`", "did you mean `paper`?"], id="unknown-source-ref"),
    pytest.param(
        swap(UNOBSERVABLE, "      status: not_observable\n", "      status: pass\n"), ("status: pass", 1),
        ["checks[0].otherwise.status", "can only be `not_observable`", "must not score it"],
        id="no-probes-otherwise-pass"),
    pytest.param(
        swap(VALID, "scoring: percentage", "scoring: ml-test-score"), "status: pass",
        ["checks[0].rules[0].status", "passing status needs `evidence_class`", "automated = 1 point"],
        id="ml-test-score-pass-without-evidence-class"),
    # -- lints for rubric authors ---------------------------------------------------------
    pytest.param(
        swap(VALID, "    sources:\n      - ref: paper\n        section: \"1\"\n", "    sources: []\n"), "sources: []",
        ["checks[0].sources", "at least 1 item", "cite at least one reference"], id="missing-sources"),
    pytest.param(
        swap(VALID, '        section: "1"\n', '        section: " "\n'), 'section: " "',
        ["checks[0].sources[0].section", "empty source section", "say where in the reference"],
        id="empty-source-section"),
    pytest.param(
        swap(VALID, "url: https://example.com/paper", "url: https://examplecom/paper"), "url: https://examplecom",
        ["references.paper.url", "no valid host name (`examplecom`)"], id="url-without-host"),
    pytest.param(
        swap(VALID, "url: https://example.com/paper", "url: https://example.com/paper)."), "url: https://example.com",
        ["references.paper.url", "ends with `.`", "copied with the text around it"], id="url-trailing-punctuation"),
    pytest.param(
        swap(VALID, "url: https://example.com/paper", "url: https://me:secret@example.com/paper"), "url: https://me",
        ["references.paper.url", "user name or password"], id="url-with-credentials"),
    pytest.param(
        swap(VALID, "url: https://example.com/paper", "url: doi:10.1109/BigData.2017.8258038"), "url: doi:",
        ["references.paper.url", "https://doi.org/10.1109/BigData.2017.8258038"], id="url-doi-not-a-link"),
    pytest.param(
        swap(VALID, "url: https://example.com/paper", "url: www.example.com/paper"), "url: www.",
        ["references.paper.url", "add the scheme: https://www.example.com/paper"], id="url-without-scheme"),
    pytest.param(
        swap(VALID, "  - id: data\n    title: Data\n", "  - id: data\n    title: Data\n  - id: data\n    title: Again\n"),
        ("- id: data", 2), ["sections[1].id", "duplicate section id `data`", "first at sections[0]"],
        id="duplicate-section-id"),
    pytest.param(
        swap(VALID, "probes: [seeds.set]", "probes: [seeds.set, seeds.set]"), "probes: [seeds.set, seeds.set]",
        ["checks[0].probes[1]", "`seeds.set` is listed twice"], id="probe-listed-twice"),
    pytest.param(
        swap(VALID, "    remediation: Set the seeds.\n", "    remediation: Set the seeds.\n    remediation: Again.\n"),
        "remediation: Again.", ["checks[0].remediation: duplicate key `remediation`", "YAML keeps only the last"], id="duplicate-yaml-key"),
    pytest.param(
        swap(VALID, "      - when: {seeds.set: true}\n", "      - when: {seeds.set: [true, false]}\n        status: fail\n"
             "        message: Seeds or not.\n      - when: {seeds.set: true}\n"),
        ("- when: {seeds.set: true}", 1), ["checks[0].rules[1]", "can never decide", "decided first by rules[0]"],
        id="shadowed-rule"),
    pytest.param(
        swap(VALID, "        status: pass\n        message: Seeds are set.\n",
             "        status: fail\n        message: Seeds are set, still failing.\n"),
        "    rules:", ["checks[0].rules", "check `data-1` can fail but can never pass", "add a rule that passes"],
        id="can-never-pass"),
    pytest.param(
        swap(swap(swap(VALID, "scoring: percentage", "scoring: ml-test-score"),
                  "        status: pass\n", "        status: pass\n        evidence_class: implemented\n"),
             "      status: fail\n", "      status: fail\n      evidence_class: absent\n"),
        "evidence_class: implemented", ["checks[0].rules[0].evidence_class", "a `pass` that is `implemented` earns no point",
                                        "`partial` with `implemented`"], id="ml-test-score-pass-earning-nothing"),
]


def _expected_line(text: str, marker) -> int:
    needle, occurrence = marker if isinstance(marker, tuple) else (marker, 1)
    return line_of(text, needle, occurrence)


@pytest.mark.parametrize(("text", "marker", "fragments"), CASES)
def test_validate_names_file_line_and_hint(cli, tmp_path, text, marker, fragments):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    line = _expected_line(text, marker)

    code, out, err = cli("validate", str(path))

    assert code == 2
    assert "ok" not in out
    problem = next((ln for ln in err.splitlines() if ln.startswith(f"error: {path}:{line}: ")), None)
    assert problem is not None, f"no error at {path}:{line} in:\n{err}"
    for fragment in fragments:
        assert fragment in problem, f"{fragment!r} missing from {problem!r}"


@pytest.mark.parametrize(("text", "marker", "fragments"), CASES)
def test_load_rubric_file_raises_with_file_line_and_hint(tmp_path, text, marker, fragments):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    line = _expected_line(text, marker)

    with pytest.raises(ConfigError) as info:
        load_rubric_file(path)

    at_line = [p for p in info.value.problems if p.startswith(f"{path}:{line}: ")]
    assert at_line, info.value.problems
    assert all(fragment in at_line[0] for fragment in fragments), at_line[0]


def test_yaml_syntax_error_in_a_flow_list_points_at_the_parser_line(tmp_path):
    # An unclosed `[` is only detected where the parser runs into the next key: that is the line reported.
    text = swap(VALID, "    title: Seeds are set.\n", "    title: [Seeds are set.\n")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rubric_file(path)
    assert info.value.problems == [
        f"{path}:{line_of(text, 'severity: high')}: invalid YAML: expected ',' or ']', but got ':' "
        "(fix the YAML syntax at that line)"]


def test_every_problem_in_a_file_is_reported_at_once(cli, tmp_path):
    text = swap(VALID, "severity: high", "severity: urgent")
    text = swap(text, "    remediation: Set the seeds.\n", "    remediation: Set the seeds.\n    colour: red\n")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")

    code, _, err = cli("validate", str(path))

    assert code == 2
    assert f"{path}:{line_of(text, 'severity: urgent')}: checks[0].severity" in err
    assert f"{path}:{line_of(text, 'colour: red')}: checks[0].colour: unknown key `colour`" in err


def test_lint_problems_are_all_reported_together(tmp_path):
    text = swap(swap(VALID, "- ref: paper", "- ref: papr"), "probes: [seeds.set]", "probes: [seeds.set, tests.present]")
    text = swap(text, "when: {seeds.set: true}", "when: {seeds.set: true, tests.present: not_applicable}")
    text = swap(text, "    section: data\n", "    section: dta\n")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rubric_file(path)
    lines = sorted(int(p.split(":")[1]) for p in info.value.problems)
    assert lines == sorted([line_of(text, "section: dta"), line_of(text, "- ref: papr"),
                            line_of(text, "tests.present: not_applicable")])
    assert any("unknown section `dta`; sections are ['data']" in p for p in info.value.problems)


def test_valid_minimal_rubric_passes(cli, tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(VALID, encoding="utf-8")

    code, out, err = cli("validate", str(path))

    assert code == 0
    assert out.strip() == f"{path}: ok (my-rubric, 1 check)"
    assert err == ""
    loaded = load_rubric_file(path)
    assert isinstance(loaded, LoadedRubric)
    assert loaded.rubric.id == "my-rubric" and [c.id for c in loaded.rubric.checks] == ["data-1"]
    assert loaded.check("my-rubric/data-1").title == "Seeds are set."
    assert loaded.builtin is False


def test_unobservable_check_may_only_be_not_observable_or_not_applicable(tmp_path):
    for status in ("not_observable", "not_applicable"):
        path = tmp_path / f"{status}.yaml"
        path.write_text(swap(UNOBSERVABLE, "status: not_observable", f"status: {status}"), encoding="utf-8")
        assert load_rubric_file(path).rubric.checks[0].probes == []
    for status in ("pass", "partial", "fail", "error"):
        path = tmp_path / f"{status}.yaml"
        text = swap(UNOBSERVABLE, "status: not_observable", f"status: {status}")
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            load_rubric_file(path)
        assert info.value.problems[0].startswith(f"{path}:{line_of(text, f'status: {status}')}: "
                                                 "checks[0].otherwise.status: a check with no probes")


def test_ml_test_score_passing_rule_with_evidence_class_is_valid(tmp_path):
    text = swap(swap(VALID, "scoring: percentage", "scoring: ml-test-score"),
                "        status: pass\n", "        status: pass\n        evidence_class: automated\n")
    path = tmp_path / "mts.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_rubric_file(path).rubric.checks[0].rules[0].evidence_class.value == "automated"


def test_validate_several_files_reports_ok_and_problems(cli, tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(VALID, encoding="utf-8")
    bad.write_text(swap(VALID, "id: data-1", "id: Data_1"), encoding="utf-8")

    code, out, err = cli("validate", str(good), str(bad))

    assert code == 2
    assert f"{good}: ok" in out
    assert f"{bad}: ok" not in out
    assert f"error: {bad}:{line_of(VALID, 'id: data-1')}: checks[0].id" in err


def test_validate_missing_file_is_a_usage_error(cli, tmp_path):
    code, _, err = cli("validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "does not exist" in err


BUILTIN = sorted((ROOT / "rubrics").glob("*.yaml"))


def test_the_builtin_rubrics_are_there():
    # others may be added; these three are the ones the README promises
    assert {"ml-test-score.yaml", "notebooks.yaml", "technical-debt.yaml"} <= {p.name for p in BUILTIN}


@pytest.mark.parametrize("path", BUILTIN, ids=[p.stem for p in BUILTIN])
def test_builtin_rubric_validates(cli, path):
    code, out, err = cli("validate", str(path))
    assert code == 0, err
    assert out.startswith(f"{path}: ok ({path.stem}, ")
    assert load_rubric_file(path, builtin=True).rubric.id == path.stem


def test_scan_with_bad_rubric_exits_2_naming_file_and_line(cli, repo_factory, tmp_path):
    repo = repo_factory({"train.py": "import random\nrandom.seed(0)\n"})
    bad = tmp_path / "bad.yaml"
    text = swap(VALID, "severity: high", "severity: urgent")
    bad.write_text(text, encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir()

    code, out, err = cli("scan", str(repo), "--rubric", str(bad), cwd=cwd)

    assert code == 2
    assert f"error: {bad}:{line_of(text, 'severity: urgent')}: checks[0].severity" in err
    assert "Traceback" not in err
    assert not (cwd / "mlaudit-report.html").exists()  # nothing is written when the rubric is bad


def test_custom_rubric_may_not_reuse_a_builtin_id(cli, repo_factory, tmp_path):
    repo = repo_factory({"a.py": "x = 1\n"})
    clash = tmp_path / "clash.yaml"
    clash.write_text(swap(VALID, "id: my-rubric", "id: notebooks"), encoding="utf-8")
    code, _, err = cli("scan", str(repo), "--rubric", str(clash), "--format", "json", "-o", "-")
    assert code == 2
    assert f"{clash}:1: rubric id `notebooks` is already used by" in err


# -- bugs ---------------------------------------------------------------------------------
WHEN_TYPO = swap(VALID, "when: {seeds.set: true}", "when: {seeds.sett: true}")


def test_when_naming_an_unknown_probe_is_rejected(cli, tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text(WHEN_TYPO, encoding="utf-8")
    code, _, err = cli("validate", str(path))
    assert code == 2
    assert f"{path}:{line_of(WHEN_TYPO, 'seeds.sett')}: checks[0].rules[0].when.seeds.sett: unknown probe" in err
    assert "did you mean `seeds.set`?" in err


def test_scan_with_when_typo_is_a_configuration_error_not_a_crash(cli, repo_factory, tmp_path):
    repo = repo_factory({"train.py": "import random\nrandom.seed(0)\n"})
    path = tmp_path / "typo.yaml"
    path.write_text(WHEN_TYPO, encoding="utf-8")
    code, _, err = cli("scan", str(repo), "--rubric", str(path), "-q")
    assert code == 2
    assert f"{path}:{line_of(WHEN_TYPO, 'seeds.sett')}:" in err


def test_ml_test_score_passing_otherwise_without_evidence_class_is_rejected(tmp_path):
    text = swap(swap(swap(VALID, "scoring: percentage", "scoring: ml-test-score"),
                     "        status: pass\n", "        status: pass\n        evidence_class: automated\n"),
                "      status: fail\n", "      status: pass\n")
    path = tmp_path / "mts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rubric_file(path)
    assert info.value.problems[0].startswith(f"{path}:{line_of(text, 'status: pass', 2)}: checks[0].otherwise.status")


# -- what the lints must accept -------------------------------------------------------------
def _loads(tmp_path, text: str, name: str = "ok.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_rubric_file(path)


def test_a_check_that_only_shows_evidence_and_never_judges_is_accepted(tmp_path):
    # like ml-test-score/infra-3: a probe supplies evidence, the scan never claims to know the answer
    text = swap(VALID, "        status: pass\n        message: Seeds are set.\n",
                "        status: not_observable\n        message: Seeds are set; whether runs match is not visible.\n")
    text = swap(text, "      status: fail\n", "      status: not_observable\n")
    assert _loads(tmp_path, text).rubric.checks[0].rules[0].status.value == "not_observable"


def test_a_check_whose_best_case_is_partial_implemented_is_accepted(tmp_path):
    # like ml-test-score/infra-1: the scan sees what exists, never that it runs; 0 points until attested
    text = swap(swap(VALID, "scoring: percentage", "scoring: ml-test-score"),
                "        status: pass\n", "        status: partial\n        evidence_class: implemented\n")
    text = swap(text, "      status: fail\n", "      status: fail\n      evidence_class: absent\n")
    assert _loads(tmp_path, text).rubric.checks[0].rules[0].status.value == "partial"


def test_an_earlier_rule_that_matches_only_part_of_a_later_one_does_not_shadow_it(tmp_path):
    text = swap(VALID, "    probes: [seeds.set]\n", "    probes: [seeds.set, tests.present]\n")
    text = swap(text, "      - when: {seeds.set: true}\n", "      - when: {seeds.set: true, tests.present: false}\n"
                "        status: fail\n        message: Seeds but no tests.\n      - when: {seeds.set: true}\n")
    assert len(_loads(tmp_path, text).rubric.checks[0].rules) == 2


@pytest.mark.parametrize("url", ["https://en.wikipedia.org/wiki/Overfitting_(statistics)", "https://bücher.example/x",
                                 "http://localhost:8000/handbook", "https://doi.org/10.1109/BigData.2017.8258038"])
def test_urls_that_are_fine(tmp_path, url):
    assert _loads(tmp_path, swap(VALID, "https://example.com/paper", url)).rubric.references["paper"].url == url


def test_the_builtin_rubrics_have_no_shadowed_rules_and_can_all_pass_or_stay_unjudged():
    """The reachability analysis the lints use, over the real rubrics: every rule decides some case."""
    from mlaudit.checks.decisions import reach
    from mlaudit.checks.loader import load_rubrics
    from mlaudit.probes.registry import all_probes

    probes = all_probes()
    for lr in load_rubrics():
        for check in lr.rubric.checks:
            r = reach(check, probes)
            assert r is not None
            assert r.deciding_rules == frozenset(range(len(check.rules))), f"{lr.rubric.id}/{check.id}"


def test_reach_replays_the_fallback_before_otherwise(tmp_path):
    from mlaudit.checks.decisions import reach
    from mlaudit.probes.registry import all_probes

    # results.documented can be not_observable: with no rule for it, the fallback decides, not `otherwise`
    text = swap(swap(VALID, "probes: [seeds.set]", "probes: [seeds.set, results.documented]"),
                "when: {seeds.set: true}", "when: {seeds.set: true, results.documented: true}")
    r = reach(_loads(tmp_path, text).rubric.checks[0], all_probes())
    # and results.documented is never not_applicable, so "every probe not applicable" cannot happen
    assert {d.status.value for d in r.decisions} == {"pass", "fail", "not_observable"}
    assert any(d.where == ("fallback",) and d.status.value == "not_observable" for d in r.decisions)


def test_validate_a_folder_checks_every_file_and_ids_across_files(cli, tmp_path):
    folder = tmp_path / "rubrics"
    folder.mkdir()
    (folder / "a.yaml").write_text(VALID, encoding="utf-8")
    (folder / "b.yml").write_text(VALID, encoding="utf-8")
    (folder / "notes.txt").write_text("not a rubric", encoding="utf-8")

    code, out, err = cli("validate", str(folder))

    assert code == 2
    assert f"{folder / 'a.yaml'}: ok (my-rubric, 1 check)" in out
    assert f"error: {folder / 'b.yml'}:1: rubric id `my-rubric` is already used by {folder / 'a.yaml'}" in err
    assert "notes.txt" not in out + err


def test_validate_an_empty_folder_is_an_error(cli, tmp_path):
    code, _, err = cli("validate", str(tmp_path))
    assert code == 2
    assert f"error: {tmp_path}: no rubric files (*.yaml, *.yml) in this folder" in err


def test_the_lints_replay_rules_exactly_as_a_scan_evaluates_them():
    """decisions.decide is evaluate's rule order and fallback, replayed without a repository: for every
    combination of outcomes of every built-in check, both must give the same status."""
    import itertools

    from mlaudit.checks.decisions import decide
    from mlaudit.checks.evaluate import evaluate
    from mlaudit.checks.loader import load_rubrics
    from mlaudit.probes.model import Outcome, ProbeResult
    from mlaudit.probes.registry import all_probes

    class Answers:  # stands in for the probe runner: the outcomes are the input under test
        def __init__(self, case):
            self.case = case

        def run(self, use):
            return ProbeResult(outcome=self.case[use.id])

    probes = all_probes()
    compared = 0
    for lr in load_rubrics():
        for check in lr.rubric.checks:
            ids = list(dict.fromkeys(u.id for u in check.probe_uses()))
            choices = [sorted(probes[p].outcomes - {Outcome.error}, key=lambda o: o.value) for p in ids]
            for combo in itertools.product(*choices):
                case = dict(zip(ids, combo))
                got = evaluate(lr, check, Answers(case))
                assert got.status == decide(check, case).status, (lr.rubric.id, check.id, case)
                compared += 1
    assert compared > 100
