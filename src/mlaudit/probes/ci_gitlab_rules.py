"""GitLab's `rules: if:` expressions: variables, string and regex comparisons, `&&`, `||` and
parentheses, evaluated for one imagined pipeline. Unset variables are null, as GitLab has them."""

from __future__ import annotations

import re

from mlaudit.probes.ci_patterns import regex_search

TOKEN = re.compile(r"""\s*(?:(?P<var>\$\{?[A-Za-z_]\w*\}?)|(?P<str>"[^"]*"|'[^']*')|(?P<re>/(?:\\.|[^/\\])*/[a-z]*)
                     |(?P<null>null\b)|(?P<op>==|!=|=~|!~|&&|\|\||\(|\)))""", re.X)


class _Maybe:
    """A `=~` that was not run (see `evaluate`)."""

    def __repr__(self) -> str:
        return "MAYBE"


MAYBE = _Maybe()


class _Regex(str):
    """A `/pattern/flags` literal, kept as written until it meets its subject."""


def evaluate(expr: str, variables: dict[str, str]) -> bool | None:
    """A `rules: if:` expression, or None when it cannot be read.

    Python's `re` has no timeout, so a `=~` is run only on a subject of at most 200 characters
    and a pattern without a quantified group that repeats or alternates (ci_patterns). Otherwise
    the comparison is undecided and an expression that hangs on it counts as matching: the rule
    "may match". A rule is how the author says when a job runs; dropping the job because
    mlaudit declined to run a regex would report a CI that never runs its tests on the strength
    of an expression nobody evaluated, while taking the rule as written keeps the job as the
    author meant it for ordinary pipelines. A pattern Python cannot compile matches nothing."""
    tokens, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if m is None or m.end() == pos:
            return None
        tokens.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
        while pos < len(expr) and expr[pos].isspace():
            pos += 1
    try:
        value, rest = _or(tokens, variables)
    except (IndexError, ValueError):
        return None
    if rest:
        return None
    return True if value is MAYBE else bool(value)


def _truth(value):
    return value if value is MAYBE else bool(value)


def _or(tokens, v):
    left, tokens = _and(tokens, v)
    while tokens and tokens[0] == ("op", "||"):
        right, tokens = _and(tokens[1:], v)
        pair = (_truth(left), _truth(right))
        left = True if True in pair else MAYBE if MAYBE in pair else False
    return left, tokens


def _and(tokens, v):
    left, tokens = _cmp(tokens, v)
    while tokens and tokens[0] == ("op", "&&"):
        right, tokens = _cmp(tokens[1:], v)
        pair = (_truth(left), _truth(right))
        left = False if False in pair else MAYBE if MAYBE in pair else True
    return left, tokens


def _cmp(tokens, v):
    left, tokens = _atom(tokens, v)
    if tokens and tokens[0][0] == "op" and tokens[0][1] in ("==", "!=", "=~", "!~"):
        op = tokens[0][1]
        right, tokens = _atom(tokens[1:], v)
        if left is MAYBE or right is MAYBE:
            return MAYBE, tokens
        if op in ("==", "!="):
            return (left == right) == (op == "=="), tokens
        if not isinstance(right, str) or not right.startswith("/"):
            raise ValueError("=~ needs a pattern")  # a variable holding "/re/" is a pattern too
        hit = match(right, left) if isinstance(left, str) else False
        return (MAYBE if hit is None else hit == (op == "=~")), tokens
    if isinstance(left, _Regex):
        raise ValueError("a pattern alone")
    return (left if left is MAYBE else left is not None and left != ""), tokens


def _atom(tokens, v):
    kind, text = tokens[0]
    if kind == "op" and text == "(":
        value, rest = _or(tokens[1:], v)
        if not rest or rest[0] != ("op", ")"):
            raise ValueError("unbalanced")
        return value, rest[1:]
    if kind == "var":
        return v.get(text.strip("${}")), tokens[1:]
    if kind == "str":
        return text[1:-1], tokens[1:]
    if kind == "re":
        return _Regex(text), tokens[1:]
    if kind == "null":
        return None, tokens[1:]
    raise ValueError(text)


def match(literal: str, subject: str) -> bool | None:
    """Does a `/pattern/flags` literal match (search) a value? None when it was not run."""
    body, _, flags = literal[1:].rpartition("/")
    return regex_search(body, subject, re.IGNORECASE if "i" in flags else 0)
