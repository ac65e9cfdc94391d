"""One pass over a Python AST that keeps only the facts probes need.

Names are resolved through imports and simple local bindings, so `np.random.seed`,
`from numpy import random as npr; npr.seed` and `numpy.random.seed` all come out as
`numpy.random.seed`. A variable bound to a call result resolves to the callee plus "()",
so `scaler = StandardScaler(); scaler.fit(X)` records `sklearn.preprocessing.StandardScaler().fit`.
"""

from __future__ import annotations

import ast
import warnings

from mlaudit.facts.model import (
    Assign, Call, Class, Function, Import, Param, ParseProblem, PythonFacts, Value,
)

_CONST_TYPES = (bool, int, float, str, type(None))
# Nodes that can hold no call, import, definition or assignment: never descended into.
_LEAVES = (ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop,
           ast.alias, ast.arg)


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
        self.aliases: dict[str, str] = {}
        self.cell: int | None = None
        self._scope: list[str] = []
        self._class: list[str] = []
        self._conditional = 0
        self._dispatch = {
            ast.Import: self._import, ast.ImportFrom: self._import_from, ast.Call: self._call,
            ast.Assign: self._assign, ast.AnnAssign: self._ann_assign, ast.If: self._if,
            ast.FunctionDef: self._function, ast.AsyncFunctionDef: self._function, ast.ClassDef: self._class_def,
        }

    def facts(self, lines: int) -> PythonFacts:
        return PythonFacts(self.imports, self.calls, self.assigns, self.functions, self.classes,
                           self.main_guard, lines)

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
            return ParseProblem(1, cell, f"cannot parse: {exc}")
        try:
            self.visit_all(tree.body)
        except RecursionError:
            return ParseProblem(1, cell, "cannot parse: nesting too deep")
        return None

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
            return Value("name", self.resolve(raw)[0]) if raw is not None else Value("other")
        if isinstance(node, ast.Call):
            raw = self.dotted(node.func)
            return Value("call", self.resolve(raw)[0] if raw else None)
        if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
                and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float))):
            return Value("const", -node.operand.value)
        if (isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) <= 16
                and all(isinstance(e, ast.Constant) and isinstance(e.value, _CONST_TYPES) for e in node.elts)):
            return Value("const", [e.value for e in node.elts])  # type: ignore[attr-defined]
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
        self.functions.append(Function(
            node.lineno, self.cell, node.name, ".".join(self._scope + [node.name]),
            getattr(node, "end_lineno", None) or node.lineno, params, tuple(decorators),
            self._class[-1] if self._class else None,
        ))
        self.visit_all(node.decorator_list)
        self.visit_all(a.defaults)
        self.visit_all([d for d in a.kw_defaults if d is not None])
        self._scope.append(node.name)
        saved, self._class = self._class, []
        self.visit_all(node.body)
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
        self._conditional += 1
        self.children(node)
        self._conditional -= 1

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
        raw = self.dotted(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
        if raw is None or value is None:
            return
        summary = self.value(value)
        self.assigns.append(Assign(target.lineno, self.cell, self.resolve(raw)[0], summary, self.scope))
        if isinstance(target, ast.Name):
            if summary.kind == "call" and isinstance(summary.value, str):
                self.aliases[target.id] = summary.value + "()"
            elif summary.kind == "name" and self.resolve(self.dotted(value) or "")[1]:
                self.aliases[target.id] = summary.value
            else:
                self.aliases.pop(target.id, None)  # rebound to something we cannot follow

    def _assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for t in node.targets:
            self._bind(t, node.value)
            if not isinstance(t, _LEAVES):
                self.visit(t)

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


def _is_main_guard(test: ast.AST) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def extract_python(source: bytes) -> tuple[PythonFacts, list[ParseProblem]]:
    ex = Extractor()
    problem = ex.add_source(source)
    lines = source.count(b"\n") + (1 if source and not source.endswith(b"\n") else 0)
    return ex.facts(lines), [problem] if problem else []
