"""Hard-coded absolute paths into one machine's home folder or drive (Pimentel et al. 2019: "use relative paths")."""

from __future__ import annotations

from mlaudit.facts.model import PythonFacts
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

# A user segment holding one of these is a template filled in at run time ("/home/{}/data".format(user),
# "/home/$USER", "/home/%s"), or a URL route parameter ("/home/<name>"): not one machine's path.
_TEMPLATE_MARKS = ("{", "$", "%", "<")
# Literals passed to these are URL paths of a web app or an HTTP client, not files.
_URL_CALLS = frozenset({"route", "get", "post", "put", "patch", "delete", "head", "options", "add_url_rule",
                        "add_api_route", "api_route", "websocket", "path", "re_path", "url"})
MAX_SHOWN = 60


def shorten(path: str, width: int = MAX_SHOWN) -> str:
    """Keep the head (whose machine it is) and the tail (which file)."""
    return path if len(path) <= width else f"{path[:width - 20]}…{path[-19:]}"


def _url_literals(py: PythonFacts) -> set[tuple[int, int | None, str]]:
    found = set()
    for call in py.calls:
        if call.name.rsplit(".", 1)[-1] in _URL_CALLS:
            for a in call.args[:1]:
                if a.kind == "const" and isinstance(a.value, str):
                    found.add((call.line, call.cell, a.value))
    return found


def machine_paths(py: PythonFacts) -> list:
    """The `texts` facts that name one machine's folder, minus templates, prose and URL routes."""
    urls = None
    out = []
    for t in py.texts:
        if "\n" in t.value:  # a multi-line string that starts with a path is a listing or prose
            continue
        head = t.value.replace("\\", "/").split("/")
        if any(mark in part for part in head[:3] for mark in _TEMPLATE_MARKS):
            continue
        if urls is None:
            urls = _url_literals(py)
        if (t.line, t.cell, t.value) in urls:
            continue
        out.append(t)
    return out


@probe("paths.absolute", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def paths_absolute(ctx: ProbeContext) -> ProbeResult:
    """Does the code hard-code absolute paths into a user's home folder or a Windows drive?

    Looks at string literals in Python files and notebook code cells (never at cell outputs,
    where paths are printed by libraries) that start with `/home/<user>`, `/Users/<user>`,
    `/root/` or a drive letter (`C:\\`, `D:/`): such paths exist on one machine only, so the
    code breaks elsewhere. A bare `/home/` does not count. Literals are read decoded, so a
    Windows path mangled by its own escapes (`"C:\\new"` written without `r`, which Python reads
    as `C:` + newline) is not seen. Skipped: templates filled in at run time (a user segment with
    `{`, `$`, `%` or `<`), multi-line strings (prose or listings, such as a docstring), URL
    routes passed to `route`/`get`/`post`/`path`-style calls, and test files, where fake
    absolute paths are fixtures. One evidence item per literal. Not applicable when there is no
    non-test Python code.
    Values: `paths` (literals found) and `files` (files holding them).
    """
    evidence: list[Evidence] = []
    files = seen = 0
    for f, facts in ctx.code(include_tests=False):
        seen += 1
        found = machine_paths(facts.python)
        files += bool(found)
        for t in found:
            evidence.append(Evidence(path=f.path, line=t.line, cell=t.cell,
                                     detail=f"hard-coded absolute path '{shorten(t.value)}'"))
    values = {"paths": len(evidence), "files": files}
    return ProbeResult.found(evidence, values, applies=bool(seen), why_not="no non-test Python code")
