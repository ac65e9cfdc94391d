"""One pass over a Python AST that keeps only the facts probes need.

Names are resolved through imports and simple local bindings, so `np.random.seed`,
`from numpy import random as npr; npr.seed` and `numpy.random.seed` all come out as
`numpy.random.seed`. A variable bound to a call result resolves to the callee plus "()",
so `scaler = StandardScaler(); scaler.fit(X)` records `sklearn.preprocessing.StandardScaler().fit`.
"""

from __future__ import annotations

import ast
import hashlib
import re
import textwrap
import warnings

from mlaudit.facts.model import (
    Assign, Block, Call, Class, Compare, Function, Import, Param, ParseProblem, PythonFacts, Text, Value,
)

_CONST_TYPES = (bool, int, float, str, type(None))
_MISSING = object()
# Nodes that can hold no call, import, definition, assignment or string: never descended into.
_LEAVES = (ast.Name, ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop, ast.alias, ast.arg)
# Absolute paths into someone's home folder or a Windows drive: they work on one machine only.
ABSOLUTE_PATH = re.compile(r"^(?:/home/[^/\s]+|/Users/[^/\s]+|/root/|[A-Za-z]:[\\/]+[^\\/\s])")
MIN_BLOCK_LINES = 6  # shorter functions and cells are too generic to call copy-paste
_OPS = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!="}
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
_CODE_LINE = re.compile(r"[=()\[\]]|^(?:import|from|def|class|return|for|while|if|with|print)\b")


def normalised_digest(lines: list[str]) -> tuple[int, str]:
    """(number of code lines, digest) with blank lines, comments and indentation ignored."""
    code = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return len(code), hashlib.sha1("\n".join(code).encode("utf-8", "replace")).hexdigest()[:16]


def commented_code(lines: list[str], cell: int | None, in_strings: frozenset[int] = frozenset()) -> list[Block]:
    """Runs of three or more comment lines that parse as Python and mostly look like code.
    Lines inside a multi-line string (`in_strings`, 1-based) are text, not comments."""
    found: list[Block] = []
    i = 0
    while i < len(lines):
        if not _is_comment(lines[i]) or i + 1 in in_strings:
            i += 1
            continue
        j = i
        while j < len(lines) and _is_comment(lines[j]) and j + 1 not in in_strings:
            j += 1
        body = [re.sub(r"^\s*# ?", "", ln) for ln in lines[i:j]]
        codeish = sum(1 for b in body if _CODE_LINE.search(b.strip()))
        if j - i >= 3 and codeish * 2 >= len(body) and _parses(body):
            found.append(Block(i + 1, cell, "commented-code", j - i))
        i = j
    return found


def _is_comment(line: str) -> bool:
    s = line.lstrip()
    return s.startswith("#") and not s.startswith(("#!", "# -*-", "# type:", "# noqa", "# pragma"))


def _parses(body: list[str]) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(textwrap.dedent("\n".join(body)))
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


