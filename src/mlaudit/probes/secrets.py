"""Credentials committed to the repository (ML Test Score Data 5: privacy controls; a committed key is a
hard finding whatever else the project does).

Precision first: a token is reported only when it has a known format (a provider's prefix, a PEM
block with key material, a service-account file) or a secret-looking name *and* a value that looks
random. Placeholders, documented dummy keys, references to the environment and values marked fake
are told apart. The secret itself is never shown: only its kind, its first four characters and its
length.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.probes.context import ProbeContext, is_test_path
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe
from mlaudit.repository import RepoFile

MAX_EVIDENCE = 50
MAX_TEXT_BYTES = 1_000_000  # a text file larger than this is data or generated, not configuration

CODE_SUFFIXES = frozenset({".py", ".pyw", ".ipynb"})
# Code where a secret is a quoted literal: an unquoted value is a variable, not a secret.
QUOTED_SUFFIXES = frozenset({
    ".py", ".pyw", ".ipynb", ".js", ".mjs", ".cjs", ".ts", ".jsx", ".tsx", ".java", ".scala", ".kt", ".go",
    ".rs", ".rb", ".php", ".r", ".jl", ".cs", ".c", ".h", ".cpp", ".hpp", ".swift", ".lua", ".pl", ".groovy",
})
# Configuration where `name: value` / `name=value` assigns a value as written.
CONFIG_SUFFIXES = frozenset({
    ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".properties", ".env", ".json", ".tfvars", ".tf",
    ".hcl", ".sh", ".bash", ".zsh", ".ps1", ".bat", ".cmd", ".gradle", ".xml", ".sql",
})
# Prose and markup: only tokens with a known format are looked for.
DOC_SUFFIXES = frozenset({".md", ".rst", ".txt", ".html", ".htm", ".adoc", ".tex", ".pem", ".key", ".p8", ".asc"})
CONFIG_NAMES = frozenset({
    "dockerfile", "makefile", "jenkinsfile", "procfile", "credentials", ".netrc", ".pypirc", ".npmrc",
    ".dockercfg", ".s3cfg", ".boto", ".envrc", ".gitconfig", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
})
LOCK_NAMES = frozenset({
    "poetry.lock", "pipfile.lock", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "uv.lock", "pdm.lock",
    "cargo.lock", "composer.lock", "gemfile.lock", "go.sum", "conda-lock.yml", "npm-shrinkwrap.json",
})
VENDOR_DIRS = frozenset({
    "vendor", "vendors", "vendored", "third_party", "thirdparty", "third-party", "node_modules",
    "bower_components", "external", "externals",
})
MINIFIED = (".min.js", ".min.css", ".bundle.js", ".js.map", ".css.map", ".min.map")
TEMPLATE_ENDINGS = (".example", ".sample", ".template", ".tmpl", ".tpl", ".dist", ".defaults", ".default")
# Tests, fixtures, examples and docs: values there are mostly made up, so only known formats count.
SAMPLE_DIRS = frozenset({"fixtures", "fixture", "testdata", "test_data", "mocks", "mock", "examples", "example",
                         "samples", "sample", "docs", "doc"})

# Documented dummy credentials (AWS, Azurite, Stripe and GitHub documentation).
DOCUMENTED_DUMMIES = frozenset({
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_BQokikJOvBiI2HlWgH4olfQ2", "sk_test_26PHem9AhJZvU623DfE1x4sd",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
})


@dataclass(frozen=True)
class Rule:
    """A token with a known format. `needles` are lowercase literals one of which any match contains
    (a fast `in` test skips the regex for most files); `body` is where the random part starts."""

    kind: str
    pattern: re.Pattern[str]
    needles: tuple[str, ...]
    body: int = 0
    hexy: bool = False  # the random part is hex: its entropy is lower by nature
    cases: bool = False  # the random part must mix upper and lower case
    digits: bool = False  # ... and contain digits
    bounded: bool = True  # must not continue a longer word, token or base64 run on the left


def _rule(kind: str, pattern: str, needles: str | tuple[str, ...], **kw) -> Rule:
    return Rule(kind, re.compile(pattern), (needles,) if isinstance(needles, str) else needles, **kw)


# Patterns start with their literal so the regex engine can jump to it; the left boundary is
# checked in code (a leading look-behind would make every position a candidate).
_E = r"(?![A-Za-z0-9_-])"
_ASSIGNED = r"[\"']?\s*\]?\s*[:=]\s*[\"']?"  # NAME = "v", "NAME": "v", ["NAME"] = "v", NAME: v
TOKEN_RULES = (
    _rule("GitHub token", r"(gh[pousr]_[A-Za-z0-9]{36})" + _E, ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
          body=4, cases=True),
    _rule("GitHub token", r"(github_pat_[A-Za-z0-9_]{60,})" + _E, "github_pat_", body=11, cases=True),
    _rule("GitLab token", r"(glpat-[A-Za-z0-9_-]{20,})" + _E, "glpat-", body=6),
    _rule("Slack token", r"(xox[abpr]-[0-9]{6,}-[A-Za-z0-9-]{10,})" + _E, "xox", body=5),
    _rule("Slack webhook URL", r"(https://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,})",
          "hooks.slack.com", body=33, bounded=False),
    _rule("Anthropic API key", r"(sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,})" + _E, "sk-ant-", body=14),
    _rule("OpenAI API key", r"(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})" + _E, "sk-", body=8, cases=True),
    _rule("OpenAI API key", r"(sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})" + _E, "t3blbkfj", body=3),
    _rule("OpenAI API key", r"(sk-[A-Za-z0-9]{32,64})" + _E, "sk-", body=3, cases=True, digits=True),
    _rule("HuggingFace token", r"(hf_[A-Za-z0-9]{30,40})" + _E, "hf_", body=3, cases=True),
    _rule("Google API key", r"(AIza[0-9A-Za-z_-]{35})" + _E, "aiza", body=4),
    _rule("Stripe secret key", r"((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,})" + _E, ("k_live_", "k_test_"),
          body=8, cases=True),
    _rule("PyPI token", r"(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})" + _E, "pypi-", body=20),
    _rule("npm token", r"(npm_[A-Za-z0-9]{36})" + _E, "npm_", body=4, cases=True),
    _rule("Azure storage account key", r"(?i:AccountKey)=([A-Za-z0-9+/]{40,}={0,2})", "accountkey=", bounded=False),
    _rule("Weights & Biases API key", r"(?i:WANDB_API_KEY)" + _ASSIGNED + r"([0-9a-f]{40})(?![0-9A-Za-z])",
          "wandb_api_key", hexy=True, bounded=False),
    _rule("Weights & Biases API key", r"wandb\.login\([^)\n]*?key\s*=\s*[\"']([0-9a-f]{40})[\"']", "wandb.login",
          hexy=True, bounded=False),
    _rule("Weights & Biases API key", r"wandb\s+login\s+(?:--?[a-z-]+\s+)*([0-9a-f]{40})(?![0-9A-Za-z])", "wandb",
          hexy=True, bounded=False),
    _rule("Kaggle API key", r"\"username\"\s*:\s*\"[^\"\n]*\"\s*,\s*\"key\"\s*:\s*\"([0-9a-f]{32})\"", "\"username\"",
          hexy=True, bounded=False),
    _rule("Kaggle API key", r"(?i:KAGGLE_KEY)" + _ASSIGNED + r"([0-9a-f]{32})(?![0-9A-Za-z])", "kaggle_key",
          hexy=True, bounded=False),
    _rule("AWS secret access key",
          r"(?i:aws_?secret_?(?:access_?)?key|secretaccesskey)" + _ASSIGNED + r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
          ("secret",), cases=True, bounded=False),
)
_LEFT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/-")
AWS_KEY_ID = re.compile(r"((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Za-z0-9/+])")
AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")
PRIVATE_KEY = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----")
SERVICE_ACCOUNT = re.compile(r"[\"']type[\"']\s*:\s*[\"']service_account[\"']")
SA_PRIVATE_KEY = re.compile(r"[\"']private_key[\"']\s*:\s*[\"']-----BEGIN")

# Lowercase literals for the cheap first pass: most files contain none and are not looked at further.
GENERIC_NEEDLES = ("pass", "pwd", "secret", "token", "key", "auth")
NEEDLES = tuple(sorted({n for r in TOKEN_RULES for n in r.needles} | {"akia", "asia", "-----begin"}))
NAME_HINT = re.compile("|".join(GENERIC_NEEDLES))  # searched in the lowercased text
ASSIGN = re.compile(
    # Possessive `*+`: runs of spaces must not be split between neighbouring `\s*` in every way
    # (a line of padding would take minutes to reject).
    r"(?P<name>[A-Za-z_][A-Za-z0-9_.-]*+)[\"']?\s*+\]?\s*+(?::\s*+[A-Za-z_][\w\[\].,|]*+(?:[ ]++[\w\[\].,|]++)*+\s*+)?"
    r"(?P<op>:=|=>|==|=|:)\s*+(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'#,;)}\]]+)")

# Words that mark a value, or the line around it, as a stand-in.
FAKE_VALUE = re.compile(
    r"(?i)example|sample|dummy|fake|placeholder|change_?me|replace|your|insert|redacted|xxxx|\*\*\*|\.\.\.|"
    r"<|>|todo|mock|not_?a?_?real|here$")
FAKE_GENERIC_VALUE = re.compile(
    r"(?i)test|demo|secret|passw|token|api_?key|default|local|admin|qwerty|letmein|hunter|django-insecure")
# ("example.com" is a domain on a line, not a word about the value)
FAKE_LINE = re.compile(r"(?i)\b(?:fake|dummy|example(?!\.(?:com|org|net)\b)|placeholder|sample|redacted|not a real)\b")
FAKE_CONTEXT = re.compile(r"(?i)fake|dummy|mock|example|sample|placeholder|not[ _-]?real|bogus|invalid")
REFERENCE = re.compile(r"\$\{|\{\{|\{%|%\(|\$\(|^\$|^!|^%|^@|[<>{}]")
REFERENCE_PREFIXES = ("env:", "vault:", "secret:", "secrets.", "arn:", "projects/", "op://", "sm://", "enc[", "file:",
                      "os.environ", "getenv", "process.env")
FILE_LIKE = re.compile(r"(?i)\.(?:json|txt|pem|key|crt|cer|yaml|yml|env|cfg|ini|p12|pfx|toml|pkl|pickle|gpg|asc|pub)$")
BASE64 = re.compile(r"[A-Za-z0-9+/]{30,}={0,2}")

PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase"})
TOKEN_QUALIFIERS = frozenset({
    "access", "auth", "api", "bearer", "refresh", "hf", "hub", "huggingface", "github", "gh", "gitlab", "slack",
    "bot", "secret", "private", "oauth", "session", "client", "app", "service", "personal", "wandb", "kaggle",
    "telegram", "discord", "pypi", "npm", "jwt", "security", "upload", "deploy", "write", "master", "admin",
})
KEY_QUALIFIERS = frozenset({
    "api", "access", "secret", "private", "account", "auth", "client", "master", "subscription", "signing", "app",
    "service", "storage", "encryption", "sas",
})
JOINED = {"apikey": "key", "secretkey": "key", "accesskey": "key", "privatekey": "key", "authtoken": "token",
          "accesstoken": "token", "apitoken": "token", "hftoken": "token", "clientsecret": "secret",
          "appsecret": "secret"}


@dataclass(frozen=True)
class Finding:
    line: int | None  # 1-based; None for a notebook cell's output
    cell: int | None
    kind: str
    detail: str


def entropy(s: str) -> float:
    """Shannon entropy in bits per character."""
    if not s:
        return 0.0
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def _ascending_run(s: str, length: int = 6) -> bool:
    run = 1
    for a, b in zip(s, s[1:]):
        run = run + 1 if ord(b) == ord(a) + 1 else 1
        if run >= length:
            return True
    return False


def looks_fake(body: str, *, hexy: bool = False) -> bool:
    """A stand-in rather than a generated secret: marked, repetitive, sequential or low in entropy."""
    if FAKE_VALUE.search(body) or re.search(r"(.)\1{4,}", body) or _ascending_run(body):
        return True
    if len(set(body)) < min(len(body) // 4, 10):
        return True
    return entropy(body) < (3.0 if hexy else 3.5)


def identifier_like(s: str) -> bool:
    """CamelCase words (`LlamaForCausalLMWithValueHead`, `applicationId`), not random letters: its
    words average four letters or more. Random mixed-case letters rarely do (under 1% of 34-letter
    tokens, 6-9% of 12-16-letter ones: those are missed)."""
    if not s.isalpha():
        return False
    parts = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", s)
    return len(s) / len(parts) >= 4


def words(value: str) -> bool:
    """Words joined by separators ("my-secret-name", "serverlessrepo:applicationId"), not random text."""
    pieces = [p for p in re.split(r"[^A-Za-z0-9]+", value) if p]
    return bool(pieces) and all(p.isalpha() and (p.islower() or p.isupper() or p[1:].islower() or identifier_like(p))
                                for p in pieces)


def mask(token: str, prefixed: bool = True) -> str:
    """First four characters and length; a token without a public prefix shows its length only."""
    return f"{token[:4]}… ({len(token)} chars)" if prefixed else f"({len(token)} chars)"


def secret_name(name: str, *, loose: bool = False) -> str | None:
    """The kind of secret a variable or key name says it holds (`api_key` → "key"), or None.

    The last word decides: `pad_token`, `max_tokens`, `tokenizer` and `key_path` hold no secret.
    `loose` (a committed .env file) also takes `*_PASS` and any `*_KEY` but a public one.
    """
    segment = name.rsplit(".", 1)[-1]
    parts = [p.lower() for p in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", segment)]
    if not parts:
        return None
    last, prev = parts[-1], parts[-2] if len(parts) > 1 else None
    if last in JOINED:
        return JOINED[last]
    if last in PASSWORD_WORDS or (loose and last == "pass"):
        return "password"
    if last == "secret" and prev not in ("is", "has", "use", "no", "show"):
        return "secret"
    if last == "token" and (prev is None or prev in TOKEN_QUALIFIERS or loose):
        return "token"
    if last == "key" and (prev in KEY_QUALIFIERS or (loose and prev not in (None, "public", "ssh"))):
        return "key"
    return None


def plausible_value(value: str, kind: str, *, loose: bool = False) -> bool:
    """A value that could be a real secret: long enough, random-looking, not a reference or a stand-in."""
    if len(value) < (8 if loose else 10 if kind == "password" else 16) or len(value) > 200:
        return False
    low = value.lower()
    if any(ch.isspace() for ch in value) or REFERENCE.search(value) or low.startswith(REFERENCE_PREFIXES):
        return False
    if "://" in value or value.startswith(("/", "./", "../", "~", "\\")) or FILE_LIKE.search(value):
        return False
    if "/" in value and not BASE64.fullmatch(value):
        return False  # a path or a model id ("org/model"), not base64
    if value in DOCUMENTED_DUMMIES or words(value):
        return False
    if FAKE_VALUE.search(value) or FAKE_GENERIC_VALUE.search(value) or re.search(r"(.)\1{3,}", value) \
            or _ascending_run(value, 5):
        return False
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                   any(c.isdigit() for c in value), any(not c.isalnum() for c in value)))
    has_digit = any(c.isdigit() for c in value)
    if not ((has_digit and classes >= 2) or classes >= 3 or (classes == 2 and (loose or len(value) >= 16))):
        return False
    return entropy(value) >= (2.5 if loose else 3.0 if kind == "password" else 3.3)


class Lines:
    """Offsets → 1-based line numbers, and line text by number."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def number(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line(self, n: int) -> str:
        start = self.starts[n - 1]
        end = self.starts[n] - 1 if n < len(self.starts) else len(self.text)
        return self.text[start:end]

    def around(self, n: int, radius: int) -> str:
        lo, hi = max(1, n - radius), min(len(self.starts), n + radius)
        start = self.starts[lo - 1]
        end = self.starts[hi] if hi < len(self.starts) else len(self.text)
        return self.text[start:end]


