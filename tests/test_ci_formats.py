"""SARIF, JUnit and GitLab Code Quality outputs, from scans of real fixture repositories.

The repository holds what CI formats find hard: a notebook (a line in a cell is no line of the
file), a file name with a space and a non-ASCII letter, an unseeded split, a committed token
(generated here, so this file holds none), checks that fail for what is absent (no tests), a
broken notebook (a scan warning), a suppressed check, and text that XML and Markdown must not
take as markup. A team rubric adds a check decided by the secrets probe alone (the only kind of
rule that may be a security alert on GitHub) and one that is `partial`.
"""

from __future__ import annotations

import json
import random
import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import git, make_repo, notebook
from jsonschema import Draft7Validator, FormatChecker
from junitparser import Error, Failure, JUnitXml, Skipped

from mlaudit.checks.schema import Status
from mlaudit.compare.findings import findings
from mlaudit.renderers.check_docs import DOCS_URL, anchor
from mlaudit.renderers.gitlab import render_gitlab
from mlaudit.renderers.junit import render_junit
from mlaudit.renderers.sarif import render_sarif
from mlaudit.scan import ScanOptions, run_scan

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
SPACED = "src/trän ing.py"
NOTEBOOK = "notebooks/explore.ipynb"
HOSTILE = "src/hostile.py"
HOSTILE_TITLE = "Credentials stay out of the code \x01 ]]> <script>alert(1)</script>"
SECRETS_CHECK = "team/no-secrets"
PARTIAL_CHECK = "team/seeded-splits"
NO_TESTS = "mlops-challenges/test-driven-development"
IGNORED = "ml-pitfalls/runs-recorded"
_rnd = random.Random(11)
TOKEN = "ghp_" + "".join(_rnd.choice(string.ascii_letters + string.digits) for _ in range(36))
# RFC 3986: a relative reference made of unreserved characters, sub-delims, ":@/" and %XX escapes only.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})+$")

SPLIT = "from sklearn.model_selection import train_test_split\nimport pandas as pd\n\n"
TEAM_RUBRIC = r'''
id: team
title: Team rules
version: "1"
scoring: percentage
description: The team's own checks.
references:
  owasp:
    title: OWASP Secrets Management Cheat Sheet
    url: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
  sklearn:
    title: "scikit-learn: Common pitfalls"
    url: https://scikit-learn.org/stable/common_pitfalls.html#controlling-randomness
sections:
  - id: security
    title: Security
  - id: repro
    title: Reproducibility
checks:
  - id: no-secrets
    section: security
    title: "Credentials stay out of the code \x01 ]]> <script>alert(1)</script>"
    severity: critical
    rationale: "A token in the code is readable by anyone who can read the code. [click](javascript:alert(1)) <b>bold</b>"
    remediation: Rotate it, then read it from the environment or a secret manager.
    sources:
      - {ref: owasp, section: "Secrets in code"}
    probes: [secrets.committed]
    rules:
      - when: {secrets.committed: true}
        status: fail
        message: "Credentials are committed ]]> <script>alert(1)</script> \x1b (see the evidence)."
    otherwise: {status: pass, message: No credentials are committed.}
  - id: seeded-splits
    section: repro
    title: Random splits are seeded.
    severity: high
    rationale: A seeded split can be repeated.
    remediation: Pass `random_state=` to every split.
    sources:
      - {ref: sklearn, section: "Controlling randomness"}
    probes: [splits.unseeded]
    rules:
      - when: {splits.unseeded: true}
        status: partial
        message: Some random splits take no seed.
    otherwise: {status: pass, message: Every random split is seeded.}
'''


def repo_files() -> dict[str, str]:
    return {
        "README.md": "# churn\n\nPredicts churn.\n",
        "requirements.txt": "scikit-learn\npandas\n",
        ".mlaudit.yaml": f"ignore:\n  - check: {IGNORED}\n    reason: runs are tracked in the team wiki\n",
        SPACED: SPLIT + "df = pd.read_csv('d.csv')\nX_tr, X_te = train_test_split(df)\n",
        NOTEBOOK: notebook([("markdown", "# Explore", None),
                            ("code", "import pandas as pd\nfrom sklearn.model_selection import train_test_split", 1),
                            ("code", "df = pd.read_csv('d.csv')\ny = df.pop('y')\nX_tr, X_te = train_test_split(df)", 2)]),
        HOSTILE: SPLIT + "df = pd.read_csv('e.csv')\nA, B = train_test_split(df)  # ]]> <script>alert(1)</script> \x07\x1b end\n",
        "config/settings.py": f'GITHUB_TOKEN = "{TOKEN}"\n',
        "notebooks/broken.ipynb": "{not json",
    }


