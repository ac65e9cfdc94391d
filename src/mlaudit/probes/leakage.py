"""Preprocessing fitted before the data is split, or on test data (Lones 2024 §3.1, §3.6, §4.2;
Zhang et al.'s "Data Leakage")."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import NamedTuple

from mlaudit.facts.model import Assign, Call, FileFacts, Value
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

_PREPROCESSING_EXACT = frozenset({"Normalizer", "PowerTransformer", "QuantileTransformer", "KBinsDiscretizer"})
# Label encoders see only y's class set, which the test set cannot meaningfully leak.
_LABEL_ENCODERS = frozenset({"LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer"})
_TEXT_VECTORIZERS = frozenset({"TfidfVectorizer", "CountVectorizer", "TfidfTransformer"})
FIT_METHODS = ("fit", "fit_transform", "fit_resample")

_MS = "sklearn.model_selection."
SEARCHES = frozenset(_MS + n for n in ("GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV",
                                       "HalvingRandomSearchCV"))
SPLITTER_CLASSES = frozenset(_MS + n for n in (
    "KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold", "RepeatedKFold", "RepeatedStratifiedKFold",
    "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "TimeSeriesSplit", "LeaveOneOut",
    "LeavePOut", "LeaveOneGroupOut", "LeavePGroupsOut", "PredefinedSplit"))
# Functions that cross-validate: where they take X.
CV_FUNCTIONS = {_MS + n: 1 for n in ("cross_val_score", "cross_validate", "cross_val_predict", "learning_curve",
                                     "validation_curve", "permutation_test_score")}

_TOKEN = re.compile(r"[A-Za-z0-9]+")
TEST_TOKENS = frozenset({"test", "tests", "testing", "val", "valid", "validation", "holdout"})


def transformer(receiver: str) -> str | None:
    """Class name when `receiver` is an instance ("sklearn.preprocessing.StandardScaler()") of a
    data-dependent transformer, feature selector, reducer or resampler; else None."""
    if not receiver.endswith("()") or "(" in receiver[:-2]:
        return None
    module, _, cls = receiver[:-2].rpartition(".")
    if not cls[:1].isupper():
        return None
    if module.startswith("sklearn.preprocessing"):
        if cls in _LABEL_ENCODERS:
            return None
        return cls if cls.endswith(("Scaler", "Encoder")) or cls in _PREPROCESSING_EXACT else None
    if module.startswith(("sklearn.impute", "sklearn.feature_selection", "sklearn.decomposition")):
        return cls
    if module.startswith("sklearn.feature_extraction") and cls in _TEXT_VECTORIZERS:
        return cls
    if module.startswith(("imblearn.over_sampling", "imblearn.combine")):
        return cls  # oversampling before the split copies test rows into training (Lones §4.2)
    return None


def looks_like_test_data(name: str) -> bool:
    """`X_test`, `test_df`, `x_val`, `df.test`: a test or validation token, and no train token
    (`X_train_val` is training data). A bare `val` is usually a value, not validation data."""
    tokens = [t.lower() for t in _TOKEN.findall(name)]
    if any(t in ("train", "training", "trainval", "full", "all") for t in tokens):
        return False
    if tokens == ["val"] or tokens == ["valid"]:
        return False
    return any(t in TEST_TOKENS for t in tokens)


def _pos(fact: Call | Assign) -> tuple[int, int]:
    return (fact.cell or 0, fact.line)


def _local(v: Value | None) -> str | None:
    """The variable as written at that place (`X_test`, `df.values`), for a name argument."""
    return (v.local or v.value) if v is not None and v.kind == "name" else None


def _data_arg(call: Call, index: int = 0, keyword: str = "X") -> Value | None:
    if len(call.args) > index:
        return call.args[index]
    return call.kwargs.get(keyword)


def split_inputs(call: Call) -> tuple[str, list[Value]] | None:
    """(what splits, the data it splits) for a split or cross-validation call."""
    name = call.name
    if name == _MS + "train_test_split":
        return "train_test_split", list(call.args)
    if name in CV_FUNCTIONS:
        v = _data_arg(call, CV_FUNCTIONS[name])
        return name.rsplit(".", 1)[-1], [v] if v else []
    receiver, _, method = name.rpartition(".")
    cls = receiver[:-2] if receiver.endswith("()") else None
    if (method == "split" and cls in SPLITTER_CLASSES) or (method == "fit" and cls in SEARCHES):
        v = _data_arg(call)
        return f"{cls.rsplit('.', 1)[-1]}.{method}", [v] if v else []
    return None


class _Fit:
    def __init__(self, call: Call, cls: str, method: str) -> None:
        self.call, self.cls, self.method = call, cls, method
        self.receiver = call.name[: -len(method) - 1]
        self.data = _data_arg(call, 0, "raw_documents" if cls in _TEXT_VECTORIZERS else "X")
        # how its transform reads: "...StandardScaler().transform", or "...StandardScaler().fit().transform"
        # after `scaler = StandardScaler().fit(X)`
        self.transforms = (self.receiver + ".transform", call.name + "().transform")


class _Scope:
    """What one function (or the module, or a notebook's cells) has done so far, by local name."""

    def __init__(self) -> None:
        self.tainted: dict[str, tuple[_Fit, str]] = {}  # name -> (fit, how its value came from the fit)
        self.fitted: dict[str, _Fit] = {}  # name -> the last fit that learned from it, until it is rebound
        self.last: dict[str, _Fit] = {}  # "...StandardScaler().transform" -> the last fit of such a receiver


class _Flow:
    """One file's calls and bindings replayed in execution order (cell, then line; within a
    statement the calls run before the names are bound), tracking which variables hold a
    fitted transformer's output until they are rebound."""

    def __init__(self, calls: list[Call], assigns: list[Assign], fits: list[_Fit]) -> None:
        self.calls, self.assigns = calls, assigns
        self.fit_of = {id(f.call): f for f in fits}
        self.by_name: dict[tuple[str, str], list[Call]] = defaultdict(list)
        for c in calls:
            self.by_name[(c.scope, c.name)].append(c)
        self.leaks: dict[int, tuple[Call, str, str]] = {}  # id(fit call) -> (split, what splits, link)

    def run(self) -> dict[int, tuple[Call, str, str]]:
        scopes: dict[str, _Scope] = defaultdict(_Scope)
        for event in sorted([*self.calls, *self.assigns], key=lambda e: (_pos(e), isinstance(e, Assign))):
            if isinstance(event, Assign):
                self._bind(scopes[event.scope], event)
            else:
                self._call(scopes[event.scope], event)
        return self.leaks

    def _producer(self, fact: Assign | Call, callee: str) -> Call | None:
        """The call to `callee` in the statement at `fact`: the first one there or after it."""
        return next((c for c in self.by_name.get((fact.scope, callee), ()) if _pos(c) >= _pos(fact)), None)

    def _call(self, s: _Scope, call: Call) -> None:
        fit = self.fit_of.get(id(call))
        if fit is not None:
            for name in fit.transforms:
                s.last[name] = fit
            if (data := _local(fit.data)) is not None:
                s.fitted[data] = fit
        found = split_inputs(call)
        if found is None:
            return
        label, inputs = found
        for v in inputs:
            linked = self._link(s, v, call)
            if linked is not None and id(linked[0].call) not in self.leaks:
                self.leaks[id(linked[0].call)] = (call, label, linked[1])

    def _link(self, s: _Scope, v: Value, split: Call) -> tuple[_Fit, str] | None:
        if v.kind == "call" and isinstance(v.value, str):
            # inline, `train_test_split(scaler.fit_transform(X), y)`: the fit inside the split's arguments
            inner = self.fit_of.get(id(self._producer(split, v.value)))
            return (inner, "its output") if inner is not None and inner.method != "fit" else None
        name = _local(v)
        if name in s.tainted:
            return s.tainted[name]
        fit = s.fitted.get(name)
        # after `scaler.fit(X)`, a split of X leaks only if this scaler, still the last one
        # fitted, then transforms the parts (`scaler.transform(X_train)`)
        if (fit is not None and fit.method == "fit" and split.name == _MS + "train_test_split"
                and s.last.get(fit.transforms[0]) is fit and not self._ambiguous(fit, split)
                and self._applied_to_parts(fit, split)):
            return fit, f"`{name}`, the data it was fitted on"
        return None

    def _ambiguous(self, fit: _Fit, at: Assign | Call) -> bool:
        """Whether two variables (`a = StandardScaler()`, `b = StandardScaler()`) hold instances
        the facts cannot tell apart: `a.transform` and `b.transform` have the same name."""
        made = (fit.receiver[:-2], fit.call.name)
        return len({a.target for a in self.assigns if a.scope == at.scope and a.value.kind == "call"
                    and a.value.value in made and _pos(a) <= _pos(at)}) > 1

    def _applied_to_parts(self, fit: _Fit, split: Call) -> bool:
        parts = {a.target for a in self.assigns if a.scope == split.scope and a.value.kind == "call"
                 and a.value.value == split.name and self._producer(a, split.name) is split}
        return any(c.scope == split.scope and _pos(c) > _pos(split) and c.name in fit.transforms
                   and c.args and _local(c.args[0]) in parts for c in self.calls)

    def _bind(self, s: _Scope, a: Assign) -> None:
        v, taint = a.value, None
        if v.kind == "call" and isinstance(v.value, str):
            call = self._producer(a, v.value)
            fit = self.fit_of.get(id(call))
            if fit is not None and fit.method != "fit":
                taint = (fit, "its output")
            elif call is not None and v.value.endswith(".transform") and call.args:
                # `scaler.transform(X)` after fitting on X_train is the correct pattern: only data
                # the transformer also learned from leaks when it is split afterwards
                fit = s.last.get(v.value)
                data = _local(call.args[0])
                if (fit is not None and data is not None and s.fitted.get(data) is fit
                        and not self._ambiguous(fit, a)):
                    taint = (fit, "data it transformed")
        elif v.kind == "name" and _local(v) in s.tainted:
            taint = s.tainted[_local(v)]  # a plain copy, `X = X_scaled`
        s.fitted.pop(a.target, None)
        if taint is not None:
            s.tainted[a.target] = taint
        else:
            s.tainted.pop(a.target, None)  # rebound to other data: `X, y = load_other()`


def _spelling(v: Value | None) -> str | None:
    """How the fitted data reads: the variable, or the call for `X_test.astype(float)`."""
    if v is not None and v.kind == "call" and isinstance(v.value, str):
        return v.value + "(...)"
    return _local(v)


class _FileFits(NamedTuple):
    fits: int
    before: int
    on_test: int
    found: tuple[tuple[int, int | None, str], ...]  # (line, cell, what is wrong), in order


def _file_fits(facts: FileFacts) -> _FileFits:
    """One file's fits and which of them leak: drawn from the file alone, so a history walk reuses it."""
    fits: list[_Fit] = []
    for call in facts.python.calls:
        receiver, _, method = call.name.rpartition(".")
        if method in FIT_METHODS and (cls := transformer(receiver)) is not None:
            fits.append(_Fit(call, cls, method))
    if not fits:
        return _FileFits(0, 0, 0, ())
    leaks = _Flow(facts.python.calls, facts.python.assigns, fits).run()
    before = on_test = 0
    found = []
    for fit in sorted(fits, key=lambda g: _pos(g.call)):
        problems = []
        where = f"{fit.cls}.{fit.method}"
        data = _spelling(fit.data)
        if data is not None and looks_like_test_data(data):
            on_test += 1
            problems.append(f"{where} learns from `{data}`, which looks like test data")
        if id(fit.call) in leaks:
            before += 1
            call, label, link = leaks[id(fit.call)]
            at = f"line {call.line}" if call.cell is None else f"cell {call.cell} line {call.line}"
            if label == "train_test_split" or label.endswith(".split"):
                why = f"{label} ({at}) then splits {link}, so the held-out part shaped what it learned"
            else:
                why = (f"{label} ({at}) then cross-validates on {link}, so each validation fold shaped "
                       "what it learned (fit it inside a Pipeline instead)")
            problems.append(f"{where} runs before the split: {why}")
        if problems:
            found.append((fit.call.line, fit.call.cell, "; ".join(problems)))
    return _FileFits(len(fits), before, on_test, tuple(found))


@probe("leakage.preprocess_before_split", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def preprocess_before_split(ctx: ProbeContext) -> ProbeResult:
    """Is preprocessing (scaling, imputing, encoding, feature selection) fitted before the split or on test data?

    Looks at `.fit` / `.fit_transform` of scikit-learn scalers, `Normalizer`, feature encoders
    (label encoders are ignored: they only learn y's classes), `PowerTransformer`,
    `QuantileTransformer`, `KBinsDiscretizer`, imputers, feature selectors, decomposition
    (PCA, TruncatedSVD...), TF-IDF and count vectorizers, and imbalanced-learn oversamplers'
    `.fit_resample` (Lones §4.2). The calls and assignments of each file or notebook are replayed
    in order (cell order, then line), and each function on its own; variables are followed by
    the name they have where they are written, until they are rebound (including by
    `a, b = ...` and `for` targets). A fit is leaky when, later in the same function,
    `train_test_split`, a cross-validation splitter's `.split`, `cross_val_score`-style
    functions or a `GridSearchCV`-style `.fit` takes a variable holding the fitted transformer's
    output (directly, through a plain copy, or as `scaler.transform` of the data it was fitted
    on), or takes the fit inline, or, after a plain `.fit`, `train_test_split` takes the very
    data it was fitted on and the transformer then transforms the parts. Data reached another
    way (a subscript assignment `df[cols] = ...`, an attribute, another function) is not
    followed. A fit whose data is named like test or validation data (`X_test`, `test_df`,
    `x_val`; not `X_train_val`) leaks too. A transformer inside a `Pipeline` passed to
    cross-validation, and fitting on the training part then transforming the test part, are the
    correct patterns and are not reported.
    True when any fit leaks (evidence at the fit), false when transformers are fitted without
    leaking, not applicable when none is fitted. Test files are not looked at.
    Values: `fits`, `before_split`, `on_test_data`.
    """
    evidence: list[Evidence] = []
    n_fits = before = on_test = 0
    for f, facts in ctx.code(include_tests=False):
        leaky = ctx.store.per_file(f"leakage.fits{f.suffix}", f, lambda: _file_fits(facts))
        n_fits, before, on_test = n_fits + leaky.fits, before + leaky.before, on_test + leaky.on_test
        evidence += [Evidence(path=f.path, line=line, cell=cell, detail=detail) for line, cell, detail in leaky.found]
    values = {"fits": n_fits, "before_split": before, "on_test_data": on_test}
    if evidence:
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    if n_fits:
        return ProbeResult(outcome=Outcome.false, values=values)
    return ProbeResult(outcome=Outcome.not_applicable, values=values,
                       message="no scaler, imputer, encoder, selector or reducer is fitted")