def _key_material(after: str) -> bool:
    """Whether a PEM header is followed by real key material, not `...` or a description."""
    end = after.find("-----END")
    body = after[:end if end >= 0 else 4000]
    body = re.sub(r"\\[nr]|[\s\"'+,]", "", body)
    if "EXAMPLE" in body:
        return False  # AWS documentation's sample keys
    run = max((m.group(0) for m in re.finditer(r"[A-Za-z0-9+/]{64,}", body)), key=len, default="")
    return bool(run) and entropy(run) >= 4.5


@dataclass
class Scan:
    """How one text is scanned: which rules apply and what marks a value as a stand-in."""

    generic: str | None  # None (known formats only) | "quoted" (code) | "config" | "env" (a real .env file)
    test: bool  # tests, fixtures, examples, docs: only known formats count, unless marked fake nearby
    cell: int | None = None
    in_output: bool = False

    def run(self, text: str) -> list[Finding]:
        low = text.lower()
        generic = bool(self.generic) and not self.test and any(n in low for n in GENERIC_NEEDLES)
        rules = [r for r in TOKEN_RULES if any(n in low for n in r.needles)]
        keys = "-----begin" in low
        aws = "akia" in low or "asia" in low
        if not (generic or rules or keys or aws):
            return []
        lines = Lines(text)
        found: dict[int, Finding] = {}
        covered: set[int] = set()  # lines already explained by a more specific finding

        def add(offset: int, kind: str, detail: str) -> None:
            n = lines.number(offset)
            if n in found or n in covered:
                return
            # In tests, a fixture says so on its line or in a comment just above.
            above = lines.line(n - 1).lstrip() if n > 1 else ""
            if FAKE_LINE.search(lines.line(n)) or (self.test and FAKE_CONTEXT.search(
                    lines.line(n) + (above if above.startswith(("#", "//")) else ""))):
                return
            found[n] = Finding(None if self.in_output else n, self.cell, kind, detail)

        if keys and (not self.test or self.in_output):
            self._private_keys(text, lines, add, covered)
        if aws:
            self._aws_pairs(text, lines, add, covered)
        for rule in rules:
            for m in rule.pattern.finditer(text):
                token = m.group(1)
                if rule.bounded and m.start() > 0 and text[m.start() - 1] in _LEFT:
                    continue
                if self._real_token(token, rule):
                    if rule.kind == "Slack webhook URL":
                        add(m.start(1), rule.kind, f"{rule.kind} hooks.slack.com/services/… ({len(token)} chars)")
                    else:
                        add(m.start(1), rule.kind, f"{rule.kind} {mask(token, rule.body > 0)}")
        if generic:
            self._assignments(lines, low, add)
        return sorted(found.values(), key=lambda f: f.line or 0)

    @staticmethod
    def _real_token(token: str, rule: Rule) -> bool:
        if token in DOCUMENTED_DUMMIES:
            return False
        body = token[rule.body:]
        if rule.cases and not (any(c.islower() for c in body) and any(c.isupper() for c in body)):
            return False
        if rule.digits and not any(c.isdigit() for c in body):
            return False
        return not (looks_fake(body, hexy=rule.hexy) or identifier_like(body))

    def _private_keys(self, text: str, lines: Lines, add, covered: set[int]) -> None:
        if SERVICE_ACCOUNT.search(text):
            for m in SA_PRIVATE_KEY.finditer(text):
                if _key_material(text[m.end():]):
                    add(m.start(), "GCP service-account key", "GCP service-account key file (private key included)")
                    covered.add(lines.number(m.start()))
        for m in PRIVATE_KEY.finditer(text):
            if _key_material(text[m.end():]):
                label = m.group(1).strip()
                add(m.start(), "private key", f"{label + ' ' if label else ''}private key block with key material")

    def _aws_pairs(self, text: str, lines: Lines, add, covered: set[int]) -> None:
        for m in AWS_KEY_ID.finditer(text):
            key_id = m.group(1)
            if m.start() > 0 and text[m.start() - 1] in _LEFT:
                continue
            if key_id in DOCUMENTED_DUMMIES or looks_fake(key_id[4:], hexy=True):
                continue
            n = lines.number(m.start())
            start = lines.starts[max(1, n - 5) - 1]
            window = lines.around(n, 5)
            for s in AWS_SECRET.finditer(window):
                secret = s.group(1)
                if secret in DOCUMENTED_DUMMIES or not (any(c.isupper() for c in secret) and any(
                        c.islower() for c in secret) and any(c.isdigit() for c in secret)):
                    continue
                if looks_fake(secret) or entropy(secret) < 4.0:
                    continue
                add(m.start(), "AWS access key", f"AWS access key {mask(key_id)} with a secret key next to it")
                covered.add(lines.number(start + s.start()))
                break

    def _assignments(self, lines: Lines, low: str, add) -> None:
        loose = self.generic == "env"
        hinted = sorted({lines.number(m.start()) for m in NAME_HINT.finditer(low)})
        for n in hinted:
            line = lines.line(n)
            if len(line) > 2000:
                continue
            for m in ASSIGN.finditer(line):
                if m.group("op") == "==":
                    continue
                kind = secret_name(m.group("name"), loose=loose)
                if kind is None:
                    continue
                raw = m.group("value")
                quoted = raw[:1] in "\"'" and raw[-1:] == raw[:1] and len(raw) >= 2
                if self.generic == "quoted" and not quoted:
                    continue
                value = raw[1:-1] if quoted else raw
                if not plausible_value(value, kind, loose=loose):
                    continue
                where = "in a committed .env file" if loose else "assigned to"
                name = m.group("name")
                detail = (f"value for `{name}` {where} ({len(value)} chars)" if loose
                          else f"random-looking {kind} {where} `{name}` ({len(value)} chars)")
                add(lines.starts[n - 1] + m.start(), f"hard-coded {kind}", detail)
                break


