"""Line numbers for the keys of `[tool.mlaudit]` in a pyproject.toml.

tomllib keeps no positions, and a config error without its line is half a message. The file
has already parsed, so this only has to find where each key of our table was written: plain
keys of `[tool.mlaudit]`, entries of an array of tables (`[[tool.mlaudit.attest]]`) and the
items of an inline array (`attest = [{check = "...", ...}]`; TOML keeps an inline table on one
line, so an item's line is its fields' line too). Anything else falls back to its parent's line.
"""

from __future__ import annotations

import re
from typing import Any

# No lazy group between `\s*` runs: a line of `[` and spaces must be rejected in linear time.
_HEADER = re.compile(r"""^[ \t]*+(\[\[?)([A-Za-z0-9_."' \t-]*+)\]\]?[ \t]*+(?:#.*)?$""")


def _key(name: str) -> re.Pattern[str]:
    return re.compile(rf"""^\s*(?:{re.escape(name)}|"{re.escape(name)}"|'{re.escape(name)}')\s*=""")


def _headers(lines: list[str]) -> list[tuple[int, str, bool]]:
    """(line index, dotted name without spaces or quotes, is an array of tables)."""
    out = []
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if m:
            out.append((i, re.sub(r"""[\s"']""", "", m.group(2)), m.group(1) == "[["))
    return out


def _inline_items(lines: list[str], start: int) -> list[int]:
    """Line indexes of the `{` opening each inline table of the array whose `key =` is on `start`."""
    items: list[int] = []
    square = curly = 0
    began = False
    for i in range(start, len(lines)):
        line = lines[i]
        j = line.index("=") + 1 if i == start else 0
        quote: str | None = None
        while j < len(line):
            ch = line[j]
            if quote:
                if ch == "\\" and quote == '"':
                    j += 1
                elif ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch == "[":
                square, began = square + 1, True
            elif ch == "]":
                square -= 1
                if began and square == 0:
                    return items
            elif ch == "{":
                if curly == 0 and square == 1:
                    items.append(i)
                curly += 1
            elif ch == "}":
                curly -= 1
            j += 1
        if not began:
            return items  # the value is not an array
    return items


def toml_lines(text: str, table: str, data: dict[str, Any]) -> dict[tuple, int]:
    """1-based lines of `table`'s keys (e.g. table="tool.mlaudit"), by location tuple."""
    lines = text.splitlines()
    headers = _headers(lines)
    out: dict[tuple, int] = {}

    def body(start: int) -> range:
        following = [h for h, _, _ in headers if h > start]
        return range(start + 1, following[0] if following else len(lines))

    own = next((h for h, name, array in headers if name == table and not array), None)
    if own is not None:
        out[()] = own + 1
    for key, value in data.items():
        found = None
        if own is not None:
            found = next((i for i in body(own) if _key(str(key)).match(lines[i])), None)
        tables = [h for h, name, array in headers if array and name == f"{table}.{key}"]
        if found is not None:
            out[(key,)] = found + 1
            if isinstance(value, list):
                for n, item_line in enumerate(_inline_items(lines, found)):
                    out[(key, n)] = item_line + 1
                    if n < len(value) and isinstance(value[n], dict):
                        for field in value[n]:
                            out[(key, n, field)] = item_line + 1
        elif tables:
            out[(key,)] = tables[0] + 1
            for n, h in enumerate(tables):
                out[(key, n)] = h + 1
                if n < len(value) and isinstance(value[n], dict):
                    for field in value[n]:
                        line = next((i for i in body(h) if _key(str(field)).match(lines[i])), None)
                        if line is not None:
                            out[(key, n, field)] = line + 1
    return out
