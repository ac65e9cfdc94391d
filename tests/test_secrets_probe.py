"""secrets.committed on real git repositories: file kinds the annotated fixtures cannot express
(JSON, PEM files, notebook outputs, binaries, lock and vendored files), the values, and the rule
that a secret is never printed. Tokens are generated here so this file holds none."""

from __future__ import annotations

import json
import random
import string

from conftest import notebook

from mlaudit.checks.schema import ProbeUse
from mlaudit.probes.model import Outcome
from mlaudit.scan import ScanOptions, Session, run_probes

PROBE = "secrets.committed"
ALNUM = string.ascii_letters + string.digits
_rnd = random.Random(7)


def rand(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rnd.choice(alphabet) for _ in range(n))


def github_token() -> str:
    return "ghp_" + rand(36)


def pem(kind: str = "RSA ") -> str:
    body = "\n".join(rand(64, ALNUM + "+/") for _ in range(6))
    return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----\n"


def scan(path, **params):
    session = Session.open(path, ScanOptions(use_cache=False))
    try:
        return session.runner.run(ProbeUse(id=PROBE, params=params)), session.warnings()
    finally:
        session.close()


def found(result) -> set[tuple[str, int | None, int | None]]:
    return {(e.path, e.line, e.cell) for e in result.evidence}


def test_service_account_json_is_one_finding_at_its_private_key(repo_factory):
    account = {"type": "service_account", "project_id": "ml-prod", "private_key_id": rand(40, "0123456789abcdef"),
               "private_key": pem(""), "client_email": "trainer@ml-prod.iam.gserviceaccount.com"}
    placeholder = {**account, "private_key": "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"}
    repo = repo_factory({"keys/sa.json": json.dumps(account, indent=2),
                         "docs_keys/sa-template.json": json.dumps(placeholder, indent=2)})
    result, _ = scan(repo)
    assert result.outcome is Outcome.true
    assert found(result) == {("keys/sa.json", 5, None)}
    assert result.evidence[0].detail.startswith("GCP service-account key")
    assert result.values["kinds"] == ["GCP service-account key"]


def test_pem_files_with_key_material_count_and_descriptions_do_not(repo_factory):
    repo = repo_factory({
        "deploy/id_rsa": pem("OPENSSH "),
        "deploy/server.key": pem(),
        "README.md": ("Paste your key:\n\n    -----BEGIN RSA PRIVATE KEY-----\n    ...\n"
                      "    -----END RSA PRIVATE KEY-----\n"),
        "deploy/server.crt": "-----BEGIN CERTIFICATE-----\n" + rand(64) + "\n-----END CERTIFICATE-----\n",
    })
    result, _ = scan(repo)
    assert found(result) == {("deploy/id_rsa", 1, None), ("deploy/server.key", 1, None)}
    # certificates are public: not read
    assert result.values == {"findings": 2, "kinds": ["private key"], "files_scanned": 3}


def test_a_secret_is_never_printed(repo_factory):
    tokens = [github_token(), "hf_" + rand(34, string.ascii_letters), "sk-proj-" + rand(60),
              rand(40, "0123456789abcdef")]
    repo = repo_factory({"train.py": (
        f'GH = "{tokens[0]}"\nHF = "{tokens[1]}"\nOPENAI = "{tokens[2]}"\n'
        f'import os\nos.environ["WANDB_API_KEY"] = "{tokens[3]}"\n')})
    result, _ = scan(repo)
    assert result.values["findings"] == 4
    shown = " ".join(e.detail for e in result.evidence) + json.dumps(result.values)
    for token in tokens:
        # no run of 6 characters of the secret appears beyond its public prefix
        for i in range(4, len(token) - 6):
            assert token[i:i + 6] not in shown
    assert "GitHub token ghp_… (40 chars)" in shown
    assert "Weights & Biases API key (40 chars)" in shown  # no public prefix: length only


def test_notebook_outputs_are_read_and_reported_by_cell(repo_factory):
    token = github_token()
    nb = notebook([("code", "import os\nprint(os.environ)", 1), ("code", "x = 1", 2)],
                  outputs={0: [{"output_type": "stream", "name": "stdout", "text": [f"{{'GH_TOKEN': '{token}'}}\n"]}],
                           1: [{"output_type": "display_data", "metadata": {},
                                "data": {"image/png": rand(400, ALNUM + "+/"), "text/plain": ["<Figure>"]}}]})
    repo = repo_factory({"explore.ipynb": nb})
    result, _ = scan(repo)
    assert found(result) == {("explore.ipynb", None, 0)}
    assert "saved output" in result.evidence[0].detail


