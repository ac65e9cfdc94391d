"""What the git history says about process: review before merge (ML Test Score Model 1) and tests that
change with the code they cover.

Both read `ctx.history`, which has each commit's subject, parents, author, time and changed files
(no message body, so `Reviewed-by:` trailers and GitLab's "See merge request" line are not seen).
Branch protection and required reviews live on the forge, not in the repository.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import PurePosixPath

from mlaudit.facts.model import FileFacts
from mlaudit.probes.context import ProbeContext, is_test_path
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe
from mlaudit.repository.history import Commit

# -- git.review ---------------------------------------------------------------------------------

PR_MERGE = re.compile(
    r"^Merge pull request #\d+"  # GitHub merge commit
    r"|^Merge branch '[^']+' into '[^']+'"  # GitLab merge request (the target is quoted; `git merge` never quotes it)
    r"|^Merged in \S+ \(pull request #\d+\)"  # Bitbucket
    r"|^Merged PR \d+:"  # Azure DevOps
)
SQUASHED = re.compile(r"\(#\d+\)\s*$")  # GitHub's squash-merge (and "rebase and merge" with the title) default
# A merge that only brings the remote branch into a local one (`git pull`): no change of its own.
SYNC_MERGE = re.compile(r"^Merge (?:branch '[^']+' of |remote-tracking branch '|(?:https?://|git@))")
CODEOWNERS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
PR_TEMPLATES = (  # lowercase; "*" is any file in that folder
    ".github/pull_request_template.md", "pull_request_template.md", "docs/pull_request_template.md",
    ".github/pull_request_template/*", "pull_request_template/*", "docs/pull_request_template/*",
    ".gitlab/merge_request_templates/*",
)


def _short(c: Commit) -> str:
    return f"{c.sha[:7]} {time.strftime('%Y-%m-%d', time.gmtime(c.time))} \"{c.subject[:80]}\""


def _author_key(name: str) -> str:
    """GitHub writes the web merger's display name ("Goku Mohandas"), git the local one ("GokuMohandas")."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _codeowners(ctx: ProbeContext) -> Evidence | None:
    for path in CODEOWNERS:
        f = ctx.repo.get(path)
        text = ctx.store.text(f) if f is not None and not f.is_symlink else None
        if not text:
            continue
        for n, line in enumerate(text.splitlines(), start=1):
            rule = line.split("#", 1)[0].split()
            if len(rule) >= 2:  # a pattern and at least one owner
                return Evidence(path=f.path, line=n, detail=f"CODEOWNERS assigns reviewers: `{' '.join(rule)[:80]}`")
    return None


def _pr_template(ctx: ProbeContext) -> Evidence | None:
    """GitHub reads its template names in any case; a folder of templates counts as well."""
    lowered = [(f.path.lower(), f) for f in ctx.repo.files if not f.is_symlink]
    for pattern in PR_TEMPLATES:
        folder = pattern.removesuffix("*")
        for low, f in lowered:
            if low == pattern or (folder != pattern and low.startswith(folder) and "/" not in low[len(folder):]):
                kind = "merge request" if ".gitlab/" in low else "pull request"
                return Evidence(path=f.path, detail=f"{kind} template: contributions are expected as {kind}s")
    return None


@probe("git.review", outcomes={Outcome.true, Outcome.false, Outcome.not_observable},
       params={"window": 200, "min_ratio": 0.6})
