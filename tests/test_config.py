"""The project config: .mlaudit.yaml or [tool.mlaudit], overridden by the command line."""

from __future__ import annotations

import pytest

from mlaudit.config import load_config, parse_size
from mlaudit.errors import ConfigError

RUBRIC = """\
id: team
title: Team checks
version: "1"
scoring: percentage
description: Our own.
references:
  handbook: {title: Team handbook, url: "https://example.com/handbook"}
sections:
  - {id: repro, title: Reproducibility}
checks:
  - id: seeded
    section: repro
    title: Training code sets seeds.
    rationale: Reproducible runs.
    remediation: Call a seeding helper.
    sources: [{ref: handbook, section: "2.1"}]
    probes: [seeds.set]
    rules:
      - {when: {seeds.set: true}, status: pass, message: Seeds are set.}
    otherwise: {status: fail, message: No seeds.}
"""


def test_yaml_config_errors_name_file_line_and_fix(tmp_path):
    cfg = tmp_path / ".mlaudit.yaml"
    cfg.write_text("rubrics: []\nmax_file_sise: 1MB\n")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert exc.value.problems == [f"{cfg}:2: max_file_sise: unknown key `max_file_sise` "
                                  "(did you mean `max_file_size`?)"]
    cfg.write_text("colour: blue\n")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert exc.value.problems == [f"{cfg}:1: colour: unknown key `colour` "
                                  "(known keys: rubrics, builtin_rubrics, max_file_size, attest, ignore, gates)"]
    cfg.write_text("max_file_size: lots\n")
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert exc.value.problems[0].startswith(f"{cfg}:1: max_file_size:")


def test_pyproject_section_and_line_numbers(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.mlaudit]\nmax_file_size = "1kB"\nbogus = 1\n')
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    assert exc.value.problems[0].startswith(f"{tmp_path / 'pyproject.toml'}:6: bogus: unknown key")
    (tmp_path / "pyproject.toml").write_text('[tool.mlaudit]\nmax_file_size = "1kB"\n')
    assert load_config(tmp_path).config.max_file_size == 1024


def test_no_config_gives_defaults_and_yaml_wins_over_pyproject(tmp_path):
    assert load_config(tmp_path).path is None
    (tmp_path / "pyproject.toml").write_text('[tool.mlaudit]\nmax_file_size = "1kB"\n')
    (tmp_path / ".mlaudit.yaml").write_text("max_file_size: 2kB\n")
    assert load_config(tmp_path).config.max_file_size == 2048


def test_sizes():
    assert [parse_size(s) for s in ("5MB", "500kB", "1048576", "1.5 MiB", 7)] == [5 * 2**20, 500 * 1024, 2**20,
                                                                                   int(1.5 * 2**20), 7]
    with pytest.raises(ValueError):
        parse_size("big")


def test_config_rubrics_and_size_reach_the_scan(repo_factory, cli):
    repo = repo_factory({".mlaudit.yaml": "rubrics: [checks/team.yaml]\nmax_file_size: 10B\n",
                         "checks/team.yaml": RUBRIC, "train.py": "import random\nrandom.seed(1)\n"})
    code, out, err = cli("scan", str(repo), "--format", "json", "-o", "-", "-q")
    assert code == 0, err
    import json

    result = json.loads(out)
    assert any(r["check"] == "team/seeded" and r["status"] == "not_applicable" for r in result["results"])
    assert any(w["path"] == "train.py" and "limit" in w["message"] for w in result["warnings"])
    code, out, _ = cli("scan", str(repo), "--format", "json", "-o", "-", "-q", "--max-file-size", "1MB")
    assert next(r for r in json.loads(out)["results"] if r["check"] == "team/seeded")["status"] == "pass"


def test_bad_config_exits_2_with_the_line(repo_factory, cli):
    repo = repo_factory({".mlaudit.yaml": "rubrics: [a.yaml\n"})
    code, _, err = cli("scan", str(repo))
    assert code == 2
    assert ".mlaudit.yaml:2:" in err and "YAML" in err


def test_a_repository_cannot_replace_a_built_in_rubric(repo_factory, cli):
    fake = RUBRIC.replace("id: team", "id: ml-test-score", 1)
    repo = repo_factory({".mlaudit.yaml": "builtin_rubrics: false\nrubrics: [fake.yaml]\n", "fake.yaml": fake})
    code, _, err = cli("scan", str(repo))
    assert code == 2 and "rubric id `ml-test-score` is mlaudit's own" in err


def test_custom_rubrics_are_named_with_their_origin(repo_factory, cli):
    repo = repo_factory({"checks/team.yaml": RUBRIC, "train.py": "import random\nrandom.seed(1)\n"})
    code, out, err = cli("scan", str(repo), "--rubric", str(repo / "checks/team.yaml"), "--format", "json", "-o", "r.json")
    assert code == 0, err
    assert f"(team, from {repo / 'checks/team.yaml'})" in out
