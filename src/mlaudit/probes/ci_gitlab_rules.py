"""GitLab's `rules: if:` expressions: variables, string and regex comparisons, `&&`, `||` and
parentheses, evaluated for one imagined pipeline. Unset variables are null, as GitLab has them."""

from __future__ import annotations

import re

TOKEN = re.compile(r"""\s*(?:(?P<var>\$\{?[A-Za-z_]\w*\}?)|(?P<str>"[^"]*"|'[^']*')|(?P<re>/(?:\\.|[^/\\])*/[a-z]*)
                     |(?P<null>null\b)|(?P<op>==|!=|=~|!~|&&|\|\||\(|\)))""", re.X)


def evaluate(expr: str, variables: dict[str, str]) -> bool | None:
    """A `rules: if:` expression, or None when it cannot be read."""
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
    except (IndexError, ValueError, re.error):
        return None
    return bool(value) if not rest else None


def _or(tokens, v):
    left, tokens = _and(tokens, v)
    while tokens and tokens[0] == ("op", "||"):
        right, tokens = _and(tokens[1:], v)
        left = bool(left) or bool(right)
    return left, tokens


def _and(tokens, v):
    left, tokens = _cmp(tokens, v)
    while tokens and tokens[0] == ("op", "&&"):
        right, tokens = _cmp(tokens[1:], v)
        left = bool(left) and bool(right)
    return left, tokens


def _cmp(tokens, v):
    left, tokens = _atom(tokens, v)
    if tokens and tokens[0][0] == "op" and tokens[0][1] in ("==", "!=", "=~", "!~"):
        op = tokens[0][1]
        right, tokens = _atom(tokens[1:], v)
        if op in ("==", "!="):
            return (left == right) == (op == "=="), tokens
        if isinstance(right, str) and right.startswith("/"):
            right = regex(right)
        if not isinstance(right, re.Pattern):
            raise ValueError("=~ needs a pattern")
        hit = isinstance(left, str) and right.search(left) is not None
        return hit == (op == "=~"), tokens
    if isinstance(left, re.Pattern):
        raise ValueError("a pattern alone")
    return (left is not None and left != ""), tokens


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
        return regex(text), tokens[1:]
    if kind == "null":
        return None, tokens[1:]
    raise ValueError(text)


def regex(text: str) -> re.Pattern[str]:
    body, _, flags = text[1:].rpartition("/")
    return re.compile(body, re.IGNORECASE if "i" in flags else 0)