def scan(repo: Path, rubric: Path | None = None):
    return run_scan(repo, ScanOptions(use_cache=False, rubric_paths=[rubric] if rubric else []))


@pytest.fixture(scope="module")
def rubric(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rubrics") / "team.yaml"
    path.write_text(TEAM_RUBRIC, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scanned(tmp_path_factory, rubric):
    repo = make_repo(tmp_path_factory.mktemp("ci") / "repo", repo_files())
    result = scan(repo, rubric)
    return repo, result, findings(result)


@pytest.fixture(scope="module")
def sarif(scanned) -> dict:
    _, result, found = scanned
    return json.loads(render_sarif(result, found, docs_url=DOCS_URL))


def results_for(log: dict, check: str) -> list[dict]:
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == check]


def uri_path(result: dict) -> str:
    return unquote(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])


# ------------------------------------------------------------------------------------ the scan

def test_the_fixture_has_what_the_formats_must_handle(scanned):
    _, result, found = scanned
    statuses = {r.check: r for r in result.results}
    assert statuses[SECRETS_CHECK].status is Status.fail
    assert statuses[PARTIAL_CHECK].status is Status.partial
    assert statuses[NO_TESTS].status is Status.fail and not statuses[NO_TESTS].evidence
    assert statuses[IGNORED].suppressed
    assert any(w.path == "notebooks/broken.ipynb" for w in result.warnings)
    paths = {f.path for f in found if f.located}
    assert {SPACED, NOTEBOOK, HOSTILE, "config/settings.py"} <= paths
    assert any(not f.located for f in found)


# ---------------------------------------------------------------------------------------- SARIF