def git_review(ctx: ProbeContext) -> ProbeResult:
    """Is there evidence that changes are reviewed before they merge?

    ML Test Score Model 1: every model specification undergoes a code review and is checked in.
    Walks the last `window` (200) changes on the checked-out branch, following first parents from
    HEAD so each landed change counts once (for the whole repository, also when a subfolder is
    scanned). A pull- or merge-request merge commit ("Merge pull
    request #N", GitLab's "Merge branch 'x' into 'main'", Bitbucket's "Merged in ... (pull
    request #N)", Azure's "Merged PR N:") or a squash-merged commit whose subject ends in "(#N)"
    counts as reviewed; any other commit, or a local `git merge`, went in directly. The initial
    commit and merges that only sync a remote branch (`git pull`) are not changes and are skipped.
    True when at least `min_ratio` (0.6) of the changes came through pull requests and more than
    one person (bots aside) authored the window: one author merging their own branches has no
    reviewer. Only history decides: CODEOWNERS and a pull-request template say review is
    expected, not that it happens, so without readable history (shallow clone, no git) the answer
    is not observable and they are shown as evidence. Not visible:
    branch protection and required reviews (they live on the forge), commit trailers such as
    `Reviewed-by:`, and "rebase and merge" without a PR number in the subject. Evidence:
    CODEOWNERS and template files, then examples of reviewed changes (when true) or of direct
    pushes (when false).
    Values: `reviewed_commits`, `commits` (changes seen), `ratio`, `codeowners`, `pr_template`,
    `authors`.
    """
    window = int(ctx.params.get("window", 200))
    min_ratio = float(ctx.params.get("min_ratio", 0.6))
    owners, template = _codeowners(ctx), _pr_template(ctx)
    files = [e for e in (owners, template) if e is not None]
    values: dict = {"reviewed_commits": 0, "commits": 0, "ratio": None, "codeowners": owners is not None,
                    "pr_template": template is not None, "authors": 0}
    history = ctx.history
    review_files = "CODEOWNERS" if owners else "a pull-request template"
    if not history.available:
        # CODEOWNERS and a template say review is expected, not that it happens: only history shows that.
        return ProbeResult(outcome=Outcome.not_observable, evidence=files, values=values, message=(
            f"{history.reason}" + (f"; {review_files} says review is expected, but not that it happens"
                                   if files else "")))

    chain = history.mainline[:window]
    # The initial commit imports the project rather than changing it; a `git pull` merge changes nothing.
    changes = [c for c in chain if c.parents
               and not (c.is_merge and not PR_MERGE.search(c.subject) and SYNC_MERGE.search(c.subject))]
    reviewed = [c for c in changes if (PR_MERGE.search(c.subject) if c.is_merge else SQUASHED.search(c.subject))]
    reviewed_shas = {c.sha for c in reviewed}
    direct = [c for c in changes if c.sha not in reviewed_shas]
    # Bots (dependabot, pre-commit.ci) are no reviewers: a lone developer with dependabot is still alone.
    authors = {_author_key(c.author) for c in changes + history.commits[:window] if not c.author.endswith("[bot]")}
    ratio = round(len(reviewed) / len(changes), 3) if changes else None
    values.update(reviewed_commits=len(reviewed), commits=len(changes), ratio=ratio, authors=len(authors))
    if not changes:
        return ProbeResult(outcome=Outcome.not_observable, evidence=files, values=values,
                           message="no change after the initial commit to judge review by")

    majority = ratio is not None and ratio >= min_ratio
    if majority and len(authors) > 1:
        evidence = files + [Evidence(commit=c.sha, detail=f"{_short(c)} came through a pull request") for c in reviewed[:10]]
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    if majority:
        why = "every change in the window is by one author: pull requests merged without another reviewer"
    else:
        why = (f"{len(direct)} of {len(changes)} recent changes were pushed without a pull request"
               + ("; CODEOWNERS is present but history shows it is not enforced" if owners else ""))
    evidence = files + [Evidence(commit=c.sha, detail=f"{_short(c)} was {'merged locally' if c.is_merge else 'pushed directly'}, "
                                        "without a pull request") for c in direct[:10]]
    return ProbeResult(outcome=Outcome.false, evidence=evidence, values=values, message=why)


# -- git.cochange -------------------------------------------------------------------------------

DAY = 24 * 3600


def _dotted(path: str) -> list[str]:
    """The module a source path defines, as dotted parts: a/b/c.py → [a, b, c]; a/b/__init__.py → [a, b]."""
    p = PurePosixPath(path)
    parts = list(p.parts[:-1]) + ([] if p.stem == "__init__" else [p.stem])
    return parts


