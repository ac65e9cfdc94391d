"""Notebooks as data: cells, execution counts, outputs, and their code as one program.

Code cells are parsed in cell order with IPython syntax (`%magic`, `!shell`, `%%cell`
magics, `x = !cmd`, `obj?`) neutralised line by line, so line numbers inside a cell stay true.
"""

from __future__ import annotations

import json
import logging
import re
import warnings

import nbformat

from mlaudit.facts.model import Block, Cell, FileFacts, Output, ParseProblem
from mlaudit.facts.python_source import MIN_BLOCK_LINES, Extractor, normalised_digest

# Cell magics whose body is still Python; any other `%%` cell (bash, html, writefile...) is not.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit", "snakeviz"})

_LINE_MAGIC = re.compile(r"^(\s*)[%!]")
_ASSIGN_MAGIC = re.compile(r"^(\s*)([\w.\[\], ]+?)\s*=\s*[%!]")
_HELP = re.compile(r"^(\s*)\??[\w.]+\?\??\s*$")


def neutralise_magics(source: str) -> str | None:
    """Return Python source with IPython syntax replaced by `pass`, or None if the cell is not Python."""
    lines = source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            return None
        lines[first] = ""
    out = []
    continued = False  # inside a magic or shell line continued with a trailing backslash
    for line in lines:
        if continued:
            out.append("")
            continued = line.rstrip().endswith("\\")
            continue
        m = _ASSIGN_MAGIC.match(line)
        if m and not line.lstrip().startswith("%%"):
            out.append(f"{m.group(1)}{m.group(2)} = None")
        else:
            m = _LINE_MAGIC.match(line) or _HELP.match(line)
            out.append(f"{m.group(1)}pass" if m else line)
        continued = m is not None and line.rstrip().endswith("\\")
    return "\n".join(out)


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def extract_notebook(raw: bytes) -> tuple[FileFacts, list[ParseProblem]]:
    """Raises ValueError with a readable message when the file is not a notebook at all."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start})") from None
    logger = logging.getLogger("nbformat")
    previous, logger.disabled = logger.disabled, True  # nbformat logs schema complaints; we report our own
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. MissingIDFieldWarning on older notebooks
            nb = nbformat.reads(text, as_version=4)
    except nbformat.reader.NotJSONError:
        raise ValueError("invalid JSON; the notebook cannot be read") from None
    except Exception as exc:  # nbformat raises many kinds for malformed-but-JSON files
        raise ValueError(f"not a readable notebook: {type(exc).__name__}: {exc}".strip()[:300]) from None
    finally:
        logger.disabled = previous

    # nbformat logs schema errors instead of raising them: every shape is checked here.
    meta = _mapping(nb.get("metadata"))
    language = str(_mapping(meta.get("kernelspec")).get("language")
                   or _mapping(meta.get("language_info")).get("name") or "python").lower()
    problems: list[ParseProblem] = []
    cells: list[Cell] = []
    ex = Extractor()
    raw_cells = nb.get("cells")
    for index, cell in enumerate(raw_cells if isinstance(raw_cells, list) else []):
        cell = _mapping(cell)
        source = cell.get("source", "")
        if isinstance(source, list):  # tolerated by some writers even in v4
            source = "".join(s for s in source if isinstance(s, str))
        source = source if isinstance(source, str) else ""
        ctype = str(cell.get("cell_type", "raw"))
        raw_outputs = cell.get("outputs") if ctype == "code" else None
        outputs = tuple(
            Output(str(o.get("output_type", "?")), len(json.dumps(o, separators=(",", ":"), default=str)),
                   o.get("ename") if isinstance(o.get("ename"), str) else None)
            for o in (raw_outputs if isinstance(raw_outputs, list) else []) if isinstance(o, dict))
        count = cell.get("execution_count") if ctype == "code" else None
        comment_only = bool(source.strip()) and all(
            not ln.strip() or ln.lstrip().startswith("#") for ln in source.splitlines())
        cells.append(Cell(index, ctype, count if isinstance(count, int) else None,
                          source.count("\n") + 1 if source else 0, not source.strip(), outputs, comment_only))
        if ctype == "code" and language == "python" and source.strip():
            code = neutralise_magics(source)
            if code is not None:
                problem = ex.add_source(code, cell=index)
                if problem:
                    problems.append(problem)
                n, digest = normalised_digest(code.splitlines())
                if n >= MIN_BLOCK_LINES and problem is None:
                    ex.blocks.append(Block(1, index, "cell", n, digest, "imports-only" if ex.imports_only else None))
    lines = sum(c.source_lines for c in cells if c.cell_type == "code")
    version = nb.get("nbformat") if isinstance(nb.get("nbformat"), int) else None
    facts = FileFacts("notebook", ex.facts(lines), tuple(cells), version, language, tuple(problems))
    return facts, problems


def code_cell_sources(text: str) -> list[tuple[int, str]]:
    """(cell index, source) of a notebook's code cells, indexed over all cells as facts are."""
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than the stack
        return []
    if not isinstance(nb, dict):
        return []
    cells = nb.get("cells")
    if not isinstance(cells, list):  # nbformat 3 kept cells in worksheets, code in `input`
        sheets = nb.get("worksheets")
        cells = [c for ws in sheets if isinstance(ws, dict) for c in ws.get("cells") or []] \
            if isinstance(sheets, list) else []
    out = []
    for index, c in enumerate(cells):
        if not isinstance(c, dict) or c.get("cell_type") != "code":
            continue
        source = c.get("source", c.get("input", ""))
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if isinstance(source, str):
            out.append((index, source))
    return out
