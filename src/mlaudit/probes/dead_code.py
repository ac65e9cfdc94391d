"""Dead experimental codepaths (Sculley et al. 2015, §5): disabled blocks, commented-out code, stale file twins."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from mlaudit.facts.model import Block, FileFacts
from mlaudit.probes.context import ProbeContext, is_test_path
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe
from mlaudit.repository import RepoFile

CODE_SUFFIXES = (".py", ".pyw", ".ipynb")
# What editors, people and Jupyter ("Duplicate" gives "name-Copy1.ipynb") append to a kept copy.
_TWIN = re.compile(
    r"^(?P<base>.+?)(?P<tag>[_-]old\d*|_backup\d*|_bak|[ _-]copy\d*| - copy(?: \(\d+\))?|_tmp|_new|_orig"
    r"|_deprecated|_v(?P<version>\d+))$", re.IGNORECASE)
_BACKUP_SUFFIXES = (".bak", ".orig")


def _names_version(facts: FileFacts, version: int) -> bool:
    """Does the module define a top-level name carrying its version (`MobileNetV2`, `build_v2`)?

    Then mobilenet_v2.py beside mobilenet.py is another model, not a kept copy. `Conv2D` does not
    count: a lower-case v must start the name or follow an underscore."""
    token = re.compile(rf"(?:V|(?:^|_)[vV]){version}(?!\d)")
    py = facts.python
    names = [fn.name for fn in py.functions if "." not in fn.qualname] + [c.name for c in py.classes]
    return any(token.search(name) for name in names)


def _imported_stems(ctx: ProbeContext) -> set[str]:
    """Last components of every module and name imported anywhere: a rough 'is this module used' test."""
    stems: set[str] = set()
    for _, facts in ctx.code():
        for i in facts.python.imports:
            stems.add(i.module.rstrip(".").rsplit(".", 1)[-1])
            if i.name:
                stems.add(i.name)
    return stems


def twins(ctx: ProbeContext) -> list[tuple[RepoFile, RepoFile, str]]:
    """(kept copy, its live sibling, why) for code files named like a copy of a file next to them."""
    by_path = {f.path: f for f in ctx.repo.files if not f.is_symlink}
    facts = {f.path: fx for f, fx in ctx.code()}
    imported: set[str] | None = None
    found = []
    for f in by_path.values():
        p = PurePosixPath(f.path)
        if p.suffix.lower() in _BACKUP_SUFFIXES and PurePosixPath(p.stem).suffix.lower() in CODE_SUFFIXES:
            sibling = by_path.get(str(p.with_name(p.stem)))
            if sibling is not None:
                found.append((f, sibling, f"a {p.suffix} backup"))
            continue
        if p.suffix.lower() not in CODE_SUFFIXES:
            continue
        m = _TWIN.match(p.stem)
        if not m:
            continue
        base, version = m.group("base"), m.group("version")
        candidates = [base]
        if version is not None:
            candidates += [f"{base}_v{n}" for n in range(int(version) - 1, 0, -1)]
        sibling = next((by_path[s] for s in (str(p.with_name(c + p.suffix)) for c in candidates) if s in by_path),
                       None)
        if sibling is None:
            continue
        if version is not None and f.path in facts and _names_version(facts[f.path], int(version)):
            continue
        if imported is None:
            imported = _imported_stems(ctx)
        if p.stem in imported and PurePosixPath(sibling.path).stem in imported:
            continue  # both are imported somewhere: two live modules, neither is dead
        found.append((f, sibling, f"name ends in '{m.group('tag')}'"))
    return sorted(found, key=lambda t: t[0].path)


@probe("code.dead_experimental", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable},
       params={"min_commented_lines": 5})
def code_dead_experimental(ctx: ProbeContext) -> ProbeResult:
    """Does the code keep dead experimental codepaths?

    Three kinds: a block that can never run (`if False:`, `if 0:`); a run of at least
    `min_commented_lines` (default 5) comment lines that parse as Python and mostly look like
    code; and a code file named like a kept copy of a file next to it (`train_old.py` or
    `train_backup.py` beside `train.py`, `model_v2.py` beside `model.py` or `model_v1.py`,
    `analysis-Copy1.ipynb`, `train.py.bak`). Not counted: `if False:` holding only imports
    (the old spelling of `if TYPE_CHECKING:`), comment lines quoted inside a docstring, a
    versioned file without an unversioned or lower-versioned sibling, a versioned file that
    defines names carrying its version (`mobilenet_v2.py` defining `MobileNetV2` is another
    model, not a copy), and a pair of files that are both imported elsewhere (both are live).
    Blocks in test files are skipped; twins count anywhere. Evidence: the first line of each
    block, or the twin file (no line) with its sibling named. Not applicable without code files.
    Values: `dead_ifs`, `commented_blocks`, `twins`.
    """
    min_lines = int(ctx.params.get("min_commented_lines", 5))
    evidence: list[Evidence] = []
    counts = {"dead_ifs": 0, "commented_blocks": 0, "twins": 0}
    seen = False
    for f, facts in ctx.code():
        seen = True
        if is_test_path(f.path):
            continue
        for b in sorted(facts.python.blocks, key=lambda b: (-1 if b.cell is None else b.cell, b.line)):
            detail = _block_finding(b, min_lines)
            if detail:
                counts["dead_ifs" if b.kind == "dead-if" else "commented_blocks"] += 1
                evidence.append(Evidence(path=f.path, line=b.line, cell=b.cell, detail=detail))
    for twin, sibling, why in twins(ctx):
        counts["twins"] += 1
        evidence.append(Evidence(path=twin.path, detail=(
            f"{twin.name} looks like a kept copy of {sibling.name}, next to it ({why})")))
    return ProbeResult.found(evidence, counts, applies=bool(seen), why_not="no Python code or notebooks")


def _block_finding(b: Block, min_lines: int) -> str | None:
    if b.kind == "dead-if" and b.name != "imports-only":  # `if False: import x` is `if TYPE_CHECKING:`
        return f"block that can never run: its `if` tests a false constant ({b.lines} lines)"
    if b.kind == "commented-code" and b.lines >= min_lines:
        return f"{b.lines} lines of commented-out code"
    return None
