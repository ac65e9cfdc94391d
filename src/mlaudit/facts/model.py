"""Per-file facts. They are keyed by content, so they never mention the file's path."""

from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, Field

# Bump when the extractor changes what it records; old cache rows are then ignored.
FACTS_SCHEMA = 1

Scalar = Union[bool, int, float, str, None]


class Value(BaseModel):
    """A summary of an expression passed as an argument or assigned.

    kind: const (a literal; `value` holds it), name (a resolved dotted name), call (a call
    result; `value` is the callee), other (anything else: arithmetic, subscripts, lambdas...).
    """

    kind: Literal["const", "name", "call", "other"]
    value: Scalar | list[Scalar] = None


class Site(BaseModel):
    line: int  # 1-based; in a notebook, the line within the cell
    cell: int | None = None  # notebook cell index (0-based over all cells), None for .py files


class Import(Site):
    module: str  # "numpy.random"; relative imports keep their dots (".utils")
    name: str | None = None  # for `from m import name`
    alias: str  # the local name bound


class Call(Site):
    name: str  # resolved dotted name: "numpy.random.seed", or "df.sample" when the head is local
    resolved: bool  # True when the head came from an import
    receiver: str | None = None  # for `x.m()` where x = SomeClass(...): the class's resolved name
    args: list[Value] = Field(default_factory=list)
    kwargs: dict[str, Value] = Field(default_factory=dict)  # "**" for a **mapping argument
    scope: str = "<module>"  # enclosing function, "Class.method" for methods
    conditional: bool = False  # under an `if` (other than the __main__ guard)


class Assign(Site):
    target: str  # resolved dotted name: "torch.backends.cudnn.deterministic", "LEARNING_RATE"
    value: Value
    scope: str = "<module>"


class Param(BaseModel):
    name: str
    default: Value | None = None


class Function(Site):
    name: str
    qualname: str
    end_line: int
    params: list[Param] = Field(default_factory=list)
    decorators: list[str] = Field(default_factory=list)
    class_name: str | None = None


class Class(Site):
    name: str
    bases: list[str] = Field(default_factory=list)


class ParseProblem(Site):
    message: str


class Output(BaseModel):
    output_type: str
    bytes: int
    ename: str | None = None


class Cell(BaseModel):
    index: int
    cell_type: str
    execution_count: int | None = None
    source_lines: int = 0
    empty: bool = True
    outputs: list[Output] = Field(default_factory=list)


class PythonFacts(BaseModel):
    imports: list[Import] = Field(default_factory=list)
    calls: list[Call] = Field(default_factory=list)
    assigns: list[Assign] = Field(default_factory=list)
    functions: list[Function] = Field(default_factory=list)
    classes: list[Class] = Field(default_factory=list)
    main_guard: bool = False
    lines: int = 0


class FileFacts(BaseModel):
    kind: Literal["python", "notebook"]
    python: PythonFacts = Field(default_factory=PythonFacts)
    cells: list[Cell] = Field(default_factory=list)  # notebooks only
    nbformat: int | None = None
    kernel_language: str | None = None
    problems: list[ParseProblem] = Field(default_factory=list)  # parts that could not be parsed
