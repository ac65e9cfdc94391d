"""One pass over a Python AST that keeps only the facts probes need.

Names are resolved through imports and simple local bindings, so `np.random.seed`,
`from numpy import random as npr; npr.seed` and `numpy.random.seed` all come out as
`numpy.random.seed`. A variable bound to a call result resolves to the callee plus "()",
so `scaler = StandardScaler(); scaler.fit(X)` records `sklearn.preprocessing.StandardScaler().fit`.
"""

from __future__ import annotations

import ast

from mlaudit.facts.model import (
    Assign, Call, Class, Function, Import, Param, ParseProblem, PythonFacts, Value,
)


class Extractor(ast.NodeVisitor):
    """Collects facts from one module, or from a notebook's cells in order.

    Keeping one instance across a notebook's cells lets an import in cell 1 resolve a
    call in cell 7, as it does when the notebook runs top to bottom.
    """

    def __init__(self) -> None:
        self.facts = PythonFacts()
        self.aliases: dict[str, str] = {}
        self.cell: int | None = None
        self._scope: list[str] = []
        self._class: list[str] = []
        self._conditional = 0

    # -- entry points -------------------------------------------------------------------
    def add_source(self, source: str | bytes, cell: int | None = None) -> ParseProblem | None:
        self.cell = cell
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            return ParseProblem(line=exc.lineno or 1, cell=cell, message=f"syntax error: {exc.msg}")
        except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
            return ParseProblem(line=1, cell=cell, message=f"cannot parse: {exc}")
        try:
            self.visit(tree)
        except RecursionError:
            return ParseProblem(line=1, cell=cell, message="cannot parse: nesting too deep")
        return None

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
        bare_head = head[:-2] if head.endswith("()") else head
        if bare_head in self.aliases:
            target = self.aliases[bare_head] + ("()" if head.endswith("()") else "")
            return target + (dot + rest if dot else ""), True
        return raw, False

    def value(self, node: ast.AST | None) -> Value:
        if node is None:
            return Value(kind="other")
        if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float, str, type(None))):
            return Value(kind="const", value=node.value)
        if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
                and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float))):
            return Value(kind="const", value=-node.operand.value)
        if isinstance(node, (ast.List, ast.Tuple)) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, (bool, int, float, str, type(None)))
                for e in node.elts) and len(node.elts) <= 16:
            return Value(kind="const", value=[e.value for e in node.elts])  # type: ignore[attr-defined]
        if isinstance(node, (ast.Name, ast.Attribute)):
            raw = self.dotted(node)
            if raw is not None:
                return Value(kind="name", value=self.resolve(raw)[0])
        if isinstance(node, ast.Call):
            raw = self.dotted(node.func)
            return Value(kind="call", value=self.resolve(raw)[0] if raw else None)
        return Value(kind="other")

    # -- scopes -------------------------------------------------------------------------
    @property
    def scope(self) -> str:
        return ".".join(self._scope) if self._scope else "<module>"

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        a = node.args
        positional = a.posonlyargs + a.args
        defaults: list[ast.AST | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        params = [Param(name=p.arg, default=self.value(d) if d is not None else None)
                  for p, d in zip(positional, defaults)]
        params += [Param(name=p.arg, default=self.value(d) if d is not None else None)
                   for p, d in zip(a.kwonlyargs, a.kw_defaults)]
        decorators = []
        for d in node.decorator_list:
            raw = self.dotted(d.func if isinstance(d, ast.Call) else d)
            if raw:
                decorators.append(self.resolve(raw)[0])
        qual = ".".join(self._scope + [node.name])
        self.facts.functions.append(Function(
            line=node.lineno, cell=self.cell, name=node.name, qualname=qual,
            end_line=getattr(node, "end_lineno", node.lineno) or node.lineno, params=params,
            decorators=decorators, class_name=self._class[-1] if self._class else None,
        ))
        for d in node.decorator_list:
            self.visit(d)
        for d in a.defaults + [d for d in a.kw_defaults if d is not None]:
            self.visit(d)
        self._scope.append(node.name)
        saved, self._class = self._class, []
        for stmt in node.body:
            self.visit(stmt)
        self._class = saved
        self._scope.pop()

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        bases = []
        for b in node.bases:
            raw = self.dotted(b)
            if raw:
                bases.append(self.resolve(raw)[0])
        self.facts.classes.append(Class(line=node.lineno, cell=self.cell, name=node.name, bases=bases))
        for d in node.decorator_list + node.bases:
            self.visit(d)
        self._scope.append(node.name)
        self._class.append(node.name)
        for stmt in node.body:
            self.visit(stmt)
        self._class.pop()
        self._scope.pop()

    def visit_If(self, node: ast.If) -> None:
        if _is_main_guard(node.test):
            self.facts.main_guard = True
            self.visit(node.test)
            for stmt in node.body:
                self.visit(stmt)
            self._conditional += 1
            for stmt in node.orelse:
                self.visit(stmt)
            self._conditional -= 1
            return
        self._conditional += 1
        self.generic_visit(node)
        self._conditional -= 1

    # -- imports, bindings, calls -------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            local = a.asname or a.name.split(".")[0]
            self.aliases[local] = a.name if a.asname else local
            self.facts.imports.append(Import(line=node.lineno, cell=self.cell, module=a.name, alias=local))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * (node.level or 0) + (node.module or "")
        for a in node.names:
            if a.name == "*":
                self.facts.imports.append(Import(line=node.lineno, cell=self.cell, module=module, name="*", alias="*"))
                continue
            local = a.asname or a.name
            sep = "" if module.endswith(".") else "."
            self.aliases[local] = f"{module}{sep}{a.name}" if module else a.name
            self.facts.imports.append(Import(line=node.lineno, cell=self.cell, module=module, name=a.name, alias=local))

    def _bind(self, target: ast.AST, value: ast.AST | None) -> None:
        raw = self.dotted(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
        if raw is None or value is None:
            return
        summary = self.value(value)
        resolved_target = self.resolve(raw)[0]
        self.facts.assigns.append(Assign(line=target.lineno, cell=self.cell, target=resolved_target,
                                         value=summary, scope=self.scope))
        if isinstance(target, ast.Name):
            if summary.kind == "call" and isinstance(summary.value, str):
                self.aliases[target.id] = summary.value + "()"
            elif summary.kind == "name" and isinstance(summary.value, str) and self.resolve(self.dotted(value) or "")[1]:
                self.aliases[target.id] = summary.value
            else:
                self.aliases.pop(target.id, None)  # rebound to something we cannot follow

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for t in node.targets:
            self._bind(t, node.value)
            if not isinstance(t, ast.Name):
                self.visit(t)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self._bind(node.target, node.value)

    def visit_Call(self, node: ast.Call) -> None:
        raw = self.dotted(node.func)
        if raw is not None:
            name, resolved = self.resolve(raw)
            kwargs = {(k.arg if k.arg is not None else "**"): self.value(k.value) for k in node.keywords}
            self.facts.calls.append(Call(
                line=node.lineno, cell=self.cell, name=name, resolved=resolved,
                args=[self.value(a) for a in node.args], kwargs=kwargs,
                scope=self.scope, conditional=self._conditional > 0,
            ))
        self.generic_visit(node)


def _is_main_guard(test: ast.AST) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def extract_python(source: bytes) -> tuple[PythonFacts, list[ParseProblem]]:
    ex = Extractor()
    problem = ex.add_source(source)
    ex.facts.lines = source.count(b"\n") + (1 if source and not source.endswith(b"\n") else 0)
    return ex.facts, [problem] if problem else []