class Extractor:
    """Collects facts from one module, or from a notebook's cells in order.

    Keeping one instance across a notebook's cells lets an import in cell 1 resolve a
    call in cell 7, as it does when the notebook runs top to bottom. The walk is a hand-made
    dispatch rather than ast.NodeVisitor: it skips leaf nodes, which are most of any tree.
    """

    def __init__(self) -> None:
        self.imports: list[Import] = []
        self.calls: list[Call] = []
        self.assigns: list[Assign] = []
        self.functions: list[Function] = []
        self.classes: list[Class] = []
        self.main_guard = False
        self.texts: list[Text] = []
        self.blocks: list[Block] = []
        self.compares: list[Compare] = []
        self._src: list[str] = []
        self._string_lines: set[int] = set()
        self.imports_only = False  # the last source added held nothing but imports
        self.aliases: dict[str, str] = {}
        self.cell: int | None = None
        self._scope: list[str] = []
        self._class: list[str] = []
        self._conditional = 0
        self._dispatch = {
            ast.Import: self._import, ast.ImportFrom: self._import_from, ast.Call: self._call,
            ast.Assign: self._assign, ast.AnnAssign: self._ann_assign, ast.If: self._if,
            ast.FunctionDef: self._function, ast.AsyncFunctionDef: self._function, ast.ClassDef: self._class_def,
            ast.Constant: self._constant, ast.Compare: self._compare,
            ast.For: self._for, ast.AsyncFor: self._for,
        }

    def facts(self, lines: int) -> PythonFacts:
        return PythonFacts(self.imports, self.calls, self.assigns, self.functions, self.classes,
                           self.main_guard, lines, self.texts, self.blocks, self.compares)

    # -- entry point ----------------------------------------------------------------------
    def add_source(self, source: str | bytes, cell: int | None = None) -> ParseProblem | None:
        self.cell = cell
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is not our finding
                tree = ast.parse(source)
        except SyntaxError as exc:
            return ParseProblem(exc.lineno or 1, cell, f"syntax error: {exc.msg}")
        except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
            return ParseProblem(1, cell, f"cannot parse: {exc or type(exc).__name__}")
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        self._src = text.splitlines()
        self._string_lines = set()
        self.imports_only = _imports_only(tree.body)
        saved = self._checkpoint()
        try:
            self.visit_all(tree.body)
        except RecursionError:
            self._rollback(saved)  # no half-walked facts, and the next notebook cell starts clean
            return ParseProblem(1, cell, "cannot parse: nesting too deep")
        self.blocks.extend(commented_code(self._src, cell, frozenset(self._string_lines)))
        return None

    def _checkpoint(self) -> tuple:
        sizes = tuple(len(x) for x in (self.imports, self.calls, self.assigns, self.functions, self.classes,
                                       self.texts, self.blocks, self.compares))
        return sizes, dict(self.aliases), list(self._scope), list(self._class), self._conditional, self.main_guard

    def _rollback(self, saved: tuple) -> None:
        sizes, self.aliases, self._scope, self._class, self._conditional, self.main_guard = saved
        for facts, n in zip((self.imports, self.calls, self.assigns, self.functions, self.classes,
                             self.texts, self.blocks, self.compares), sizes):
            del facts[n:]

    # -- traversal ------------------------------------------------------------------------
    def visit(self, node: ast.AST) -> None:
        handler = self._dispatch.get(type(node))
        if handler is not None:
            handler(node)
        else:
            self.children(node)

    def visit_all(self, nodes) -> None:
        for n in nodes:
            if not isinstance(n, _LEAVES):
                self.visit(n)

    def children(self, node: ast.AST) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST) and not isinstance(item, _LEAVES):
                        self.visit(item)
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                self.visit(value)

    # -- name resolution ----------------------------------------------------------------
    def dotted(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return f"{base}.{node.attr}" if base is not None else None
        if isinstance(node, ast.Call):
            base = self.dotted(node.func)
            return f"{base}()" if base is not None else None
        return None

    def resolve(self, raw: str) -> tuple[str, bool]:
        head, dot, rest = raw.partition(".")
        call_suffix = head.endswith("()")
        bare = head[:-2] if call_suffix else head
        target = self.aliases.get(bare)
        if target is None:
            return raw, False
        return target + ("()" if call_suffix else "") + (dot + rest if dot else ""), True

    def value(self, node: ast.AST | None) -> Value:
        if isinstance(node, ast.Constant):
            return Value("const", node.value) if isinstance(node.value, _CONST_TYPES) else Value("other")
        if isinstance(node, (ast.Name, ast.Attribute)):
            raw = self.dotted(node)
            return Value("name", self.resolve(raw)[0], raw) if raw is not None else Value("other")
        if isinstance(node, ast.Call):
            raw = self.dotted(node.func)
            return Value("call", self.resolve(raw)[0] if raw else None)
        if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
                and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float))):
            return Value("const", -node.operand.value)
        if isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) <= 16:
            literals = [e.value if isinstance(e, ast.Constant) and isinstance(e.value, _CONST_TYPES) else _MISSING
                        for e in node.elts]
            if _MISSING not in literals:
                return Value("const", literals)
            return Value("parts", [None if v is _MISSING else v for v in literals])
        if isinstance(node, ast.JoinedStr):
            return Value("fstring", "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        return Value("other")

    @property
    def scope(self) -> str:
        return ".".join(self._scope) if self._scope else "<module>"

    # -- handlers -------------------------------------------------------------------------
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        a = node.args
        positional = a.posonlyargs + a.args
        defaults: list[ast.AST | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        params = tuple(Param(p.arg, self.value(d) if d is not None else None) for p, d in zip(positional, defaults))
        params += tuple(Param(p.arg, self.value(d) if d is not None else None) for p, d in zip(a.kwonlyargs, a.kw_defaults))
        decorators = []
        for d in node.decorator_list:
            raw = self.dotted(d.func if isinstance(d, ast.Call) else d)
            if raw:
                decorators.append(self.resolve(raw)[0])
        end = getattr(node, "end_lineno", None) or node.lineno
        qualname = ".".join(self._scope + [node.name])
        self.functions.append(Function(
            node.lineno, self.cell, node.name, qualname, end, params, tuple(decorators),
            self._class[-1] if self._class else None,
        ))
        body = node.body[1:] if _is_docstring(node.body[0]) else node.body  # shared docs are not copied code
        n, digest = normalised_digest(self._src[body[0].lineno - 1:end]) if body else (0, "")
        if n >= MIN_BLOCK_LINES:
            self.blocks.append(Block(node.lineno, self.cell, "function", n, digest, qualname))
        self.visit_all(node.decorator_list)
        self.visit_all(a.defaults)
        self.visit_all([d for d in a.kw_defaults if d is not None])
        self._scope.append(node.name)
        saved, self._class = self._class, []
        outer = self.aliases
        self.aliases = dict(outer)  # a binding inside a function stays inside it
        self.visit_all(node.body)
        self.aliases = outer
        self._class = saved
        self._scope.pop()

    def _class_def(self, node: ast.ClassDef) -> None:
        bases = tuple(self.resolve(raw)[0] for raw in (self.dotted(b) for b in node.bases) if raw)
        self.classes.append(Class(node.lineno, self.cell, node.name, bases))
        self.visit_all(node.decorator_list)
        self.visit_all(node.bases)
        self._scope.append(node.name)
        self._class.append(node.name)
        self.visit_all(node.body)
        self._class.pop()
        self._scope.pop()

    def _if(self, node: ast.If) -> None:
        if _is_main_guard(node.test):
            self.main_guard = True
            self.visit_all(node.body)
            self._conditional += 1
            self.visit_all(node.orelse)
            self._conditional -= 1
            return
        if isinstance(node.test, ast.Constant) and not node.test.value:
            end = getattr(node.body[-1], "end_lineno", None) or node.lineno
            # `if False:` around imports is the old spelling of `if TYPE_CHECKING:`
            self.blocks.append(Block(node.lineno, self.cell, "dead-if", end - node.lineno + 1,
                                     name="imports-only" if _imports_only(node.body) else None))
        self._conditional += 1
        self.children(node)
        self._conditional -= 1

    def _constant(self, node: ast.Constant) -> None:
        if type(node.value) is str:
            end = getattr(node, "end_lineno", None) or node.lineno
            if end > node.lineno:  # a docstring or other multi-line string: its lines are not code
                self._string_lines.update(range(node.lineno + 1, end + 1))
            if ABSOLUTE_PATH.match(node.value):
                self.texts.append(Text(node.lineno, self.cell, node.value[:300]))

    def _compare(self, node: ast.Compare) -> None:
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            symbol = _OPS.get(type(op))
            if symbol is not None:
                if _is_fraction(right):
                    subject = self._subject(left)
                    if subject:
                        self.compares.append(Compare(node.lineno, self.cell, subject, symbol, float(right.value)))
                elif _is_fraction(left):
                    subject = self._subject(right)
                    if subject:
                        self.compares.append(Compare(node.lineno, self.cell, subject, _FLIP[symbol], float(left.value)))
            left = right
        self.children(node)

    def _subject(self, node: ast.AST) -> str | None:
        while isinstance(node, ast.Subscript):  # proba[:, 1] compares the same thing as proba
            node = node.value
        raw = self.dotted(node)
        return self.resolve(raw)[0] if raw else None

    def _import(self, node: ast.Import) -> None:
        for a in node.names:
            local = a.asname or a.name.split(".")[0]
            self.aliases[local] = a.name if a.asname else local
            self.imports.append(Import(node.lineno, self.cell, a.name, None, local))

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = "." * (node.level or 0) + (node.module or "")
        for a in node.names:
            if a.name == "*":
                self.imports.append(Import(node.lineno, self.cell, module, "*", "*"))
                continue
            local = a.asname or a.name
            sep = "" if module.endswith(".") else "."
            self.aliases[local] = f"{module}{sep}{a.name}" if module else a.name
            self.imports.append(Import(node.lineno, self.cell, module, a.name, local))

    def _bind(self, target: ast.AST, value: ast.AST | None) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            self._unpack(target, self.value(value) if value is not None else Value("other"))
            return
        raw = self.dotted(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
        if raw is None or value is None:
            return
        summary = self.value(value)
        # A local name is recorded as written; an attribute target resolves (torch.backends...).
        recorded = raw if isinstance(target, ast.Name) else self.resolve(raw)[0]
        self.assigns.append(Assign(target.lineno, self.cell, recorded, summary, self.scope))
        if isinstance(target, ast.Name):
            if summary.kind == "call" and isinstance(summary.value, str):
                self.aliases[target.id] = summary.value + "()"
            elif summary.kind == "name" and self.resolve(self.dotted(value) or "")[1]:
                self.aliases[target.id] = summary.value
            else:
                self.aliases.pop(target.id, None)  # rebound to something we cannot follow

    def _unpack(self, target: ast.Tuple | ast.List, source: Value) -> None:
        """`a, b = f(x)` and `for a, b in ...`: each name is bound to (a part of) the source."""
        for element in target.elts:
            if isinstance(element, ast.Starred):
                element = element.value
            if isinstance(element, (ast.Tuple, ast.List)):
                self._unpack(element, source)
            elif isinstance(element, ast.Name):
                self.assigns.append(Assign(element.lineno, self.cell, element.id, source, self.scope))
                self.aliases.pop(element.id, None)

    def _assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for t in node.targets:
            self._bind(t, node.value)
            if not isinstance(t, _LEAVES):
                self.visit(t)

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        source = self.value(node.iter)
        if isinstance(node.target, ast.Name):
            self.assigns.append(Assign(node.target.lineno, self.cell, node.target.id, source, self.scope))
            self.aliases.pop(node.target.id, None)
        elif isinstance(node.target, (ast.Tuple, ast.List)):
            self._unpack(node.target, source)
        self.visit_all(node.body)
        self.visit_all(node.orelse)

    def _ann_assign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self._bind(node.target, node.value)

    def _call(self, node: ast.Call) -> None:
        raw = self.dotted(node.func)
        if raw is not None:
            name, resolved = self.resolve(raw)
            self.calls.append(Call(
                node.lineno, self.cell, name, resolved, tuple(self.value(a) for a in node.args),
                {(k.arg if k.arg is not None else "**"): self.value(k.value) for k in node.keywords},
                self.scope, self._conditional > 0,
            ))
        self.children(node)


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _imports_only(body: list[ast.stmt]) -> bool:
    return bool(body) and all(isinstance(s, (ast.Import, ast.ImportFrom, ast.Pass)) for s in body)


def _is_fraction(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and type(node.value) in (int, float)
            and 0 < node.value < 1)


def _is_main_guard(test: ast.AST) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def extract_python(source: bytes) -> tuple[PythonFacts, list[ParseProblem]]:
    ex = Extractor()
    problem = ex.add_source(source)
    lines = source.count(b"\n") + (1 if source and not source.endswith(b"\n") else 0)
    return ex.facts(lines), [problem] if problem else []
