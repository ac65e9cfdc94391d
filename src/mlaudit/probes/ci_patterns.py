"""Globs and regular expressions written in a repository's CI files, matched so that a bad or
hostile pattern can neither crash nor stall a scan.

A pattern Python cannot compile (`[z-a]`, `/release-[/`) matches nothing. Python's `re`
backtracks and has no timeout: a glob with many stars becomes a regex with as many unbounded
repeats, polynomial of that degree on a long name, so such globs are matched by a small
state-set automaton instead, linear in the name. A regular expression from the repository
(GitLab `=~`, Travis and CircleCI `/branch-regex/`) is run only on a short subject and when it
has no quantified group that repeats or alternates inside (`(a+)+`, `(a|ab)*`); otherwise the
caller is told the match cannot be decided and chooses which way to lean.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

MAX_REGEX_STARS = 2  # globs with more stars than this are matched by the automaton
MAX_ALTERNATIVES = 64  # `{a,b}` expansions of one glob
MAX_SUBJECT = 200  # longest text a repository regex is run on
MAX_UNBOUNDED = 3  # unbounded repeats a repository regex may have


# -- globs as GitHub, GitLab and Bitbucket read them: `*` stays within a folder, `**` does not ---
class Glob:
    """One compiled glob: a regex when that is safe, else automaton tokens; nothing when invalid."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.valid = True
        self.regex: re.Pattern[str] | None = None
        self.alternatives: list[tuple] = []
        parts = [_tokens(p) for p in _braces(pattern)]
        if any(p is None for p in parts):
            self.valid = False
            return
        if all(sum(t[0] in ("star", "dstar", "dslash") for t in p) <= MAX_REGEX_STARS for p in parts):
            self.regex = re.compile("(?:" + "|".join(_regex(p) for p in parts) + r")\Z")
        else:
            self.alternatives = parts

    def match(self, name: str) -> bool:
        if not self.valid:
            return False
        if self.regex is not None:
            return self.regex.match(name) is not None
        return any(_run(toks, name) for toks in self.alternatives)


@lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> Glob:
    return Glob(pattern.lstrip("/"))


def glob_match(pattern: str, name: str) -> bool:
    return compile_glob(pattern).match(name)


def invalid_globs(patterns: list[str]) -> list[str]:
    """The patterns of a list that match nothing because they cannot be read (`src/[z-a].py`)."""
    return [p for p in patterns if not compile_glob(p.removeprefix("!")).valid]


def _braces(pattern: str) -> list[str]:
    """`*.{py,pyx}` as `*.py` and `*.pyx` (nested braces are taken as written)."""
    out, todo = [], [pattern]
    while todo and len(out) + len(todo) <= MAX_ALTERNATIVES:
        p = todo.pop()
        m = re.search(r"\{([^{}]*,[^{}]*)\}", p)
        if m is None:
            out.append(p)
        else:
            todo += [p[:m.start()] + alt + p[m.end():] for alt in m.group(1).split(",")]
    return out + todo[: max(0, MAX_ALTERNATIVES - len(out))]


def _tokens(pattern: str) -> tuple | None:
    """("lit", c), ("one", class regex or None), ("star",) within a folder, ("dstar",) across
    folders, ("dslash",) for `**/` (any folders, or none). None when a `[...]` class is invalid."""
    out: list[tuple] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append(("dslash",))
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(("dstar",))
            i += 2
            continue
        if c == "*":
            out.append(("star",))
        elif c == "?":
            out.append(("one", None))
        elif c == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)  # `[]a]`: a `]` right after `[` belongs to the class
            body = pattern[i + 1:end]
            body = "^" + body[1:] if body.startswith("!") else body
            cls = compile_regex("[" + body.replace("\\", "\\\\") + "]")
            if cls is None:
                return None
            out.append(("one", cls))
            i = end + 1
            continue
        else:
            out.append(("lit", c))
        i += 1
    return tuple(out)


def _regex(tokens: tuple) -> str:
    out = []
    for t in tokens:
        kind = t[0]
        if kind == "lit":
            out.append(re.escape(t[1]))
        elif kind == "one":
            out.append("[^/]" if t[1] is None else f"(?!/){t[1].pattern}")
        elif kind == "star":
            out.append("[^/]*")
        elif kind == "dstar":
            out.append(".*")
        else:
            out.append("(?:.*/)?")
    return "".join(out)


