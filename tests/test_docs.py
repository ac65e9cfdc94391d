"""The generated check reference (docs/checks.md) and the rubric-author guide (docs/check-schema.md).

docs/checks.md is generated from the rubric YAML and the probes' docstrings; these tests fail when
the committed file is stale, and tie its anchors to the ids the HTML report gives findings. The
worked example in docs/check-schema.md is built from the page and run, so it cannot rot.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from conftest import EXAMPLE, ROOT

from mlaudit.checks.loader import load_rubrics
from mlaudit.probes.registry import all_probes
from mlaudit.renderers.check_docs import COMMAND, anchor, probe_anchor, render_check_docs
from mlaudit.rubric_commands import render_docs

CHECKS_MD = ROOT / "docs" / "checks.md"
SCHEMA_MD = ROOT / "docs" / "check-schema.md"


def test_committed_check_reference_is_up_to_date():
    generated = render_docs([])
    committed = CHECKS_MD.read_text(encoding="utf-8") if CHECKS_MD.exists() else ""
    if committed != generated:
        diff = "".join(list(difflib.unified_diff(committed.splitlines(True), generated.splitlines(True),
                                                 "docs/checks.md (committed)", "generated", n=1))[:40])
        raise AssertionError(f"docs/checks.md is stale: run `{COMMAND}` and commit the result.\n{diff}")


def test_docs_check_flag(cli, tmp_path):
    fresh = tmp_path / "fresh.md"
    assert cli("rubrics", "docs", "-o", str(fresh))[0] == 0
    code, out, _ = cli("rubrics", "docs", "-o", str(fresh), "--check")
    assert code == 0 and out.strip() == f"{fresh} is up to date"

    stale = tmp_path / "checks.md"
    stale.write_text("# old\n", encoding="utf-8")
    code, _, err = cli("rubrics", "docs", "-o", str(stale), "--check")
    assert code == 1
    assert f"{stale} is stale: run `mlaudit rubrics docs -o {stale}`" in err
    assert stale.read_text(encoding="utf-8") == "# old\n"  # --check writes nothing

    code, _, err = cli("rubrics", "docs", "--check")
    assert code == 2 and "--check needs --output" in err


def test_docs_are_written_or_printed_and_deterministic(cli, tmp_path):
    target = tmp_path / "out" / "checks.md"
    code, out, _ = cli("rubrics", "docs", "-o", str(target))
    assert code == 0 and out.strip() == f"wrote {target}"
    code, printed, _ = cli("rubrics", "docs")
    assert code == 0
    assert printed == target.read_text(encoding="utf-8") == render_docs([])
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", printed)  # no generation date: regenerating changes nothing


def test_every_check_and_probe_has_one_explicit_anchor():
    text = render_docs([])
    ids = re.findall(r'<a id="([^"]+)"></a>', text)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    for lr in load_rubrics():
        assert f"rubric-{lr.rubric.id}" in ids
        for c in lr.rubric.checks:
            assert anchor(f"{lr.rubric.id}/{c.id}") in ids
            assert f"#### `{c.id}` " in text
    for pid, spec in all_probes().items():
        assert probe_anchor(pid) in ids
        assert f"**{spec.question}**" in text or spec.question.replace("*", "\\*") in text
    # every in-page link leads to an anchor that exists
    broken = sorted({m for m in re.findall(r"\]\(#([^)]+)\)", text) if m not in ids})
    assert not broken, broken


def test_html_report_findings_link_to_the_same_anchors(tmp_path):
    """A finding's id in the HTML report is the check's anchor in docs/checks.md."""
    from mlaudit.renderers.html_report import render_html
    from mlaudit.scan import ScanOptions, run_scan

    result = run_scan(EXAMPLE, ScanOptions(use_cache=False))
    html = render_html(result, tmp_path / "report.html")
    finding_ids = re.findall(r'<details class="finding[^"]*" id="([^"]+)"', html)
    assert len(finding_ids) == len(result.results)
    docs_ids = set(re.findall(r'<a id="([^"]+)"></a>', CHECKS_MD.read_text(encoding="utf-8")))
    assert set(finding_ids) <= docs_ids
    assert {anchor(r.check) for r in result.results} == set(finding_ids)


def test_the_check_table_shows_rules_in_order_with_otherwise_last():
    lr = next(lr for lr in load_rubrics() if lr.rubric.id == "notebooks")
    check = next(c for c in lr.rubric.checks if c.id == "execution-order")
    text = render_check_docs([lr], all_probes(), all_probes=False)
    section = text[text.index(f'<a id="{anchor("notebooks/execution-order")}">'):]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:len(check.rules) + 2]
    assert rows[-1].startswith("| otherwise | `") and check.otherwise.message.split()[0] in rows[-1]
    assert rows[0].startswith("| `notebooks.out_of_order` is true | `fail` |")
    # without all_probes (a team's docs), only the probes its checks read are documented
    used = {u.id for c in lr.rubric.checks for u in c.probe_uses()}
    assert set(re.findall(r'<a id="(probe-[^"]+)"></a>', text)) == {probe_anchor(p) for p in used}


def test_markdown_special_characters_in_yaml_stay_literal():
    from mlaudit.renderers.check_docs import _cell, _md

    assert _md("globs like test_*.py and *.ipynb, <rubric>, `keep *this*`") == (
        "globs like test\\_\\*.py and \\*.ipynb, &lt;rubric>, `keep *this*`")
    assert _md("# not a heading\n- not a list") == "\\# not a heading\n\\- not a list"
    assert _md("snake_case stays") == "snake_case stays"
    assert _cell("a | b\nc") == "a \\| b c"


# -- the worked example in docs/check-schema.md ------------------------------------------------
def _worked_example(root: Path) -> Path:
    """Write every code block the page marks with `<!-- file: PATH -->` under root."""
    text = SCHEMA_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- file: (\S+) -->\n```[\w-]*\n(.*?)```", text, re.DOTALL)
    assert blocks, "no <!-- file: ... --> blocks in docs/check-schema.md"
    for rel, body in blocks:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return root / "team.yaml"


def test_worked_example_validates_and_its_fixtures_pass(cli, tmp_path):
    rubric = _worked_example(tmp_path / "ci" / "mlaudit")

    code, out, err = cli("validate", str(rubric.parent))
    assert code == 0, err
    assert out.strip() == f"{rubric}: ok (team, 3 checks)"

    code, out, err = cli("rubrics", "test", str(rubric))
    assert code == 0, out + err
    assert out.splitlines()[-1] == f"5 fixtures in {rubric.parent / 'fixtures'}: 5 ok, 0 failed"


def test_worked_example_documents_itself(cli, tmp_path):
    rubric = _worked_example(tmp_path / "ci" / "mlaudit")
    code, out, _ = cli("rubrics", "docs", str(rubric.parent))
    assert code == 0
    assert '<a id="team--seeded-splits"></a>' in out and '<a id="team--rollback-plan"></a>' in out
    assert "No probe can see this: it is always `not_observable`." in out
    assert "`globs: [reports/*.md]`" in out  # the probe's parameters as the check sets them
    assert out.startswith("<!-- Generated by `mlaudit rubrics docs` from")
    probes = set(re.findall(r'<a id="probe-([^"]+)"></a>', out))
    assert probes == {"splits-unseeded", "results-documented"}
