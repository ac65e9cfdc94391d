"""Bots that announce dependency updates by opening pull requests: Dependabot, Renovate and pyup,
read from their configuration files, and which package ecosystems each one covers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence

DEPENDABOT_FILES = (".github/dependabot.yml", ".github/dependabot.yaml",
                    ".gitlab/dependabot.yml", ".gitlab/dependabot.yaml")  # the latter: dependabot-gitlab
RENOVATE_FILES = ("renovate.json", "renovate.json5", ".github/renovate.json", ".github/renovate.json5",
                  ".gitlab/renovate.json", ".gitlab/renovate.json5", ".renovaterc", ".renovaterc.json",
                  ".renovaterc.json5")
PYUP_FILES = (".pyup.yml", ".pyup.yaml")
# Dependabot's `package-ecosystem` values and Renovate's manager names for Python packages.
PYTHON_ECOSYSTEMS = frozenset({
    "pip", "pipenv", "poetry", "uv", "conda", "pip-compile", "pip_requirements", "pip_setup", "pep621", "pep723",
    "setup-cfg", "pixi", "all",
})
RENOVATE_PYTHON = PYTHON_ECOSYSTEMS - {"pip", "uv", "conda", "all"}
# Files Dependabot's Python updaters read in an update's directory (requirements files also one
# folder down); with none of them there, the update fails and announces nothing.
_PYTHON_MANIFESTS = frozenset({"pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "Pipfile.lock", "poetry.lock",
                               "uv.lock", "environment.yml", "environment.yaml"})
_REQUIREMENTS_LIKE = re.compile(r"req|constraint|dep|pip|lock")
_OUTSIDE_PRESET = re.compile(r"^(?:local|github|gitlab|gitea|forgejo|bitbucket|bitbucket-server)>|^@")


@dataclass
class Bot:
    tool: str
    path: str
    ecosystems: list[str]  # what it proposes updates for; Renovate's default is "all"
    python: bool
    line: int | None
    detail: str
    notes: list[str] = field(default_factory=list)  # for the message: what could not be read
    off: list[str] = field(default_factory=list)  # parts of the configuration that announce nothing

    def summary(self) -> dict[str, Any]:
        return {"tool": self.tool, "path": self.path, "ecosystems": self.ecosystems, "python": self.python}

    def evidence(self) -> Evidence:
        return Evidence(path=self.path, line=self.line, detail=self.detail)

    def coverage(self) -> str:
        """What it covers, said when that is not Python: `.github/dependabot.yml covers only npm`."""
        covered = f"covers only {', '.join(self.ecosystems)}" if self.ecosystems else "covers no ecosystem"
        return f"{self.path} {covered}" + (f" ({'; '.join(self.off)})" if self.off else "")


def update_bots(ctx: ProbeContext) -> list[Bot]:
    """Every update bot configured at the places each bot reads its configuration from."""
    return ctx.shared("deps.update_bots", _find_bots)


def _find_bots(ctx: ProbeContext) -> list[Bot]:
    bots: list[Bot] = []
    for path in DEPENDABOT_FILES:
        doc = _yaml(ctx, path)
        if doc is not None and isinstance(doc.data, dict):
            bots.append(_dependabot(ctx, path, doc))
    for path in RENOVATE_FILES:
        text = _text(ctx, path)
        if text is not None:
            bots.append(_renovate(path, text, _json5(text)))
    package_json = _text(ctx, "package.json")
    if package_json is not None and '"renovate"' in package_json:
        try:
            config = json.loads(package_json).get("renovate")
        except (ValueError, AttributeError, RecursionError):
            config = None
        if isinstance(config, dict):
            bots.append(_renovate("package.json", package_json, config, key="renovate"))
    for path in PYUP_FILES:
        doc = _yaml(ctx, path)
        if doc is not None:
            bots.append(_pyup(path, doc))
    return bots


def _text(ctx: ProbeContext, path: str) -> str | None:
    f = ctx.repo.get(path)
    return ctx.store.text(f) if f is not None and not f.is_symlink else None


def _yaml(ctx: ProbeContext, path: str):
    f = ctx.repo.get(path)
    return ctx.store.yaml(f) if f is not None and not f.is_symlink else None


# -- Dependabot ---------------------------------------------------------------------------------
def _dependabot(ctx: ProbeContext, path: str, doc) -> Bot:
    ecosystems: list[str] = []
    first_line = python_line = None
    python = False
    off: list[str] = []
    updates = doc.data.get("updates")
    for i, update in enumerate(updates if isinstance(updates, list) else []):
        eco = update.get("package-ecosystem") if isinstance(update, dict) else None
        if not isinstance(eco, str):
            continue
        line = doc.lines.get(("updates", i, "package-ecosystem"))
        first_line = first_line or line
        why_not = _update_off(update) or (_finds_nothing(ctx, update) if eco in PYTHON_ECOSYSTEMS else None)
        if why_not:
            off.append(f"{eco} {why_not}")
            continue
        if eco not in ecosystems:
            ecosystems.append(eco)
        if eco in PYTHON_ECOSYSTEMS and not python:
            python, python_line = True, line
    detail = f"Dependabot proposes updates for {', '.join(ecosystems) or 'no ecosystem'}"
    detail += "".join(f"; {o}" for o in off) + ("" if python else "; not for Python packages")
    return Bot("dependabot", path, ecosystems, python, python_line or first_line or doc.lines.get(("updates",)),
               detail, off=off)


def _update_off(update: dict) -> str | None:
    """Why an update entry opens no version-update pull request, if it opens none."""
    limit = update.get("open-pull-requests-limit")
    if limit == 0 and limit is not False:
        return "has open-pull-requests-limit: 0 (version updates off)"
    ignore = update.get("ignore")
    if isinstance(ignore, list) and any(
            isinstance(rule, dict) and rule.get("dependency-name") == "*" and not rule.get("versions")
            and not rule.get("update-types") for rule in ignore):
        return 'ignores every dependency (dependency-name: "*")'
    return None


def _finds_nothing(ctx: ProbeContext, update: dict) -> str | None:
    """Why a Python update would fail for want of a dependency file in its directories, if it would.
    Dependabot reads requirements files in the directory and one folder down; of other `.txt`
    files only those that read as requirements, which the name tells well enough here."""
    folders = update.get("directories") if isinstance(update.get("directories"), list) else [update.get("directory")]
    folders = [d for d in folders if isinstance(d, str)]
    if not folders or any("*" in d for d in folders):
        return None
    wanted = {d.strip("/") for d in folders}
    for f in ctx.repo.files:
        p = PurePosixPath(f.path)
        here, up = _folder(p.parent), _folder(p.parent.parent) if len(p.parts) > 1 else None
        if here in wanted and p.name in _PYTHON_MANIFESTS:
            return None
        if (here in wanted or up in wanted) and (p.suffix == ".in" or p.suffix == ".txt" and _REQUIREMENTS_LIKE.search(
                f.path.lower())):
            return None
    return f"in {', '.join(folders)} finds no Python dependency file there"


def _folder(p: PurePosixPath) -> str:
    return "" if str(p) == "." else str(p)


# -- Renovate -----------------------------------------------------------------------------------
def _renovate(path: str, text: str, data: Any, key: str | None = None) -> Bot:
    """`key`: the configuration is this key of a larger file (package.json), whose line is shown."""
    lines = text.splitlines()

    def line_of(name: str) -> int | None:
        return _key_line(lines, key or name)

    if not isinstance(data, dict):  # unreadable: only `enabledManagers` can be found in the text
        m = re.search(r"enabledManagers[\"']?\s*:\s*\[([^\]]*)\]", text)
        data = {"enabledManagers": re.findall(r"[\"']([^\"']+)[\"']", m.group(1))} if m else {}
    extends = [e for e in data.get("extends") or [] if isinstance(e, str)] if isinstance(data.get("extends"), list) \
        else []
    notes = []
    outside = [e for e in extends if _OUTSIDE_PRESET.search(e)]
    if outside:
        notes.append(f"{path} extends presets kept elsewhere ({', '.join(outside[:3])}); they may change what it updates")
    if data.get("enabled") is False or ":disableRenovate" in extends:
        line = line_of("enabled" if data.get("enabled") is False else "extends")
        how = "enabled: false" if data.get("enabled") is False else "extends :disableRenovate"
        return Bot("renovate", path, [], False, line, f"Renovate is turned off here ({how}); not for Python packages",
                   notes, off=[f"Renovate is turned off ({how})"])
    disabled = _disabled_managers(data)
    python_off = sorted(disabled & RENOVATE_PYTHON)
    listed = data.get("enabledManagers")
    if isinstance(listed, list) and listed:  # an empty list is Renovate's default: every manager
        ecosystems = [m for m in listed if isinstance(m, str) and m not in disabled]
        python = bool(set(ecosystems) & PYTHON_ECOSYSTEMS)
        line = line_of("enabledManagers")
        shown = ", ".join(ecosystems) or "no manager"
    else:
        ecosystems = ["all"]
        python = bool(RENOVATE_PYTHON - disabled)
        line = line_of("extends") if extends or key else None
        shown = "every ecosystem it knows" + (f" but {', '.join(python_off)}" if python_off else "")
    detail = f"Renovate proposes dependency updates for {shown}" + ("" if python else "; not for Python packages")
    off = [f"{', '.join(python_off)} turned off"] if python_off else []
    return Bot("renovate", path, ecosystems, python, line, detail, notes, off=off)


def _disabled_managers(data: dict) -> set[str]:
    """Managers turned off by `"<manager>": {"enabled": false}` or a packageRules entry that matches
    only on managers. Rules matching on packages as well turn off a part only, and are not read."""
    out = {k for k, v in data.items() if isinstance(v, dict) and v.get("enabled") is False}
    rules = data.get("packageRules")
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict) or rule.get("enabled") is not False:
            continue
        matchers = {k for k in rule if k.startswith(("match", "exclude"))}
        if matchers == {"matchManagers"} and isinstance(rule["matchManagers"], list):
            out.update(m for m in rule["matchManagers"] if isinstance(m, str))
    return out


def _key_line(lines: list[str], key: str) -> int | None:
    pattern = re.compile(r"(?:^|[\s{,])[\"']?" + re.escape(key) + r"[\"']?\s*:")
    return next((n for n, line in enumerate(lines, start=1) if pattern.search(line)), None)


_JSON5_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<dq>"(?:[^"\\\n]|\\.)*") | (?P<sq>'(?:[^'\\\n]|\\.)*')
    | (?P<word>[A-Za-z_$][\w$]*) | (?P<close>[}\]]) | (?P<punct>[,:{\[]) | (?P<number>-?[0-9][0-9.eE+-]*)
""", re.S | re.X)