def test_sarif_is_valid_against_the_official_schema(sarif):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(Draft7Validator(schema, format_checker=FormatChecker()).iter_errors(sarif), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1


def test_every_result_is_placed_on_a_real_file_with_its_rule_and_fingerprint(scanned, sarif):
    repo, _, found = scanned
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["results"] and len(run["results"]) == len(found)
    for res in run["results"]:
        loc = res["locations"][0]["physicalLocation"]
        assert loc["region"]["startLine"] >= 1
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = loc["artifactLocation"]["uri"]
        assert URI_REFERENCE.match(uri), uri
        assert (repo / unquote(uri)).is_file(), uri
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert re.fullmatch(r"[0-9a-f]{32}", res["partialFingerprints"]["mlauditFindingHash/v1"])
        assert res["message"]["text"].strip()
    fingerprints = [r["partialFingerprints"]["mlauditFindingHash/v1"] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)
    assert sorted(r["id"] for r in rules) == sorted({f.check for f in found})
    for rule in rules:
        parsed = urlparse(rule["helpUri"])
        assert parsed.scheme == "https" and parsed.netloc, rule["helpUri"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert len(rule["shortDescription"]["text"]) <= 1024 and len(rule["fullDescription"]["text"]) <= 1024


def test_a_file_name_with_a_space_and_non_ascii_is_percent_encoded(sarif):
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "src/tr%C3%A4n%20ing.py" in uris
    hit = next(r for r in results_for(sarif, "ml-pitfalls/split-seeds") if uri_path(r) == SPACED)
    region = hit["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 5
    assert region["snippet"]["text"] == "X_tr, X_te = train_test_split(df)"


def test_a_notebook_finding_is_at_line_1_and_names_the_cell(sarif):
    hit = next(r for r in results_for(sarif, "ml-pitfalls/split-seeds") if uri_path(r) == NOTEBOOK)
    region = hit["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 1
    assert "snippet" not in region  # the cell's line is not line 1 of the .ipynb file
    assert "cell 2, line 3" in hit["message"]["text"]


def test_a_repository_level_failure_is_shown_on_the_readme_and_says_so(sarif):
    [hit] = results_for(sarif, NO_TESTS)
    assert uri_path(hit) == "README.md"
    assert hit["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert "repository as a whole" in hit["message"]["text"]


def test_levels_follow_severity_and_partial_is_a_note(sarif):
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ml-test-score/data-1"]["defaultConfiguration"]["level"] == "error"  # high
    assert rules["ml-pitfalls/split-seeds"]["defaultConfiguration"]["level"] == "warning"  # medium
    assert rules[SECRETS_CHECK]["defaultConfiguration"]["level"] == "error"  # critical
    assert {r["level"] for r in results_for(sarif, "ml-pitfalls/split-seeds")} == {"warning"}
    partial = results_for(sarif, PARTIAL_CHECK)
    assert partial and {r["level"] for r in partial} == {"note"}
    assert rules[PARTIAL_CHECK]["defaultConfiguration"]["level"] == "error"  # the rule keeps its severity


def test_only_the_secrets_check_is_a_security_rule_and_the_token_is_never_written(scanned, sarif):
    _, result, found = scanned
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    security = {i for i, r in rules.items() if "security-severity" in r["properties"]}
    assert security == {SECRETS_CHECK}
    assert float(rules[SECRETS_CHECK]["properties"]["security-severity"]) >= 9.0  # critical
    assert "security" in rules[SECRETS_CHECK]["properties"]["tags"]
    assert [uri_path(r) for r in results_for(sarif, SECRETS_CHECK)] == ["config/settings.py"]
    for text in (json.dumps(sarif), render_junit(result, found, fail_on="partial"), render_gitlab(result, found)):
        assert TOKEN not in text and TOKEN[4:20] not in text


def test_help_links_the_docs_for_built_in_checks_and_the_source_for_a_teams(sarif):
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mlaudit" and driver["informationUri"] == DOCS_URL
    assert rules[NO_TESTS]["helpUri"] == f"{DOCS_URL}#{anchor(NO_TESTS)}"
    assert rules[SECRETS_CHECK]["helpUri"].startswith("https://cheatsheetseries.owasp.org/")
    data1 = rules["ml-test-score/data-1"]
    assert data1["properties"]["tags"] == ["ml-test-score", "data", "ml"]
    assert data1["name"] == "MlTestScoreData1"
    assert "Sources:" in data1["help"]["text"] and "https://research.google/pubs/pub46555/" in data1["help"]["text"]
    assert "[The ML Test Score" in data1["help"]["markdown"] and "(<https://research.google/pubs/pub46555/>)" in data1["help"]["markdown"]


def test_help_markdown_escapes_everything_but_the_paper_links(sarif):
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == SECRETS_CHECK)
    md = rule["help"]["markdown"]
    assert "<script>" not in md and "<b>" not in md and "](javascript" not in md
    assert "\\<script\\>" in md and "\\[click\\]" in md
    assert "\\[click\\]" in rule["fullDescription"]["text"]  # plain text too: no embedded link to follow
    links = re.findall(r"\]\(<([^>]*)>\)", md)
    assert links == ["https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
                     rule["helpUri"]]
    assert "\x01" not in json.dumps(sarif, ensure_ascii=False)


def test_run_metadata(scanned, sarif):
    repo, _, _ = scanned
    run = sarif["runs"][0]
    assert run["automationDetails"]["id"] == "mlaudit/"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is True
    [note] = [n for n in invocation["toolExecutionNotifications"]
              if n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "notebooks/broken.ipynb"]
    assert note["level"] == "warning" and "invalid JSON" in note["message"]["text"]


def test_output_is_deterministic(scanned):
    _, result, found = scanned
    once = render_sarif(result, found, docs_url=DOCS_URL)
    assert once == render_sarif(result, list(reversed(found)), docs_url=DOCS_URL)
    assert render_gitlab(result, found) == render_gitlab(result, list(reversed(found)))
    assert render_junit(result, found, fail_on="fail") == render_junit(result, list(reversed(found)), fail_on="fail")


def test_no_findings_gives_empty_but_valid_reports(scanned):
    _, result, _ = scanned
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    log = json.loads(render_sarif(result, [], docs_url=DOCS_URL))
    assert not list(Draft7Validator(schema, format_checker=FormatChecker()).iter_errors(log))
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []
    assert json.loads(render_gitlab(result, [])) == []
    assert sum(s.tests for s in JUnitXml.fromstring(render_junit(result, [], fail_on="fail"))) == len(result.results)


def test_fingerprints_survive_lines_inserted_above_while_the_line_moves(tmp_path):
    repo = make_repo(tmp_path / "repo", repo_files())

    def spaced(log: dict) -> dict[str, int]:
        return {r["partialFingerprints"]["mlauditFindingHash/v1"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
                for r in log["runs"][0]["results"] if uri_path(r) == SPACED}

    def sarif_of(result) -> dict:
        return json.loads(render_sarif(result, findings(result), docs_url=DOCS_URL))

    before = sarif_of(scan(repo))
    path = repo / SPACED
    path.write_text("# a header comment\n# and another\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    git(repo, "commit", "-qam", "add a header")
    after = sarif_of(scan(repo))
    assert before and set(spaced(before)) == set(spaced(after))
    assert {spaced(after)[fp] - line for fp, line in spaced(before).items()} == {3}
    # Every other finding keeps its fingerprint too; the second commit only adds what history shows
    # (two commits, none through a pull request: now the review checks can judge).
    old = {r["partialFingerprints"]["mlauditFindingHash/v1"] for r in before["runs"][0]["results"]}
    new = {r["partialFingerprints"]["mlauditFindingHash/v1"]: r["ruleId"] for r in after["runs"][0]["results"]}
    assert old <= set(new)
    assert {new[fp] for fp in set(new) - old} <= {"ml-test-score/model-1", "mlops-challenges/code-review"}


def test_a_subfolder_scan_gives_paths_from_the_repository_root(tmp_path):
    top = make_repo(tmp_path / "mono", {"README.md": "# mono\n",
                                        "services/churn model/README.md": "# churn\n",
                                        f"services/churn model/{SPACED}": SPLIT + "X, Y = train_test_split(pd.read_csv('a'))\n"})
    result = scan(top / "services" / "churn model")
    assert result.target.prefix == "services/churn model/"
    found = findings(result)
    log = json.loads(render_sarif(result, found, docs_url=DOCS_URL))
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == top.as_uri() + "/"
    assert run["automationDetails"]["id"] == "mlaudit/services/churn model/"
    for res in run["results"]:
        assert (top / uri_path(res)).is_file()
        assert uri_path(res).startswith("services/churn model/")
    for issue in json.loads(render_gitlab(result, found)):
        assert (top / issue["location"]["path"]).is_file()


# ---------------------------------------------------------------------------------------- JUnit

def expected_kind(r, fail_on: str) -> str:
    if r.suppressed or r.status in (Status.not_observable, Status.not_applicable):
        return "skipped"
    if r.status is Status.fail or (r.status is Status.partial and fail_on == "partial"):
        return "failure"
    if r.status is Status.error:
        return "error"
    return "passed"


def kind(case) -> str:
    results = case.result
    if not results:
        return "passed"
    assert len(results) == 1
    return {Failure: "failure", Error: "error", Skipped: "skipped"}[type(results[0])]


@pytest.mark.parametrize("fail_on", ["fail", "partial", "never"])
def test_junit_has_a_suite_per_rubric_with_counts_that_match(scanned, fail_on):
    _, result, found = scanned
    xml = JUnitXml.fromstring(render_junit(result, found, fail_on=fail_on))
    suites = list(xml)
    assert [s.name for s in suites] == [r.id for r in result.rubrics]
    by_check = {r.check: r for r in result.results}
    for suite in suites:
        cases = list(suite)
        mine = [r for r in result.results if r.rubric == suite.name]
        assert len(cases) == len(mine) == suite.tests
        kinds = []
        for case in cases:
            check = case.name.split(": ", 1)[0]
            r = by_check[check]
            assert case.classname == f"{r.rubric}.{r.section}"
            assert kind(case) == expected_kind(r, fail_on), check
            kinds.append(kind(case))
        assert (suite.failures, suite.errors, suite.skipped) == (kinds.count("failure"), kinds.count("error"),
                                                                  kinds.count("skipped"))
    root = ET.fromstring(render_junit(result, found, fail_on=fail_on))
    assert int(root.get("tests")) == len(result.results)
    assert float(root.get("time")) == pytest.approx(result.stats["seconds"], abs=0.001)
    assert all(s.get("time") is None for s in root.iter("testsuite"))


def cases_by_check(xml: str) -> dict:
    return {case.name.split(": ", 1)[0]: case for suite in JUnitXml.fromstring(xml) for case in suite}


def test_junit_failures_list_the_evidence_and_skips_say_why(scanned):
    _, result, found = scanned
    cases = cases_by_check(render_junit(result, found, fail_on="fail"))
    [failure] = cases["ml-pitfalls/split-seeds"].result
    assert failure.type == "fail"
    assert f"{SPACED}:5: train_test_split" in failure.text
    assert f"{NOTEBOOK} cell 2, line 3: train_test_split" in failure.text
    [no_tests] = cases[NO_TESTS].result
    assert isinstance(no_tests, Failure) and no_tests.message == "The repository has no tests."
    [skipped] = cases["ml-pitfalls/test-set-isolation"].result
    assert isinstance(skipped, Skipped) and skipped.message.startswith("not observable: ")
    [ignored] = cases[IGNORED].result
    assert isinstance(ignored, Skipped) and "runs are tracked in the team wiki" in ignored.message
    partial = cases[PARTIAL_CHECK]
    assert not partial.result and "Some random splits take no seed." in partial.system_out


def test_junit_fail_on_partial_turns_partials_into_failures(scanned):
    _, result, found = scanned
    [failure] = cases_by_check(render_junit(result, found, fail_on="partial"))[PARTIAL_CHECK].result
    assert isinstance(failure, Failure) and failure.type == "partial"
    assert f"{SPACED}:5" in failure.text


def test_junit_error_status_is_an_error(scanned):
    _, result, found = scanned
    broken = result.model_copy(update={"results": [
        r.model_copy(update={"status": Status.error, "message": "probe secrets.committed failed: boom"})
        if r.check == SECRETS_CHECK else r for r in result.results]})
    xml = render_junit(broken, findings(broken), fail_on="fail")
    [error] = cases_by_check(xml)[SECRETS_CHECK].result
    assert isinstance(error, Error) and error.message == "probe secrets.committed failed: boom"
    team = next(s for s in JUnitXml.fromstring(xml) if s.name == "team")
    assert team.errors == 1


def test_junit_hostile_text_round_trips_safely(scanned):
    _, result, found = scanned
    xml = render_junit(result, found, fail_on="fail")
    assert "<script>" not in xml and "]]>" not in xml.replace("]]&gt;", "")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)
    cases = cases_by_check(xml)
    secret = cases[SECRETS_CHECK]
    assert secret.name == f"{SECRETS_CHECK}: {HOSTILE_TITLE.replace(chr(1), '')}"
    [failure] = secret.result
    assert "]]> <script>alert(1)</script>" in failure.message and "\x1b" not in failure.message
    [seeds] = cases["ml-pitfalls/split-seeds"].result
    assert "# ]]> <script>alert(1)</script>  end" in seeds.text  # the line's BEL and ESC are gone, the rest kept
    ET.fromstring(xml)  # a strict parser reads it too


# --------------------------------------------------------------------------------------- GitLab

def test_gitlab_issues_have_the_required_fields(scanned):
    repo, _, found = scanned
    _, result, _ = scanned
    issues = json.loads(render_gitlab(result, found))
    assert isinstance(issues, list) and len(issues) == len(found)
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"].strip()
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        path, begin = issue["location"]["path"], issue["location"]["lines"]["begin"]
        assert isinstance(path, str) and not path.startswith(("./", "/"))
        assert (repo / path).is_file(), path
        assert isinstance(begin, int) and not isinstance(begin, bool) and begin >= 1
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_severities_and_places(scanned):
    _, result, found = scanned
    issues = json.loads(render_gitlab(result, found))

    def of(check: str) -> list[dict]:
        return [i for i in issues if i["check_name"] == check]

    assert {i["severity"] for i in of("ml-test-score/data-1")} == {"critical"}  # high
    assert {i["severity"] for i in of("ml-pitfalls/split-seeds")} == {"major"}  # medium
    assert {i["severity"] for i in of(SECRETS_CHECK)} == {"blocker"}  # critical
    assert of(PARTIAL_CHECK) and {i["severity"] for i in of(PARTIAL_CHECK)} == {"minor"}  # high, but partial
    [nb] = [i for i in of("ml-pitfalls/split-seeds") if i["location"]["path"] == NOTEBOOK]
    assert nb["location"]["lines"]["begin"] == 1 and "cell 2, line 3" in nb["description"]
    [spaced] = [i for i in of("ml-pitfalls/split-seeds") if i["location"]["path"] == SPACED]
    assert spaced["location"]["lines"]["begin"] == 5
    [no_tests] = of(NO_TESTS)
    assert no_tests["location"] == {"path": "README.md", "lines": {"begin": 1}}
    assert "repository as a whole" in no_tests["description"]
    assert not of(IGNORED)  # suppressed


def test_a_finding_whose_check_the_result_does_not_hold_still_gets_a_rule(scanned):
    """A rule is described from the check's own result; without one (a finding carried from
    elsewhere), from the finding itself."""
    _, result, found = scanned
    orphan = found[0]
    kept = result.model_copy(update={"results": [r for r in result.results if r.check != orphan.check]})
    log = json.loads(render_sarif(kept, [f for f in found if f.check == orphan.check], docs_url=DOCS_URL))
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == orphan.check and rule["shortDescription"]["text"].startswith(orphan.title[:20])
    assert orphan.rubric in rule["properties"]["tags"]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert not list(Draft7Validator(schema, format_checker=FormatChecker()).iter_errors(log))