def _is_env(name: str) -> bool:
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def _is_template(name: str) -> bool:
    stem = name.removeprefix(".env.").removesuffix(".env")
    return name.endswith(TEMPLATE_ENDINGS) or stem in ("example", "sample", "template", "dist", "defaults", "tmpl")


def scan_mode(f: RepoFile, include_vendored: bool, max_code: int) -> Scan | None:
    """How to scan a file, or None to skip it (decided from its name and size, never its bytes)."""
    name = f.name.lower()
    parts = PurePosixPath(f.path.lower()).parts[:-1]
    if f.is_symlink or f.size == 0 or name in LOCK_NAMES or name.endswith(".lock"):
        return None
    if not include_vendored and (name.endswith(MINIFIED) or any(p in VENDOR_DIRS for p in parts)):
        return None
    test = is_test_path(f.path) or any(p in SAMPLE_DIRS for p in parts) \
        or (("example" in name or "sample" in name) and not _is_env(name))
    suffix = f.suffix
    if suffix in CODE_SUFFIXES:
        return Scan("quoted", test) if f.size <= max_code else None
    if f.size > MAX_TEXT_BYTES:
        return None
    if _is_env(name):
        return Scan("config" if _is_template(name) else "env", test)
    base = name
    for ending in TEMPLATE_ENDINGS:
        base = base.removesuffix(ending)
    base_suffix = PurePosixPath(base).suffix
    if suffix in QUOTED_SUFFIXES or base_suffix in QUOTED_SUFFIXES:
        return Scan("quoted", test)
    if suffix in CONFIG_SUFFIXES or base_suffix in CONFIG_SUFFIXES or name in CONFIG_NAMES \
            or name.startswith("dockerfile"):
        return Scan("config", test)
    if suffix in DOC_SUFFIXES or base_suffix in DOC_SUFFIXES:
        return Scan(None, test)
    return None


