"""Suppressions: `ignore:` entries in the config and `# mlaudit: ignore[<check or probe>] reason`
comments. A suppressed finding stays in the report with its reason; a check ignored as a whole, or
whose findings are all suppressed, is left out of the score with its observed status kept; a
suppression that matches nothing is reported, like ruff's RUF100. Real git repositories only."""

from __future__ import annotations

import json

from conftest import notebook

from mlaudit.checks.inline import markers_in
from mlaudit.checks.suppress import path_matches

# thresholds.fixed reports module-level decision thresholds; seeds.set and splits.unseeded are the
# other probes read here. A rubric of our own keeps the tests still while the built-in ones grow.
RUBRIC = """\
id: team
title: Team checks
version: "1"
scoring: percentage
description: Ours.
references:
  h: {title: Handbook, url: "https://example.com/h"}
sections:
  - {id: all, title: All}
checks:
  - id: thresholds
    section: all
    title: No fixed thresholds.
    severity: high
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [thresholds.fixed]
    rules:
      - {when: {thresholds.fixed: true}, status: fail, message: Fixed thresholds.}
      - {when: {thresholds.fixed: false}, status: pass, message: None.}
    otherwise: {status: not_applicable, message: No code.}
  - id: splits
    section: all
    title: Splits are seeded.
    severity: high
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [splits.unseeded]
    rules:
      - {when: {splits.unseeded: true}, status: fail, message: Unseeded split.}
      - {when: {splits.unseeded: false}, status: pass, message: Seeded.}
    otherwise: {status: not_applicable, message: No splits.}
"""
MTS = """\
id: team-score
title: Team score
version: "1"
scoring: ml-test-score
description: Ours.
references:
  h: {title: Handbook, url: "https://example.com/h"}
sections:
  - {id: infra, title: Infrastructure}
checks:
  - id: seeded
    section: infra
    title: Splits are seeded.
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [splits.unseeded]
    rules:
      - {when: {splits.unseeded: true}, status: fail, evidence_class: absent, message: Unseeded.}
      - {when: {splits.unseeded: false}, status: pass, evidence_class: automated, message: Seeded.}
    otherwise: {status: not_applicable, message: No splits.}
"""
HEAD = "builtin_rubrics: false\nrubrics: [checks/team.yaml, checks/score.yaml]\n"
SPLIT = "from sklearn.model_selection import train_test_split\n"


def scan(cli, repo) -> dict:
    code, out, err = cli("scan", str(repo), "--format", "json", "-o", "-", "-q")
    assert code == 0, err
    return json.loads(out)


def make(repo_factory, config: str = "", **files: str):
    return repo_factory({".mlaudit.yaml": HEAD + config, "checks/team.yaml": RUBRIC, "checks/score.yaml": MTS, **files})


def results(report: dict) -> dict[str, dict]:
    return {r["check"]: r for r in report["results"]}


def rubric(report: dict, rid: str = "team") -> dict:
    return next(r for r in report["rubrics"] if r["id"] == rid)


def where(r: dict) -> list[tuple]:
    """(path, line, cell, reason or None) of each finding, suppressed or not."""
    return [(e["path"], e["line"], e["cell"], e["suppression"] and e["suppression"]["reason"]) for e in r["evidence"]]


def test_a_check_ignored_in_the_config_is_left_out_of_the_score_but_shown(repo_factory, cli):
    files = {"app.py": "THRESHOLD = 0.7\n", "train.py": SPLIT + "a, b = train_test_split([1, 2], random_state=0)\n"}
    before = scan(cli, make(repo_factory, **files))
    assert rubric(before)["score"] == 50.0
    report = scan(cli, make(repo_factory, "ignore:\n  - check: team/thresholds\n    reason: set by the product team\n",
                            **files))
    r = results(report)["team/thresholds"]
    assert (r["status"], r["suppressed"], r["points"]) == ("fail", True, 0)  # the status is what the scan saw
    assert r["suppression"] == {"kind": "config", "target": "team/thresholds", "reason": "set by the product team",
                                "path": ".mlaudit.yaml", "line": 4, "cell": None}
    assert where(r) == [("app.py", 1, None, None)]  # the finding is still there to read
    score = rubric(report)
    assert score["score"] == 100.0 and score["suppressed"] == 1 and score["counts"] == {"pass": 1}
    assert "the other 1 (not applicable, not observable or in error; 1 of them suppressed by the team)" in score["denominator"]
    assert report["unused_suppressions"] == []


def test_a_probe_ignored_under_some_paths_suppresses_only_those_findings(repo_factory, cli):
    config = "ignore:\n  - check: thresholds.fixed\n    reason: legacy is frozen\n    paths: [\"legacy/**\"]\n"
    report = scan(cli, make(repo_factory, config, **{"app.py": "THRESHOLD = 0.7\n",
                                                     "legacy/old/rules.py": "DECISION_THRESHOLD = 0.4\n"}))
    r = results(report)["team/thresholds"]
    assert where(r) == [("app.py", 1, None, None), ("legacy/old/rules.py", 1, None, "legacy is frozen")]
    supp = r["evidence"][1]["suppression"]
    assert (supp["kind"], supp["target"], supp["path"], supp["line"]) == ("config", "thresholds.fixed", ".mlaudit.yaml", 4)
    assert (r["status"], r["suppressed"]) == ("fail", False)  # one finding left: still a failure, still scored
    assert rubric(report)["score"] == 0.0