def _run(tokens: tuple, name: str) -> bool:
    """The glob as a state-set automaton. A state is a token index; -(k+1) is "inside the `.*/`
    of the `**/` at k". Linear in the name whatever the pattern."""
    n = len(tokens)

    def closure(states: set[int]) -> set[int]:
        todo = list(states)
        while todo:
            k = todo.pop()
            if 0 <= k < n and tokens[k][0] in ("star", "dstar", "dslash") and k + 1 not in states:
                states.add(k + 1)
                todo.append(k + 1)
        return states

    states = closure({0})
    for ch in name:
        nxt: set[int] = set()
        for k in states:
            if k < 0:
                nxt.add(k)
                if ch == "/":
                    nxt.add(-k)  # -(k+1) -> k+1
                continue
            if k >= n:
                continue
            t = tokens[k]
            kind = t[0]
            if kind == "lit":
                if t[1] == ch:
                    nxt.add(k + 1)
            elif kind == "one":
                if ch != "/" and (t[1] is None or t[1].fullmatch(ch)):
                    nxt.add(k + 1)
            elif kind == "star":
                if ch != "/":
                    nxt.add(k)
            elif kind == "dstar":
                nxt.add(k)
            else:  # dslash: start the `.*/`; a "/" right away ends it
                nxt.add(-(k + 1))
                if ch == "/":
                    nxt.add(k + 1)
        if not nxt:
            return False
        states = closure(nxt)
    return n in states


# -- regular expressions --------------------------------------------------------------------
@lru_cache(maxsize=1024)
def compile_regex(pattern: str, flags: int = 0) -> re.Pattern[str] | None:
    """A regular expression from the repository, or None when Python cannot compile it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "possible nested set": the repository's business, not the scan's
            return re.compile(pattern, flags)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


@lru_cache(maxsize=1024)
def may_backtrack(pattern: str) -> bool:
    """Whether a regex can take more than a moment: a quantified group holding a quantifier or an
    alternation (`(a+)+`, `(a|aa)*`), or more than a few unbounded repeats (`.*a.*b.*c.*d`)."""
    stack: list[bool] = []  # per open group: holds a quantifier or an alternation
    closed: bool | None = None  # the flag of a group that just closed
    unbounded = 0
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        was, closed = closed, None
        if c == "\\":
            i += 2
        elif c == "[":
            i += 1
            if pattern.startswith("^", i):
                i += 1
            if pattern.startswith("]", i):
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        elif c == "(":
            stack.append(False)
            i += 1
            if pattern.startswith("?", i):  # (?:, (?P<name>, (?=...: not a quantifier
                m = re.match(r"\?(?:P<\w*>|P=\w*|<[=!]|<\w*>|[:=!>]|[aiLmsux-]*:?)", pattern[i:])
                i += m.end() if m else 1
        elif c == ")":
            closed = stack.pop() if stack else False
            if stack and closed:
                stack[-1] = True
            i += 1
        elif c == "|":
            if stack:
                stack[-1] = True
            i += 1
        elif c in "*+?" or (c == "{" and re.match(r"\{\d*,?\d*\}", pattern[i:])):
            brace = re.match(r"\{(\d*)(,?)(\d*)\}", pattern[i:]) if c == "{" else None
            if c in "*+" or (brace and brace.group(2) and not brace.group(3)):
                unbounded += 1
            if was and c != "?":
                return True  # a group that repeats or alternates, repeated
            if stack:
                stack[-1] = True
            i += brace.end() if brace else 1
            if i < n and pattern[i] in "?+":  # lazy or possessive
                i += 1
        else:
            i += 1
    return unbounded > MAX_UNBOUNDED


@lru_cache(maxsize=4096)
def regex_search(pattern: str, subject: str, flags: int = 0, full: bool = False) -> bool | None:
    """Does a repository regex match (search, or fullmatch when `full`)? False when the pattern is
    invalid (it matches nothing); None when running it could stall: a subject over MAX_SUBJECT
    characters, or a pattern that may backtrack."""
    rx = compile_regex(pattern, flags)
    if rx is None:
        return False
    if len(subject) > MAX_SUBJECT or may_backtrack(pattern):
        return None
    return (rx.fullmatch(subject) if full else rx.search(subject)) is not None