def _json5(text: str) -> Any:
    """JSON5 (comments, unquoted keys, single quotes, trailing commas) read as JSON; None when it
    uses something else."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        m = _JSON5_TOKEN.match(text, pos)
        if m is None:
            return None
        pos = m.end()
        kind, token = m.lastgroup, m.group()
        if kind in ("space", "comment"):
            continue
        if kind == "sq":
            token = json.dumps(re.sub(r"\\(.)", r"\1", token[1:-1]))
        elif kind == "word" and token not in ("true", "false", "null"):
            token = json.dumps(token)
        elif kind == "close" and out and out[-1] == ",":
            out.pop()
        out.append(token)
    try:
        return json.loads("".join(out))
    except (ValueError, RecursionError):
        return None


# -- pyup ---------------------------------------------------------------------------------------
def _pyup(path: str, doc) -> Bot:
    data = doc.data if isinstance(doc.data, dict) else {}
    update = data.get("update", "all")
    update = update.lower() if isinstance(update, str) else update
    line = doc.lines.get(("update",))
    if update is False or update in ("false", "no", "off"):
        return Bot("pyup", path, [], False, line, "pyup is turned off here (update: false); not for Python packages",
                   off=["update: false"])
    scope = "insecure Python packages" if update == "insecure" else "Python packages"
    return Bot("pyup", path, ["pip"], True, line, f"pyup proposes updates for {scope}")
