"""Per-file facts. They are keyed by content, so they never mention the file's path.

Facts are the hot data of a scan (a large repository has hundreds of thousands of call
sites), so they are NamedTuples with a positional JSON codec rather than validated models:
decoding a cached file costs a json.loads and a few tuple constructions.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

# Bump when the extractor changes what it records; old cache rows are then ignored.
FACTS_SCHEMA = 2


class Value(NamedTuple):
    """A summary of an expression passed as an argument or assigned.

    kind: const (a literal; `value` holds it), name (a resolved dotted name), call (a call
    result; `value` is the callee), parts (a list or tuple mixing literals and expressions:
    `value` lists the literals, None for the rest), fstring (an f-string: its literal text with
    `{}` for each expression), other (anything else: arithmetic, subscripts, lambdas...).
    """

    kind: str
    value: Any = None
    local: str | None = None  # for kind "name": the name as written here ("X_test"), before resolution


class Import(NamedTuple):
    line: int  # 1-based; in a notebook, the line within the cell
    cell: int | None  # notebook cell index (0-based over all cells), None for .py files
    module: str  # "numpy.random"; relative imports keep their dots (".utils")
    name: str | None  # for `from m import name`
    alias: str  # the local name bound


class Call(NamedTuple):
    line: int
    cell: int | None
    name: str  # resolved dotted name: "numpy.random.seed", or "df.sample" when the head is local
    resolved: bool  # True when the head came from an import
    args: tuple[Value, ...]
    kwargs: dict[str, Value]  # "**" for a **mapping argument
    scope: str  # enclosing function, "Class.method" for methods, "<module>"
    conditional: bool  # under an `if` (other than the __main__ guard)


class Assign(NamedTuple):
    """A binding: `x = ...`, each name of `a, b = ...`, a `for x in ...` target, `obj.attr = ...`."""

    line: int
    cell: int | None
    target: str  # a local name as written ("X_train"), or a resolved attribute ("torch.backends.cudnn.deterministic")
    value: Value
    scope: str


class Text(NamedTuple):
    """A string literal that looks like an absolute file-system path (kept: most strings are not)."""

    line: int
    cell: int | None
    value: str


class Block(NamedTuple):
    """A span of code: an `if False:` block, a run of commented-out code, or a function/cell body
    hashed (whitespace and comments normalised away) to find copy-paste across files."""

    line: int
    cell: int | None
    kind: str  # "dead-if" | "commented-code" | "function" | "cell"
    lines: int
    digest: str | None = None
    name: str | None = None  # a function's qualname; "imports-only" for a dead-if or cell of imports


class Compare(NamedTuple):
    """A comparison against a number strictly between 0 and 1: a likely decision threshold."""

    line: int
    cell: int | None
    subject: str  # what is compared: a resolved name, or a call "sklearn...predict_proba()"
    op: str
    value: float


class Param(NamedTuple):
    name: str
    default: Value | None


class Function(NamedTuple):
    line: int
    cell: int | None
    name: str
    qualname: str
    end_line: int
    params: tuple[Param, ...]
    decorators: tuple[str, ...]
    class_name: str | None


class Class(NamedTuple):
    line: int
    cell: int | None
    name: str
    bases: tuple[str, ...]


class ParseProblem(NamedTuple):
    line: int
    cell: int | None
    message: str


class Output(NamedTuple):
    output_type: str
    bytes: int
    ename: str | None


class Cell(NamedTuple):
    index: int
    cell_type: str
    execution_count: int | None
    source_lines: int
    empty: bool
    outputs: tuple[Output, ...]
    comment_only: bool = False  # code lines are all blank or comments: nothing to run


class PythonFacts(NamedTuple):
    imports: list[Import]
    calls: list[Call]
    assigns: list[Assign]
    functions: list[Function]
    classes: list[Class]
    main_guard: bool
    lines: int
    texts: list[Text]
    blocks: list[Block]
    compares: list[Compare]


class FileFacts(NamedTuple):
    kind: str  # "python" | "notebook"
    python: PythonFacts
    cells: tuple[Cell, ...] = ()
    nbformat: int | None = None
    kernel_language: str | None = None
    problems: tuple[ParseProblem, ...] = ()


# -- codec: NamedTuples serialise as JSON arrays; decoding rebuilds them by position ----------
# tuple.__new__ skips the NamedTuple constructor's Python-level wrapper: on a warm scan of a
# large repository this rebuild is most of the work, and it halves its cost.
_new = tuple.__new__
_NO_KWARGS: dict[str, Value] = {}  # shared: facts are read-only once built


def _value(v: list | None) -> Value | None:
    return None if v is None else _new(Value, v)


def encode(facts: FileFacts) -> bytes:
    return json.dumps(facts, separators=(",", ":")).encode()


def decode(data: bytes) -> FileFacts:
    kind, py, cells, nbf, lang, problems = json.loads(data)
    imports, calls, assigns, functions, classes, main_guard, lines, texts, blocks, compares = py
    return FileFacts(
        kind,
        PythonFacts(
            [_new(Import, i) for i in imports],
            [_new(Call, (c[0], c[1], c[2], c[3], tuple([_new(Value, a) for a in c[4]]) if c[4] else (),
                         {k: _new(Value, v) for k, v in c[5].items()} if c[5] else _NO_KWARGS, c[6], c[7]))
             for c in calls],
            [_new(Assign, (a[0], a[1], a[2], _new(Value, a[3]), a[4])) for a in assigns],
            [_new(Function, (f[0], f[1], f[2], f[3], f[4], tuple([_new(Param, (p[0], _value(p[1]))) for p in f[5]]),
                             tuple(f[6]), f[7])) for f in functions],
            [_new(Class, (c[0], c[1], c[2], tuple(c[3]))) for c in classes],
            main_guard, lines,
            [_new(Text, t) for t in texts], [_new(Block, b) for b in blocks], [_new(Compare, c) for c in compares],
        ),
        tuple(_new(Cell, (c[0], c[1], c[2], c[3], c[4], tuple([_new(Output, o) for o in c[5]]), c[6]))
              for c in cells),
        nbf, lang, tuple(_new(ParseProblem, p) for p in problems),
    )