def _source(value) -> str:
    if isinstance(value, list):
        return "".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else ""


def scan_notebook(text: str, test: bool) -> list[Finding]:
    """A notebook's cells (source lines per cell) and the text of their outputs."""
    low = text.lower()
    if not any(n in low for n in NEEDLES + GENERIC_NEEDLES):
        return []
    try:
        nb = json.loads(text)
    except ValueError:
        return []  # the fact store has already warned about it
    if not isinstance(nb, dict):
        return []
    cells = nb.get("cells")
    if cells is None and isinstance(nb.get("worksheets"), list):  # nbformat 3
        cells = [c for ws in nb["worksheets"] if isinstance(ws, dict) for c in ws.get("cells") or []]
    findings: list[Finding] = []
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        if not isinstance(cell, dict):
            continue
        code = cell.get("cell_type") == "code"
        source = _source(cell.get("source", cell.get("input")))
        findings += Scan("quoted" if code else None, test, index).run(source)
        for out in cell.get("outputs") or [] if code else []:
            if not isinstance(out, dict):
                continue
            data = out.get("data") if isinstance(out.get("data"), dict) else {}
            shown = "\n".join(_source(v) for v in (out.get("text"), data.get("text/plain"), out.get("traceback")))
            for f in Scan(None, test, index, in_output=True).run(shown):
                findings.append(Finding(None, index, f.kind, f"{f.detail}, in the cell's saved output"))
    return findings