def test_inline_comments_suppress_one_finding_on_their_line_or_the_next(repo_factory, cli):
    code = ("THRESHOLD = 0.7  # mlaudit: ignore[thresholds.fixed] agreed with risk, see ADR-7\n"
            "# mlaudit: ignore[team/thresholds] the fallback cut-off\n"
            "DEFAULT_THRESHOLD = 0.6\n"
            "ALERT_THRESHOLD = 0.9\n"
            'NOTE = "# mlaudit: ignore[thresholds.fixed] a string, not a comment"\n')
    report = scan(cli, make(repo_factory, **{"app.py": code}))
    r = results(report)["team/thresholds"]
    assert where(r) == [("app.py", 1, None, "agreed with risk, see ADR-7"), ("app.py", 3, None, "the fallback cut-off"),
                        ("app.py", 4, None, None)]
    inline = r["evidence"][1]["suppression"]
    assert (inline["kind"], inline["target"], inline["path"], inline["line"]) == ("inline", "team/thresholds", "app.py", 2)
    assert r["suppressed"] is False and r["status"] == "fail"
    assert report["unused_suppressions"] == []  # the marker inside the string is text, not a suppression


def test_inline_comments_in_notebook_cells(repo_factory, cli):
    nb = notebook([("code", "import pandas as pd", 1),
                   ("code", "DECISION_THRESHOLD = 0.4  # mlaudit: ignore[thresholds.fixed] exploration only", 2),
                   ("code", "# mlaudit: ignore[thresholds.fixed] wrong cell\nx = 1\nCUTOFF_THRESHOLD = 0.3", 3)])
    report = scan(cli, make(repo_factory, **{"explore.ipynb": nb}))
    r = results(report)["team/thresholds"]
    assert where(r) == [("explore.ipynb", 1, 1, "exploration only"), ("explore.ipynb", 3, 2, None)]
    assert r["evidence"][0]["suppression"]["cell"] == 1
    assert [(w["path"], w["cell"], w["line"]) for w in report["unused_suppressions"]] == [("explore.ipynb", 2, 1)]


def test_a_check_whose_findings_are_all_suppressed_keeps_its_status_and_leaves_the_score(repo_factory, cli):
    code = SPLIT + "a, b = train_test_split([1, 2])  # mlaudit: ignore[splits.unseeded] toy data in a demo\n"
    report = scan(cli, make(repo_factory, **{"demo.py": code}))
    team, score = results(report)["team/splits"], results(report)["team-score/seeded"]
    for r in (team, score):
        assert (r["status"], r["suppressed"], r["suppression"], r["points"]) == ("fail", True, None, 0)
        assert where(r) == [("demo.py", 2, None, "toy data in a demo")]
    assert rubric(report)["suppressed"] == 1
    # the ML Test Score's sections are always out of their full count: a suppressed test earns 0
    mts = rubric(report, "team-score")
    assert (mts["score"], mts["max_score"], mts["suppressed"]) == (0, 1, 1)
    assert "1 test is suppressed by the team and scores 0." in mts["denominator"]


def test_unused_suppressions_are_reported_with_their_place(repo_factory, cli, tmp_path):
    config = ("ignore:\n  - check: thresholds.fixed\n    reason: r\n    paths: [vendor/**]\n"
              "  - check: seeds.set\n    reason: not read by any check here\n")
    code = ("THRESHOLD = 0.7\n"
            "x = 1  # mlaudit: ignore[thresholds.fixed] nothing on this line\n"
            "y = 2  # mlaudit: ignore[thresholds.fixd] typo\n"
            "z = 3  # mlaudit: ignore[team/thresholds]\n"
            "w = 4  # mlaudit: ignore reason but no ids\n")
    repo = make(repo_factory, config, **{"app.py": code})
    report = scan(cli, repo)
    assert [(w["path"], w["line"], w["message"]) for w in report["unused_suppressions"]] == [
        (".mlaudit.yaml", 4, "unused suppression: `ignore: thresholds.fixed` under vendor/** matched no finding "
                             "(remove it, or correct the check, probe or paths)"),
        (".mlaudit.yaml", 7, "unused suppression: `ignore: seeds.set` matched no finding; no check in the loaded "
                             "rubrics uses probe `seeds.set` (remove it, or correct the check, probe or paths)"),
        ("app.py", 2, "unused suppression: `mlaudit: ignore[thresholds.fixed]` matched no finding of "
                      "`thresholds.fixed` on this line"),
        ("app.py", 3, "unused suppression: unknown check or probe `thresholds.fixd` (did you mean `thresholds.fixed`?)"),
        ("app.py", 4, "unused suppression: `mlaudit: ignore[team/thresholds]` gives no reason, so it suppresses "
                      "nothing (say why after the bracket)"),
        ("app.py", 5, "unused suppression: `mlaudit: ignore` names no check or probe "
                      "(write `# mlaudit: ignore[<check or probe>] reason`)"),
    ]
    assert where(results(report)["team/thresholds"]) == [("app.py", 1, None, None)]

    code_, out, _ = cli("scan", str(repo), "-o", str(tmp_path / "r.html"))
    assert code_ == 0
    assert "6 unused suppression(s):" in out and "app.py:3: unknown check or probe `thresholds.fixd`" in out


