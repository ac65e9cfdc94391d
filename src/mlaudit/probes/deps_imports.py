"""What the code imports, for a project that declares nothing: the third-party packages it
would need, and the project's own packages (a requirement on one is not third-party)."""

from __future__ import annotations

import sys
from pathlib import PurePosixPath

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.deps_requirements import normalise
from mlaudit.probes.model import Evidence

# Imports that need no declaration: Python 2's standard library and the packaging tools.
_NOT_THIRD_PARTY = frozenset({
    "urllib2", "cPickle", "ConfigParser", "Queue", "StringIO", "cStringIO", "httplib", "HTMLParser", "urlparse",
    "__builtin__", "commands", "thread", "Tkinter", "tkMessageBox", "md5", "sets", "exceptions", "copy_reg",
    "cookielib", "SocketServer", "BaseHTTPServer", "SimpleHTTPServer", "xmlrpclib", "dummy_thread", "anydbm",
    "whichdb", "future_builtins", "imp", "__future__", "distutils", "setuptools", "pkg_resources",
})


def third_party_imports(ctx: ProbeContext) -> dict[str, Evidence]:
    """The first import of each top-level module that is neither standard library nor the project's own."""
    own: set[str] = set()
    for f in ctx.store.code_files():
        parts = PurePosixPath(f.path).parts
        own.update(parts[:-1])
        own.add(PurePosixPath(f.path).stem)
    stdlib = set(sys.stdlib_module_names) | _NOT_THIRD_PARTY
    found: dict[str, Evidence] = {}
    for f, facts in ctx.code():
        for imp in facts.python.imports:
            if imp.module.startswith("."):
                continue
            top = imp.module.split(".")[0]
            if not top or top in stdlib or top in own or top in found:
                continue
            found[top] = Evidence(path=f.path, line=imp.line, cell=imp.cell, detail=(
                f"imports {top}, but no requirements file, pyproject.toml, setup.py or environment file declares it"))
    return found


def own_packages(ctx: ProbeContext) -> set[str]:
    """Normalised names of the project's own top-level packages: a requirement on one is not
    third-party. Subpackages do not count: `keras/src/backend/torch/` is not torch."""
    packages = {PurePosixPath(f.path).parent.as_posix() for f in ctx.files("__init__.py") if "/" in f.path}
    return {normalise(PurePosixPath(p).name) for p in packages if PurePosixPath(p).parent.as_posix() not in packages}
