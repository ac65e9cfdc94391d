"""Attestations: what a team states in its config about checks the scan cannot see, scored as the
ML Test Score says (automated 1, documented 0.5; a pass in a percentage rubric), always shown as
attested rather than observed, and flagged (not scored) when expired, pointing at a missing
path, or contradicted by what the scan found. Every scan here runs on a real git repository."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mlaudit.config import load_config
from mlaudit.errors import ConfigError

TODAY = dt.date.today()
EARLIER = (TODAY - dt.timedelta(days=100)).isoformat()

# An ML Test Score-style rubric of our own, so these tests do not move with the built-in ones.
TEAM = """\
id: team
title: Team score
version: "1"
scoring: ml-test-score
description: Ours.
references:
  h: {title: Handbook, url: "https://example.com/h"}
sections:
  - {id: infra, title: Infrastructure}
  - {id: monitor, title: Monitoring}
checks:
  - id: splits
    section: infra
    title: Splits are seeded.
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [splits.unseeded]
    rules:
      - {when: {splits.unseeded: true}, status: fail, evidence_class: absent, message: Unseeded split.}
      - {when: {splits.unseeded: false}, status: pass, evidence_class: automated, message: Seeded.}
    otherwise: {status: not_applicable, message: No splits.}
  - id: splits-doc
    section: infra
    title: Splits are documented.
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [splits.unseeded]
    rules:
      - {when: {splits.unseeded: false}, status: pass, evidence_class: documented, message: "Seeded, by hand."}
    otherwise: {status: not_applicable, message: No splits.}
  - id: staleness
    section: monitor
    title: Models are not too stale.
    rationale: r
    remediation: r
    sources: [{ref: h, section: "2"}]
    otherwise: {status: not_observable, message: Cannot see the serving model's age.}
  - id: slices
    section: monitor
    title: Quality on slices.
    rationale: r
    remediation: r
    sources: [{ref: h, section: "2"}]
    otherwise: {status: not_observable, message: Cannot see slices.}
"""

PCT = """\
id: pct
title: Team percentage
version: "1"
scoring: percentage
description: Ours.
references:
  h: {title: Handbook, url: "https://example.com/h"}
sections:
  - {id: all, title: All}
checks:
  - id: seeded
    section: all
    title: Seeds are set.
    severity: high
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    probes: [seeds.set]
    rules:
      - {when: {seeds.set: true}, status: pass, message: Seeds are set.}
      - {when: {seeds.set: false}, status: fail, message: No seeds.}
    otherwise: {status: not_applicable, message: No code.}
  - id: unseen
    section: all
    title: Something no scan sees.
    severity: high
    rationale: r
    remediation: r
    sources: [{ref: h, section: "1"}]
    otherwise: {status: not_observable, message: Not visible.}
"""

HEAD = "builtin_rubrics: false\nrubrics: [checks/team.yaml, checks/pct.yaml]\n"
UNSEEDED = "from sklearn.model_selection import train_test_split\na, b = train_test_split([1, 2, 3])\n"
SEEDED = "from sklearn.model_selection import train_test_split\na, b = train_test_split([1, 2, 3], random_state=0)\n"


def attest(check: str, level: str, evidence: str = "docs/runbook.md", *, date: str = EARLIER, extra: str = "") -> str:
    return (f"  - check: {check}\n    level: {level}\n    evidence: {evidence}\n    by: Ana Lima\n"
            f"    date: {date}\n" + extra)


def scan(cli, repo) -> dict:
    code, out, err = cli("scan", str(repo), "--format", "json", "-o", "-", "-q")
    assert code == 0, err
    return json.loads(out)


def by_check(report: dict) -> dict[str, dict]:
    return {r["check"]: r for r in report["results"]}


def rubric(report: dict, rid: str) -> dict:
    return next(r for r in report["rubrics"] if r["id"] == rid)


def make(repo_factory, config: str, code: str = UNSEEDED, **files: str):
    return repo_factory({".mlaudit.yaml": config, "checks/team.yaml": TEAM, "checks/pct.yaml": PCT,
                         "train.py": code, "docs/runbook.md": "# Runbook\n", **files})


def test_attested_checks_score_as_the_paper_says_and_are_marked_attested(repo_factory, cli):
    config = HEAD + "attest:\n" + attest("team/staleness", "automated", "https://grafana.example.com/d/age",
                                         extra="    note: alert on model age > 14 days\n") \
        + attest("team/slices", "manual")  # the paper's "run manually": documented, half a point
    report = scan(cli, make(repo_factory, config))
    results = by_check(report)

    stale, slices = results["team/staleness"], results["team/slices"]
    assert (stale["status"], stale["evidence_class"], stale["points"], stale["basis"]) == ("pass", "automated", 1, "attested")
    assert (slices["status"], slices["evidence_class"], slices["points"], slices["basis"]) == ("pass", "documented", 0.5, "attested")
    a = stale["attestation"]
    assert a["applied"] is True and a["problems"] == []
    assert (a["by"], a["date"], a["evidence"], a["note"]) == ("Ana Lima", EARLIER, "https://grafana.example.com/d/age",
                                                              "alert on model age > 14 days")
    assert (a["path"], a["line"]) == (".mlaudit.yaml", 4)
    # what the scan itself saw stays on record
    assert (a["observed_status"], a["observed_message"]) == ("not_observable", "Cannot see the serving model's age.")
    assert stale["message"] == f"Attested (automated) by Ana Lima on {EARLIER}."

    score = rubric(report, "team")
    monitor = next(s for s in score["sections"] if s["id"] == "monitor")
    assert monitor["score"] == 1.5
    assert score["attested"] == 2 and score["counts"]["pass"] == 2
    assert "2 checks are scored from the team's attestation" in score["denominator"]
    assert results["team/splits"]["basis"] == "observed"


def test_in_a_percentage_rubric_an_attested_check_is_a_pass_whatever_its_level(repo_factory, cli):
    plain = scan(cli, make(repo_factory, HEAD))
    assert rubric(plain, "pct")["score"] == 0.0  # seeds.set fails; `unseen` is left out
    report = scan(cli, make(repo_factory, HEAD + "attest:\n" + attest("pct/unseen", "documented")))
    unseen = by_check(report)["pct/unseen"]
    assert (unseen["status"], unseen["points"], unseen["basis"]) == ("pass", 1, "attested")
    assert rubric(report, "pct")["score"] == 50.0  # two high-severity checks, one passing


def test_expired_and_missing_evidence_do_not_score_and_are_flagged(repo_factory, cli, tmp_path):
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    config = (HEAD + "attest:\n"
              + attest("team/staleness", "automated", extra=f"    expires: {yesterday}\n")
              + attest("team/slices", "automated", "docs/gone.md")
              + attest("pct/unseen", "automated", "docs/", extra=f"    expires: {TODAY.isoformat()}\n"))
    repo = make(repo_factory, config)
    report = scan(cli, repo)
    results = by_check(report)
    for check, problem in [("team/staleness", "expired"), ("team/slices", "evidence path missing"),
                           ("pct/unseen", "expired")]:  # the expiry day itself no longer counts
        r = results[check]
        assert r["attestation"]["problems"] == [problem], check
        assert r["attestation"]["applied"] is False
        assert (r["status"], r["points"], r["basis"]) == ("not_observable", 0, "observed"), check
    assert rubric(report, "team")["attested"] == 0

    code, out, _ = cli("scan", str(repo), "--format", "json", "-o", str(tmp_path / "r.json"))
    assert code == 0
    assert "3 attestation(s) do not count:" in out
    assert f".mlaudit.yaml:4: team/staleness: it expired on {yesterday}" in out
    assert "team/slices: its evidence `docs/gone.md` is not in the repository" in out


def test_evidence_paths_are_files_or_folders_in_the_scanned_inventory(repo_factory, cli):
    config = (HEAD + "attest:\n" + attest("team/staleness", "automated", "docs/runbook.md#age")
              + attest("team/slices", "documented", "./docs")
              + attest("pct/unseen", "documented", "secret/notes.md"))
    repo = make(repo_factory, config, **{".gitignore": "secret/\n", "secret/notes.md": "on disk, ignored by git\n"})
    results = by_check(scan(cli, repo))
    assert results["team/staleness"]["attestation"]["problems"] == []
    assert results["team/slices"]["attestation"]["problems"] == []
    # a git-ignored file is not part of the repository anyone else can read
    assert results["pct/unseen"]["attestation"]["problems"] == ["evidence path missing"]


def test_a_failure_with_findings_contradicts_an_attestation_and_the_observed_status_stands(repo_factory, cli):
    report = scan(cli, make(repo_factory, HEAD + "attest:\n" + attest("team/splits", "automated")))
    splits = by_check(report)["team/splits"]
    assert splits["attestation"]["problems"] == ["contradicted by the scan"]
    assert (splits["status"], splits["points"], splits["basis"]) == ("fail", 0, "observed")
    assert [(e["path"], e["line"]) for e in splits["evidence"]] == [("train.py", 2)]


def test_the_scans_own_evidence_wins_when_it_is_as_strong(repo_factory, cli):
    config = HEAD + "attest:\n" + attest("team/splits", "documented") + attest("team/splits-doc", "automated")
    results = by_check(scan(cli, make(repo_factory, config, code=SEEDED)))
    observed = results["team/splits"]  # observed automated beats an attested documented
    assert (observed["basis"], observed["points"], observed["evidence_class"]) == ("observed", 1, "automated")
    assert observed["attestation"]["applied"] is False and observed["attestation"]["problems"] == []
    upgraded = results["team/splits-doc"]  # observed documented (0.5), attested automated (1)
    assert (upgraded["basis"], upgraded["points"], upgraded["evidence_class"]) == ("attested", 1, "automated")
    assert upgraded["attestation"]["observed_evidence_class"] == "documented"


def test_yaml_errors_name_the_file_line_and_fix(tmp_path):
    cfg = tmp_path / ".mlaudit.yaml"
    cfg.write_text("attest:\n"
                   "  - check: ml-test-score/monitor-4\n"
                   "    level: automatic\n"
                   "    evidence: javascript:alert(1)\n"
                   "    by: Ana\n"
                   f"    date: {EARLIER}\n"
                   "    expires: 2001-01-01\n"
                   "    notes: typo\n"
                   "ignore:\n"
                   "  - check: thresholds.fixed\n")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert exc.value.problems == [
        f"{cfg}:3: attest[0].level: `automatic` is not one of the choices (write `automated` (a system runs it on "
        "a repeated basis: 1 point) or `documented` (run by hand with the results written down: 0.5 points))",
        f"{cfg}:4: attest[0].evidence: `javascript:alert(1)` is neither an http(s) URL nor a path in the "
        "repository (give one of those)",
        f"{cfg}:7: attest[0].expires: expires on 2001-01-01, not after its date {EARLIER} (fix one of the two dates)",
        f"{cfg}:8: attest[0].notes: unknown key `notes` (did you mean `note`?)",
        f"{cfg}:10: ignore[0].reason: `reason` is required (add `reason:`)",
    ]
    cfg.write_text("attest:\n  - check: x/y\n    level: automated\n    evidence: ../outside.md\n    by: A\n"
                   "    date: 2026-13-01\n")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert exc.value.problems == [f"{cfg}:6: `2026-13-01` is not a date: month must be in 1..12 "
                                  "(write the date as YYYY-MM-DD)"]
    future = (TODAY + dt.timedelta(days=30)).isoformat()
    cfg.write_text(f"attest:\n  - check: x/y\n    level: automated\n    evidence: ../outside.md\n    by: A\n"
                   f"    date: {future}\n")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert exc.value.problems == [
        f"{cfg}:4: attest[0].evidence: `../outside.md` is not a path inside the repository (give a path relative "
        "to the repository's root)",
        f"{cfg}:6: attest[0].date: {future} is in the future (give the day the evidence was checked)"]


def test_pyproject_errors_name_the_line_of_each_entry(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\n\n'                                                      # 1-3
        '[tool.mlaudit]\n'                                                                # 4
        'ignore = [\n'                                                                    # 5
        '  {check = "thresholds.fixed", reason = "set by product"},\n'                   # 6
        '  {check = "seeds.set", reason = " ", paths = ["legacy/**"]},\n'                # 7
        ']\n\n'                                                                           # 8-9
        '[[tool.mlaudit.attest]]\n'                                                       # 10
        'check = "ml-test-score/monitor-4"\nlevel = "automated"\nevidence = "docs/x.md"\n'  # 11-13
        f'by = "Ana"\ndate = {EARLIER}\n\n'                                               # 14-16
        '[[tool.mlaudit.attest]]\n'                                                       # 17
        'check = "ml-test-score/monitor-5"\nlevel = "sometimes"\nevidence = "docs/x.md"\n'  # 18-20
        'by = "Ana"\ndate = "last week"\n')                                              # 21-22
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert [p.split(": ")[0:2] for p in exc.value.problems] == [
        [f"{pyproject}:19", "attest[1].level"],
        [f"{pyproject}:22", "attest[1].date"],
        [f"{pyproject}:7", "ignore[1].reason"],
    ]


def test_unknown_checks_are_config_errors_with_the_line_and_a_suggestion(repo_factory, cli):
    config = (HEAD + "attest:\n" + attest("team/stalenes", "automated") + attest("staleness", "automated")
              + attest("seeds.set", "automated")
              + "ignore:\n  - check: thresholds.fixd\n    reason: r\n"
              + "  - check: team/slices\n    reason: r\n")
    repo = make(repo_factory, config)
    code, _, err = cli("scan", str(repo), "-q")
    assert code == 2
    cfg = repo / ".mlaudit.yaml"
    assert err.splitlines() == [
        f"error: {cfg}:4: attest[0].check: unknown check `team/stalenes` (did you mean `team/staleness`?)",
        f"error: {cfg}:9: attest[1].check: unknown check `staleness` (did you mean `team/staleness`?)",
        f"error: {cfg}:14: attest[2].check: `seeds.set` is a probe; an attestation names a check, "
        "`<rubric>/<check>` (`mlaudit rubrics list` shows them)",
        f"error: {cfg}:20: ignore[0].check: unknown check or probe `thresholds.fixd` (did you mean `thresholds.fixed`?)",
    ]


def test_a_check_cannot_be_both_attested_and_ignored(repo_factory, cli):
    config = HEAD + "attest:\n" + attest("team/slices", "automated") + "ignore:\n  - check: team/slices\n    reason: r\n"
    repo = make(repo_factory, config)
    code, _, err = cli("scan", str(repo), "-q")
    assert code == 2
    assert (f"{repo / '.mlaudit.yaml'}:10: ignore[0].check: `team/slices` is also attested at line 4; a check is "
            "either attested or ignored (remove one of them)") in err


def test_pyproject_attestations_reach_the_scan(repo_factory, cli):
    pyproject = ('[tool.mlaudit]\nbuiltin_rubrics = false\nrubrics = ["checks/team.yaml", "checks/pct.yaml"]\n\n'
                 '[[tool.mlaudit.attest]]\ncheck = "team/staleness"\nlevel = "documented"\n'
                 f'evidence = "docs/runbook.md"\nby = "Ana"\ndate = {EARLIER}\n')
    repo = repo_factory({"pyproject.toml": pyproject, "checks/team.yaml": TEAM, "checks/pct.yaml": PCT,
                         "train.py": UNSEEDED, "docs/runbook.md": "# Runbook\n"})
    stale = by_check(scan(cli, repo))["team/staleness"]
    assert (stale["points"], stale["basis"]) == (0.5, "attested")
    assert (stale["attestation"]["path"], stale["attestation"]["line"]) == ("pyproject.toml", 5)


def test_config_given_on_the_command_line_brings_its_attestations(repo_factory, cli):
    """`--config FILE` is the whole config: its rubrics, attestations and ignores, not the folder's."""
    folder_default = HEAD + "attest:\n" + attest("team/slices", "documented")
    elsewhere = HEAD + "attest:\n" + attest("team/staleness", "automated")
    repo = make(repo_factory, folder_default, **{"ci/mlaudit.yaml": elsewhere.replace("checks/", "../checks/")})
    code, out, err = cli("scan", str(repo), "--config", str(repo / "ci" / "mlaudit.yaml"),
                         "--format", "json", "-o", "-", "-q")
    assert code == 0, err
    results = by_check(json.loads(out))
    assert results["team/staleness"]["basis"] == "attested"
    assert results["team/slices"]["basis"] == "observed"


@pytest.mark.parametrize("evidence", ["#", ".", "https://x", "https://user:pw@grafana.example.com/d/a"])
def test_evidence_that_could_vouch_for_anything_is_a_config_error(tmp_path, evidence):
    (tmp_path / ".mlaudit.yaml").write_text("attest:\n" + attest("ml-test-score/monitor-4", "automated", f'"{evidence}"'))
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert ".mlaudit.yaml:" in str(exc.value) and "evidence" in str(exc.value)