class ModuleIndex:
    """Project modules by every dotted suffix of their path, so `import pkg.mod` finds src/pkg/mod.py,
    and what each package's `__init__.py` re-exports, so `from pkg import Model` finds pkg/model.py."""

    def __init__(self, files: list[tuple[str, FileFacts]]):
        self.by_suffix: dict[str, list[str]] = defaultdict(list)
        self.by_stem: dict[str, list[str]] = defaultdict(list)
        self.exports: dict[str, dict[str, tuple[str, str]]] = {}  # __init__ path → name → (module, name)
        for path, facts in files:
            parts = _dotted(path)
            for i in range(len(parts)):
                self.by_suffix[".".join(parts[i:])].append(path)
            if path.endswith("/__init__.py") or path == "__init__.py":
                self.exports[path] = {
                    imp.alias: (_relative(imp.module, path) if imp.module.startswith(".") else imp.module, imp.name)
                    for imp in facts.python.imports if imp.name and imp.name != "*"}
            else:
                self.by_stem[PurePosixPath(path).stem].append(path)

    def module(self, dotted: str) -> str | None:
        found = self.by_suffix.get(dotted, [])
        return found[0] if len(found) == 1 else None

    def resolve(self, module: str, name: str | None, depth: int = 0) -> str | None:
        """The file that defines `module.name` (or `module`), following package re-exports."""
        if name:
            hit = self.module(f"{module}.{name}")
            if hit:
                return hit
        hit = self.module(module)
        if hit and name and hit in self.exports and name in self.exports[hit] and depth < 4:
            origin, original = self.exports[hit][name]
            return self.resolve(origin, original, depth + 1) or hit
        return hit


def _test_stem(name: str) -> str | None:
    stem = name.removesuffix(".py")
    if stem.startswith("test_"):
        return stem[5:]
    if stem.endswith("_test"):
        return stem[:-5]
    return None


def _closest(candidates: list[str], test_path: str) -> str | None:
    """Of same-named modules, the one sharing the most folder names with the test (unique, else None)."""
    if len(candidates) == 1:
        return candidates[0]
    folders = set(PurePosixPath(test_path).parts[:-1])
    scored = sorted(((len(folders & set(PurePosixPath(c).parts[:-1])), c) for c in candidates), reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def _relative(module: str, path: str) -> str:
    """`.utils` imported in pkg/sub/x.py → pkg.sub.utils; `..utils` → pkg.utils (dotted, from the path)."""
    level = len(module) - len(module.lstrip("."))
    base = list(PurePosixPath(path).parts[:-1])
    base = base[:len(base) - (level - 1)] if level > 1 else base
    rest = module.lstrip(".")
    return ".".join(base + ([rest] if rest else []))


def _has_tests(facts: FileFacts) -> bool:
    """A test file with something pytest or unittest would run (a helper module under tests/ covers nothing)."""
    return any(fn.name.startswith("test") for fn in facts.python.functions)


def covered_modules(ctx: ProbeContext) -> dict[str, set[str]]:
    """Source module path → the test files that cover it (by name, or by importing it)."""
    sources: list[tuple[str, FileFacts]] = []
    tests: list[tuple[str, FileFacts]] = []
    for f, facts in ctx.code():
        if facts.kind != "python":
            continue
        if is_test_path(f.path):
            if f.name not in ("conftest.py", "__init__.py") and _has_tests(facts):
                tests.append((f.path, facts))
        else:
            sources.append((f.path, facts))
    index = ModuleIndex(sources)
    covered: dict[str, set[str]] = defaultdict(set)
    for path, facts in tests:
        stem = _test_stem(PurePosixPath(path).name)
        if stem and stem in index.by_stem:
            hit = _closest(index.by_stem[stem], path)
            if hit:
                covered[hit].add(path)
        for imp in facts.python.imports:
            module = _relative(imp.module, path) if imp.module.startswith(".") else imp.module
            hit = index.resolve(module, imp.name if imp.name != "*" else None)
            # A package's __init__ only gathers exports: every test imports it, none covers it.
            if hit and hit not in index.exports:
                covered[hit].add(path)
    return covered


@probe("git.cochange", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable, Outcome.not_observable},
       params={"window": 300, "min_ratio": 0.5})