def test_binary_data_lock_minified_and_vendored_files_are_skipped_without_warnings(repo_factory):
    token = github_token()
    repo = repo_factory({
        "data/train.csv": f"id,comment\n1,{token}\n",
        "assets/logo.png": b"\x89PNG\r\n\x1a\n\0\0" + token.encode() + bytes(range(256)),
        "weights/model.bin": b"\0\1\2" + token.encode(),
        "poetry.lock": f'[[package]]\nname = "x"\ntoken = "{token}"\n',
        "web/app.min.js": f'var k="{token}";',
        "vendor/lib/client.py": f'TOKEN = "{token}"\n',
        "src/train.py": "print('no secrets here')\n",
    })
    result, warnings = scan(repo)
    assert result.outcome is Outcome.false
    assert warnings == []
    assert result.values["files_scanned"] == 1
    vendored, _ = scan(repo, include_vendored=True)
    assert found(vendored) == {("vendor/lib/client.py", 1, None), ("web/app.min.js", 1, None)}


def test_untracked_env_file_is_reported_as_about_to_be_committed(repo_factory):
    repo = repo_factory({"train.py": "import os\nkey = os.environ['API_KEY']\n"})
    (repo / ".env").write_text(f"API_KEY={rand(24)}\n")
    result, _ = scan(repo)
    assert found(result) == {(".env", 1, None)}
    assert "not committed yet" in result.evidence[0].detail


def test_aws_key_id_needs_a_secret_next_to_it(repo_factory):
    key_id = "AKIA" + rand(16, string.ascii_uppercase + string.digits)
    repo = repo_factory({
        "alone.py": f'# the bucket policy names this principal\nPRINCIPAL = "{key_id}"\n',
        "pair.ini": f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {rand(40, ALNUM + '/+')}\n",
        "documented.ini": "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                          "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    })
    result, _ = scan(repo)
    assert found(result) == {("pair.ini", 2, None)}
    assert result.values["kinds"] == ["AWS access key"]


def test_azure_connection_string_but_not_the_azurite_development_key(repo_factory):
    azurite = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")
    repo = repo_factory({"settings.yaml": (
        f"prod: DefaultEndpointsProtocol=https;AccountName=ml;AccountKey={rand(86, ALNUM + '+/')}==\n"
        f"local: DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={azurite}\n")})
    result, _ = scan(repo)
    assert found(result) == {("settings.yaml", 1, None)}


def test_in_tests_only_known_formats_count(repo_factory):
    repo = repo_factory({"tests/test_api.py": (
        f'TOKEN = "{github_token()}"\n'
        f'PASSWORD = "{rand(16)}"\n'
        f'FAKE_TOKEN = "{github_token()}"\n'
        "def test_x():\n    assert TOKEN\n")})
    result, _ = scan(repo)
    assert found(result) == {("tests/test_api.py", 1, None)}


def test_evidence_is_capped_but_every_finding_is_counted(repo_factory):
    lines = "".join(f'T{i} = "{github_token()}"\n' for i in range(60))
    repo = repo_factory({"leaky.py": lines})
    result, _ = scan(repo)
    assert result.values["findings"] == 60
    assert len(result.evidence) == 50


def test_not_applicable_without_text_files(repo_factory):
    repo = repo_factory({"model.bin": b"\0\1\2\3"})
    result, _ = scan(repo)
    assert result.outcome is Outcome.not_applicable


def test_run_probes_reports_placeholders_as_false(repo_factory):
    repo = repo_factory({
        ".env.example": "OPENAI_API_KEY=sk-your-key-here\nHF_TOKEN=<your-token>\nDB_PASSWORD=changeme\n",
        "config.py": 'import os\nAPI_KEY = os.environ.get("API_KEY", "YOUR_API_KEY")\npad_token = "[PAD]"\n',
    })
    _, results = run_probes(repo, ScanOptions(use_cache=False), [PROBE])
    assert results[PROBE].outcome is Outcome.false
    assert results[PROBE].values == {"findings": 0, "kinds": [], "files_scanned": 2}