def test_suppressions_name_a_check_or_the_probe_and_nothing_else(repo_factory, cli):
    code = SPLIT + "a, b = train_test_split([1, 2])  # mlaudit: ignore[team/splits] only this rubric's view\n"
    report = scan(cli, make(repo_factory, **{"demo.py": code}))
    assert where(results(report)["team/splits"]) == [("demo.py", 2, None, "only this rubric's view")]
    assert where(results(report)["team-score/seeded"]) == [("demo.py", 2, None, None)]
    assert results(report)["team-score/seeded"]["suppressed"] is False


def test_markers_are_comments_told_from_strings_by_the_tokenizer():
    source = ('s = """\n# mlaudit: ignore[a] inside a docstring\n"""\n'
              "x = 1  # mlaudit: ignore[a, b] two ids -- more words  # noqa: E501\n"
              "# mlaudit:ignore[c]: colon before the reason\n"
              "# write `# mlaudit: ignore[...]` to suppress: prose about the marker\n")
    found = [(m.line, m.ids, m.reason, m.comment_only) for m in markers_in(source, "a.py")]
    assert found == [(4, ("a", "b"), "two ids -- more words", False), (5, ("c",), "colon before the reason", True)]
    # a file that does not lex (here an unclosed bracket) still has its comments found, line by line
    assert [m.line for m in markers_in("f(\n# mlaudit: ignore[a] r\n", "b.py")] == [2]
    yaml_text = 'run: "echo # mlaudit: ignore[a] quoted"\nrun: pytest  # mlaudit: ignore[a] real\n'
    assert [m.line for m in markers_in(yaml_text, "ci.yml", python=False)] == [2]


def test_paths_are_globs_names_or_folders():
    assert path_matches("legacy/a/b.py", ["legacy/**"]) and path_matches("legacy/a/b.py", ["legacy"])
    assert path_matches("src/x.ipynb", ["*.ipynb"]) and path_matches("src/x.py", ["./src/"])
    assert not path_matches("src/legacy.py", ["legacy"]) and not path_matches("legacyx/a.py", ["legacy/"])


SEEDED_RUBRIC = RUBRIC.replace("id: team\n", "id: seeding\n").split("checks:\n")[0] + """checks:
  - id: seeded
    section: all
    title: Seeds are set.
    severity: high
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [seeds.set]
    rules:
      - {when: {seeds.set: true}, status: pass, message: Seeded.}
      - {when: {seeds.set: false}, status: fail, message: Not seeded.}
    otherwise: {status: not_applicable, message: No randomness.}
"""


def test_suppressing_a_probe_never_costs_a_passing_check_its_points(repo_factory, cli):
    """A probe id ignored across checks hides its evidence everywhere; only a problem is suppressed away."""
    repo = repo_factory({".mlaudit.yaml": "builtin_rubrics: false\nrubrics: [checks/seeding.yaml]\n"
                                          "ignore:\n  - check: seeds.set\n    reason: seeding is reviewed by hand\n",
                         "checks/seeding.yaml": SEEDED_RUBRIC,
                         "train.py": "import numpy as np\n\nnp.random.seed(0)\nx = np.random.rand(3)\n"})
    r = results(scan(cli, repo))["seeding/seeded"]
    assert r["evidence"] and all(e["suppression"] for e in r["evidence"])
    assert (r["status"], r["suppressed"], r["points"]) == ("pass", False, 1.0)


def test_a_marker_inside_a_docstring_suppresses_nothing(repo_factory, cli):
    code = SPLIT + '"""Example: # mlaudit: ignore[team/splits] not a comment"""\na, b = train_test_split([1, 2])\n'
    report = scan(cli, make(repo_factory, **{"train.py": code}))
    r = results(report)["team/splits"]
    assert r["status"] == "fail" and not r["suppressed"]
    assert all(e["suppression"] is None for e in r["evidence"])


def test_a_notebook_nested_too_deeply_to_read_is_not_a_crash(repo_factory, cli):
    deep = '{"cells": ' + "[" * 100_000 + "]" * 100_000 + ', "mlaudit": 1}'
    report = scan(cli, make(repo_factory, **{"deep.ipynb": deep, "train.py": "x = 1\n"}))
    assert any(w["path"] == "deep.ipynb" for w in report["warnings"])