def _scan_file(ctx: ProbeContext, f: RepoFile, mode: Scan) -> tuple[Finding, ...] | None:
    """What one file holds, or None when it cannot be read as text."""
    text = ctx.store.text(f, keep=False)
    if text is None:
        return None
    return tuple(scan_notebook(text, mode.test) if f.suffix == ".ipynb" else mode.run(text))


@probe("secrets.committed", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable},
       params={"include_vendored": False})
def secrets_committed(ctx: ProbeContext) -> ProbeResult:
    """Are credentials committed to the repository?

    Reads the repository's text files (code, notebooks with their saved outputs, configuration,
    .env files, docs) and looks for credentials with a known format: AWS access key ids with a
    secret key next to them and AWS secret keys, GCP service-account key files, PEM private key
    blocks with key material, GitHub, GitLab, Slack, OpenAI, Anthropic, HuggingFace, Google API,
    Stripe, PyPI and npm tokens, Slack webhooks, Weights & Biases and Kaggle API keys, Azure
    storage account keys. In code and configuration it also reports a random-looking literal
    assigned to a name that says it holds a secret (`password`, `api_key`, `client_secret`,
    `access_token`...; not `pad_token`, `max_tokens` or `key_path`). In a committed `.env` file
    any secret-named value counts; in `.env.example` and other templates only real-looking ones.
    Not reported: placeholders (`xxx`, `<your-key>`, `changeme`, `YOUR_API_KEY`, `${VAR}`,
    `${{ secrets.X }}`), environment lookups, documented dummies (AWS's `AKIAIOSFODNN7EXAMPLE`,
    Azurite's key), repeated or sequential characters, low-entropy values, CamelCase identifiers,
    and values on a line that calls them fake, dummy or an example. In tests, fixtures, examples
    and docs (and files named *example* or *sample*), values are mostly made up: there only known
    token formats count, not when marked fake or mock on their line or in a comment just above,
    and private keys not at all. Binary, data, lock, minified and vendored files are skipped
    (`include_vendored` reads the last two); text files over 1 MB are data. The secret is never
    shown: only its kind, the first four characters of a token with a public prefix (`ghp_`,
    `sk-p`), and its length. Files not yet committed (and not ignored) are reported and said to
    be. Evidence: the line (in a notebook: cell and line; cell only for a saved output).
    Values: `findings` (all; evidence shows the first 50), `kinds`, `files_scanned`.
    """
    include_vendored = bool(ctx.params.get("include_vendored", False))
    max_code = ctx.store.max_file_size
    evidence: list[Evidence] = []
    kinds: set[str] = set()
    total = scanned = 0
    for f in ctx.repo.files:
        mode = scan_mode(f, include_vendored, max_code)
        if mode is None:
            continue
        findings = ctx.store.per_file(f"secrets:{mode.generic}:{mode.test}:{f.suffix == '.ipynb'}", f,
                                      lambda: _scan_file(ctx, f, mode))
        if findings is None:
            continue
        scanned += 1
        if not findings:
            continue
        pending = "" if f.tracked or ctx.repo.git is None else " (not committed yet, and not ignored by git)"
        for finding in findings:
            total += 1
            kinds.add(finding.kind)
            if len(evidence) < MAX_EVIDENCE:
                evidence.append(Evidence(path=f.path, line=finding.line, cell=finding.cell,
                                         detail=finding.detail + pending))
    values = {"findings": total, "kinds": sorted(kinds), "files_scanned": scanned}
    return ProbeResult.found(evidence, values, applies=bool(scanned), why_not="no text files to read")