def git_cochange(ctx: ProbeContext) -> ProbeResult:
    """Do tests change together with the code they cover?

    First finds which source modules have tests: a test file named for the module (`test_foo.py`
    or `foo_test.py` for `foo.py`; among same-named modules, the one sharing the most folders with
    the test) or a test file that imports it, directly or through a package's re-export (`from pkg
    import Model` reaches pkg/model.py). Test files count when they define tests; `__init__.py`
    files are not paired (every test imports them). Then, over the last `window` (300) commits
    (merges and the initial commit left out), takes the commits that changed a module with tests
    and counts those that also changed a test file, or whose author changed one in their previous
    or next commit within a day (the test in a commit of its own). Any test file counts, not only
    the paired ones: a test elsewhere that moved with the change still moved with it. True when at
    least `min_ratio` (0.5) did: a fix or a feature usually brings a test and a pure refactoring
    need not, so where tests keep up with the code well over half of such commits touch tests
    (keras and Lightning: four in five). Not applicable when no module has tests or none changed
    in the window; not observable without history (shallow clone, no git). Evidence: up to 10
    recent commits that changed a module with tests but no test (when false), or that changed
    both (when true).
    Values: `code_commits`, `with_tests`, `ratio`, `modules` (source modules with tests).
    """
    window = int(ctx.params.get("window", 300))
    min_ratio = float(ctx.params.get("min_ratio", 0.5))
    values: dict = {"code_commits": 0, "with_tests": 0, "ratio": None, "modules": 0}
    history = ctx.history
    if not history.available:
        return ProbeResult(outcome=Outcome.not_observable, values=values, message=history.reason)
    covered = covered_modules(ctx)
    values["modules"] = len(covered)
    if not covered:
        return ProbeResult(outcome=Outcome.not_applicable, values=values, message="no source module has tests")

    # Merges repeat their branch's changes; the initial commit adds code and tests at once.
    commits = [c for c in history.commits if len(c.parents) == 1]
    recent = commits[:window]
    by_author: dict[str, list[int]] = defaultdict(list)  # author → indexes into `commits`, newest first
    for i, c in enumerate(commits):
        by_author[c.author].append(i)
    position = {c.sha: i for i, c in enumerate(commits)}

    def neighbours(c: Commit) -> list[Commit]:
        mine = by_author[c.author]
        k = mine.index(position[c.sha])
        near = [commits[mine[j]] for j in (k - 1, k + 1) if 0 <= j < len(mine)]
        return [n for n in near if abs(n.time - c.time) <= DAY]

    def changes_tests(c: Commit) -> bool:
        # Any test counts, not only the mapped ones: a fix to the fit loop tested in test_profiler.py
        # moved its tests with it, though no import links the two.
        return any(p.endswith(".py") and is_test_path(p) for p in c.files)

    hits: list[tuple[Commit, str]] = []
    misses: list[tuple[Commit, str, list[str]]] = []
    for c in recent:
        changed = [p for p in c.files if p in covered]
        if not changed:
            continue
        if changes_tests(c) or any(changes_tests(n) for n in neighbours(c)):
            hits.append((c, changed[0]))
        else:
            misses.append((c, changed[0], sorted(covered[changed[0]])))
    code_commits = len(hits) + len(misses)
    ratio = round(len(hits) / code_commits, 3) if code_commits else None
    values.update(code_commits=code_commits, with_tests=len(hits), ratio=ratio)
    if not code_commits:
        return ProbeResult(outcome=Outcome.not_applicable, values=values,
                           message=f"no commit in the last {len(recent)} changed a module that has tests")
    if ratio >= min_ratio:
        return ProbeResult(outcome=Outcome.true, values=values, evidence=[
            Evidence(path=module, commit=c.sha, detail=f"{_short(c)} changed {module} together with its tests")
            for c, module in hits[:10]])
    evidence = []
    for c, module, tests in misses[:10]:
        more = f" and {len(tests) - 1} more" if len(tests) > 1 else ""
        evidence.append(Evidence(path=module, commit=c.sha, detail=(
            f"{_short(c)} changed {module} but no test, not even its own ({tests[0]}{more})")))
    return ProbeResult(outcome=Outcome.false, values=values, evidence=evidence, message=(
        f"{code_commits - len(hits)} of {code_commits} commits changed tested code without changing a test"))
