"""Text from an audited repository, made safe to put in Markdown (SARIF help, summaries, comments).

Everything is shown literally: every ASCII punctuation character is backslash-escaped (CommonMark
allows escaping each), and code goes in code spans whose fences outrun any backticks inside.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character: CommonMark escapes each


def md(text: str) -> str:
    """Markdown showing `text` literally: its code spans stay code spans, all else is escaped."""
    out, last = [], 0
    for m in _CODE.finditer(text):
        out += [md_text(text[last:m.start()]), code_span(m.group(2))]
        last = m.end()
    out.append(md_text(text[last:]))
    return "".join(out).strip()


def md_text(text: str) -> str:
    return _PUNCT.sub(r"\\\1", re.sub(r"\s+", " ", text))


def code_span(text: str) -> str:
    """A code span that holds `text` whatever backticks it contains: its content is never Markdown."""
    text = re.sub(r"\s+", " ", text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
