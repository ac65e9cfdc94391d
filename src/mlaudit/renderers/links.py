"""Links from evidence to the code: the forge's page at the scanned commit, else a relative path.

Paths come from the audited repository and may be hostile (a file may be named
`javascript:alert(1)`), so every path is percent-encoded and anchored under a known base.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

_COMMIT_PAGES = {"github.com": "{base}/commit/{sha}", "gitlab.com": "{base}/-/commit/{sha}",
                 "bitbucket.org": "{base}/commits/{sha}"}
_FORGES = {  # host -> (file page, line anchor)
    "github.com": ("{base}/blob/{commit}/{path}", "#L{line}"),
    "gitlab.com": ("{base}/-/blob/{commit}/{path}", "#L{line}"),
    "bitbucket.org": ("{base}/src/{commit}/{path}", "#lines-{line}"),
}
_REMOTE = re.compile(r"^(?:https?://(?:[^@/]+@)?|ssh://git@|git@)(?P<host>[\w.-]+)[:/](?P<repo>[\w.~-]+/[\w.~/-]+?)(?:\.git)?/?$")


def forge_base(remote_url: str | None) -> tuple[str, str] | None:
    """(host, https base URL) for a GitHub, GitLab or Bitbucket remote."""
    if not remote_url:
        return None
    m = _REMOTE.match(remote_url.strip())
    if not m or m.group("host") not in _FORGES:
        return None
    return m.group("host"), f"https://{m.group('host')}/{m.group('repo')}"


class Linker:
    def __init__(self, remote_url: str | None, commit: str | None, prefix: str, repo_root: str, report_dir: Path,
                 changed: frozenset[str] = frozenset()):
        self._forge = forge_base(remote_url) if commit else None
        self._changed = changed  # not at `commit` on the forge: linked locally
        self._commit = commit
        self._prefix = prefix
        try:
            self._relative_root = Path(os.path.relpath(repo_root, report_dir)).as_posix()
        except ValueError:  # another drive on Windows
            self._relative_root = Path(repo_root).as_uri()

    def to(self, x) -> str | None:
        """Where a finding, an evidence item or a config entry (anything with a path, a line and
        perhaps a cell and a commit) points. A notebook's line counts within its cell, not within
        the .ipynb file, so a notebook is linked without a line; a path outside the repository is not linked."""
        if x.path is not None and Path(x.path).is_absolute():
            return None
        line = None if getattr(x, "cell", None) is not None else x.line
        return self.href(x.path, line, getattr(x, "commit", None))

    def href(self, path: str | None, line: int | None = None, commit: str | None = None) -> str | None:
        if path is None:
            if commit and self._forge and re.fullmatch(r"[0-9a-f]{7,64}", commit):
                host, base = self._forge
                return _COMMIT_PAGES[host].format(base=base, sha=commit)
            return None
        if self._forge and path not in self._changed:
            host, base = self._forge
            page, anchor = _FORGES[host]
            # At the commit the evidence is from, when it names one (a fixed finding's file may be gone since).
            at = commit if commit and re.fullmatch(r"[0-9a-f]{7,64}", commit) else self._commit
            url = page.format(base=base, commit=at, path=quote(self._prefix + path))
            return url + (anchor.format(line=line) if line else "")
        return "./" + quote(f"{self._relative_root}/{path}" if self._relative_root != "." else path)
