"""What collected tests exercise: model and training code (Infra 2), data and feature code (Data 7, Data 1).

A test's reach is its own calls (nested functions and classes included), the fixtures it
requests (same file, enclosing class, conftest.py above it), its class's setUp methods and the
test helpers those call (three calls deep), and the body of each project function called from
test code (one call deep: what a tested function does inside is incidental, not the subject).
What it reaches is judged from facts only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from mlaudit.facts.model import Call, FileFacts, Function
from mlaudit.probes.context import ProbeContext, is_test_path
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe
from mlaudit.probes.tests_collect import ClassIndex, TestFunction, collect
from mlaudit.probes.tests_index import DATA, MODEL, ProjectIndex

MAX_EVIDENCE = 50
MAX_FILES = 50
MAX_DEPTH = 3
MAX_VISITS = 40
SETUP_METHODS = ("setUp", "setUpClass", "asyncSetUp", "setup_method", "setup_class", "setup")


def _camel(s: str) -> bool:
    return s[:1].isupper() and any(c.islower() for c in s)


# -- model and training APIs of ML libraries --------------------------------------------------
SKLEARN_MODELS = frozenset({
    "linear_model", "ensemble", "tree", "svm", "neighbors", "neural_network", "naive_bayes", "cluster",
    "gaussian_process", "discriminant_analysis", "kernel_ridge", "dummy", "cross_decomposition",
    "semi_supervised", "isotonic", "multiclass", "multioutput", "calibration", "mixture",
})
GBM_DATA = frozenset({"DMatrix", "Dataset", "Pool", "QuantileDMatrix", "DeviceQuantileDMatrix"})
KERAS_MODEL = frozenset({"layers", "models", "optimizers", "losses", "applications", "trainers", "callbacks",
                         "Model", "Sequential", "Input", "Functional"})
KERAS_MODEL_FUNCTIONS = frozenset({"load_model", "save_model", "clone_model", "model_from_json", "Model", "Sequential",
                                   "Input", "Functional"})
KERAS_LOSS = re.compile(r"loss|crossentropy|error|hinge|divergence|poisson|huber|cosh|similarity|dice|tversky|ctc")
TORCH_LOSSES = frozenset({"cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div",
                          "nll_loss", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"})


@lru_cache(maxsize=1 << 16)
def library_model_use(name: str) -> str | None:
    """What a resolved call name shows of an ML library's model or training API."""
    parts = [p.removesuffix("()") for p in name.split(".")]
    root, last = parts[0], parts[-1]
    camels = [p for p in parts[1:] if _camel(p)]
    if root == "torch" and len(parts) > 2:
        if parts[1] == "nn" and parts[2] == "functional":
            return f"the loss {name}" if last in TORCH_LOSSES else None
        if parts[1] == "nn":
            return f"the torch.nn API ({name})"
        if parts[1] == "optim":
            return f"the optimizer API ({name})"
        if parts[1] in ("autograd", "func") and last in ("grad", "backward", "vjp", "jacrev"):
            return f"gradients ({name})"
        if parts[1] == "jit" and last in ("trace", "script"):
            return f"model compilation ({name})"
    if root == "torch" and len(parts) == 2 and last == "compile":
        return "torch.compile"
    keras_at = next((i for i, p in enumerate(parts) if p in ("keras", "tf_keras")), None)
    if keras_at is not None and (keras_at == 0 or root == "tensorflow"):
        rest = [p for p in parts[keras_at + 1:] if p not in ("src", "api", "_tf_keras", "python")]
        if not rest or any(p.endswith("_test") or p.startswith("test_") or p == "data_adapters" for p in rest):
            return None  # a helper of keras's own tests, or input-data plumbing
        if rest[0] in KERAS_MODEL and (any(_camel(p) for p in rest) or last in KERAS_MODEL_FUNCTIONS
                                       or (rest[0] == "losses" and KERAS_LOSS.search(last))):
            return f"the keras model API ({name})"
        if rest[0] == "saving" and last in ("load_model", "save_model"):
            return f"the keras model API ({name})"
        return None
    if root == "tensorflow" and len(parts) > 1:
        if parts[1] in ("GradientTape", "Module", "estimator"):
            return f"the TensorFlow model API ({name})"
        if parts[1] == "train" and last in ("Checkpoint", "CheckpointManager"):
            return f"checkpointing ({name})"
        if parts[1] == "saved_model" and last in ("load", "save"):
            return f"saved models ({name})"
    if root == "sklearn" and len(parts) > 2 and parts[1] in SKLEARN_MODELS and camels:
        return f"an sklearn estimator ({name})"
    if root in ("xgboost", "lightgbm", "catboost"):
        if camels and not set(camels) & GBM_DATA:
            return f"a gradient-boosting model ({name})"
        if len(parts) == 2 and last in ("train", "cv"):
            return f"gradient-boosting training ({name})"
    if root in ("lightning", "pytorch_lightning", "lightning_fabric"):
        for c in camels:
            if c in ("Trainer", "Fabric") or (c.endswith(("Module", "Model")) and not c.endswith("DataModule")):
                return f"the Lightning {c} ({name})"
    if root == "transformers":
        for c in camels:
            if c.endswith("Model") or "For" in c or c.endswith("Trainer"):
                return f"a transformers model ({name})"
        if last == "pipeline":
            return f"a transformers pipeline ({name})"
    if root == "flax" and parts[1:2] in (["linen"], ["nnx"], ["training"]) and (camels or parts[1] == "training"):
        return f"the flax model API ({name})"
    if root == "optax":
        return f"the optax optimizer API ({name})"
    if root == "jax" and len(parts) == 2 and last in ("grad", "value_and_grad"):
        return f"gradients ({name})"
    if root == "statsmodels" and camels:
        return f"a statsmodels model ({name})"
    if root in ("torchvision", "timm") and (parts[1:2] == ["models"] or last == "create_model"):
        return f"a pretrained model ({name})"
    if root == "ray" and parts[1:2] in (["train"], ["tune"]) and any(c.endswith(("Trainer", "Tuner")) for c in camels):
        return f"Ray training ({name})"
    if root == "mlflow" and last == "load_model":
        return f"model loading ({name})"
    return None


# -- methods that train or run a model, on any receiver ---------------------------------------
ALWAYS_MODEL = frozenset({
    "backward", "zero_grad", "train_step", "training_step", "validation_step", "train_on_batch", "test_on_batch",
    "predict_on_batch", "fit_generator", "predict_proba", "predict_log_proba", "decision_function",
    "load_state_dict", "train_epoch", "train_one_epoch",
})
RECEIVER_MODEL = frozenset({"fit", "predict", "evaluate", "compile", "forward", "generate", "train", "eval",
                            "save_pretrained", "load_weights", "save_weights"})
MODEL_RECEIVER = re.compile(
    r"(?:^|_)(?:model|models|net|network|clf|classifier|regressor|estimator|learner|predictor|trainer|booster|gbm"
    r"|xgb|lgbm|llm|pipeline|pipe|mlp|cnn|rnn|lstm|gru|ensemble|forest|rf|svm|svc|knn|lr|logreg|fabric)(?:_|\d|$)"
    r"|^m$|[a-z](?:Model|Net|Network|Classifier|Regressor)$", re.IGNORECASE)
OPTIMIZER_RECEIVER = re.compile(r"optim|^opt(?:_|\d|$)|^sgd$|^adam|scheduler|^sched", re.IGNORECASE)
DATA_RECEIVER = re.compile(r"preprocess|featur|scaler|encoder|imputer|vectori[sz]er|tokeni[sz]er|normali[sz]er"
                           r"|discreti[sz]er|transformer", re.IGNORECASE)
NOT_A_RECEIVER = frozenset({"re", "regex", "os", "sys", "json", "self", "cls", "super"})


def method_model_use(call: Call) -> str | None:
    return _method_model_use(call.name, call.resolved)


@lru_cache(maxsize=1 << 16)
def _method_model_use(name: str, resolved: bool) -> str | None:
    parts = name.split(".")
    if len(parts) < 2:
        return None
    last = parts[-1]
    receiver = parts[-2].removesuffix("()")
    if last in ALWAYS_MODEL:
        return f"{name}()"
    if receiver in NOT_A_RECEIVER or DATA_RECEIVER.search(receiver):
        return None
    if last == "step" and OPTIMIZER_RECEIVER.search(receiver):
        return f"an optimizer step ({name})"
    if last in RECEIVER_MODEL and MODEL_RECEIVER.search(receiver):
        return f"{name}()"
    if last in RECEIVER_MODEL and resolved and parts[-2].endswith("()"):
        lib = library_model_use(".".join(parts[:-1]))
        if lib:
            return f"{name}()"
    return None


# -- data checks ------------------------------------------------------------------------------
DATA_LIBRARIES = {"pandera": "pandera", "great_expectations": "Great Expectations",
                  "tensorflow_data_validation": "TensorFlow Data Validation", "deepchecks": "deepchecks"}
MISSING = frozenset({"isnull", "isna", "notna", "notnull"})
DATA_ATTRIBUTES = (".dtypes", ".columns")
FRAME_LIBRARIES = frozenset({"pandas", "polars", "pyspark", "dask", "modin", "cudf", "vaex", "great_expectations"})


def data_check(call: Call, frames: bool) -> str | None:
    """What a call in test code checks about data; `frames`: the file works with data frames."""
    parts = call.name.split(".")
    root, last = parts[0], parts[-1]
    if call.resolved and root in DATA_LIBRARIES:
        return f"validates data with {DATA_LIBRARIES[root]} ({call.name})"
    # NaN checks on arrays are how op and model tests look at outputs too; with data frames in the
    # file they are checks of the data.
    if frames and call.resolved and root in ("numpy", "math") and last in ("isnan", "isfinite", "isinf"):
        return f"checks missing or invalid values ({call.name})"
    if call.resolved and root == "pandas":
        if len(parts) > 2 and parts[1] in ("testing", "_testing") or parts[1:3] == ["util", "testing"]:
            return f"compares data with {call.name}"
        if parts[1:3] == ["api", "types"] and last.startswith("is_"):
            return f"checks dtypes with {call.name}"
    for v in [*call.args, *call.kwargs.values()]:  # pytest.raises(pandera.errors.SchemaError)
        if v.kind == "name" and isinstance(v.value, str) and v.value.split(".", 1)[0] in DATA_LIBRARIES:
            return f"expects a {DATA_LIBRARIES[v.value.split('.', 1)[0]]} check to fail ({v.local or v.value})"
    if last == "validate" and len(parts) > 1 and (parts[-2].isupper() or "schema" in parts[-2].lower()):
        return f"validates data against {parts[-2]}"
    if last in MISSING:
        return f"checks missing values ({call.name})"
    if last == "between" or last == "duplicated":
        return f"checks values ({call.name})"
    if last.startswith("expect_") and ("column" in last or "table" in last):
        return f"checks a data expectation ({last})"
    if len(parts) > 1 and last in ("fit", "transform", "fit_transform", "inverse_transform") \
            and DATA_RECEIVER.search(parts[-2]) and not call.resolved:
        return f"runs feature code ({call.name})"
    for v in [*call.args, *call.kwargs.values()] if frames else ():  # a rich table has columns too
        if v.kind == "name" and isinstance(v.value, str) and v.value.endswith(DATA_ATTRIBUTES):
            return f"checks {v.local or v.value}"
    return None


def loads_data_file(call: Call) -> str | None:
    """A test that reads a data file itself (`pd.read_csv(...)`) is looking at data, unless it only
    feeds the data to a model: the caller counts it only for tests that exercise no model code."""
    parts = call.name.split(".")
    if call.resolved and len(parts) == 2 and parts[0] in FRAME_LIBRARIES and parts[1].startswith("read_"):
        return f"loads a data file to check it ({call.name})"
    return None


# -- reach ------------------------------------------------------------------------------------
@dataclass
class Finding:
    what: str
    via: tuple[str, ...]


class Reach:
    """Walks from a test through fixtures, setUp methods and project functions to what it exercises."""

    def __init__(self, code: dict[str, FileFacts], classes: ClassIndex, project: ProjectIndex) -> None:
        self.code = code
        self.classes = classes
        self.project = project
        self._calls: dict[str, dict[str, list[Call]]] = {}
        self._frames: dict[str, bool] = {}
        self._fixtures: dict[str, dict[str, tuple[str, Function]]] = {}
        self._targets: dict[tuple, list] = {}
        self._test_path: dict[str, bool] = {}

    def uses_frames(self, path: str) -> bool:
        if path not in self._frames:
            self._frames[path] = any(i.module.split(".", 1)[0] in FRAME_LIBRARIES
                                     for i in self.code[path].python.imports)
        return self._frames[path]

    def calls_in(self, path: str, qualname: str) -> list[Call]:
        """Calls in a function and in the functions and classes nested in it."""
        by_scope = self._calls.get(path)
        if by_scope is None:
            by_scope = self._calls[path] = {}
            for c in self.code[path].python.calls:
                parts = c.scope.split(".")
                for n in range(1, len(parts) + 1):
                    by_scope.setdefault(".".join(parts[:n]), []).append(c)
        return by_scope.get(qualname, [])

    def is_test(self, path: str) -> bool:
        if path not in self._test_path:
            self._test_path[path] = is_test_path(path)
        return self._test_path[path]

    def fixtures_visible(self, path: str) -> dict[str, tuple[str, Function]]:
        """Fixtures by name: conftest.py files from the root down, then the file itself (nearest wins)."""
        if path not in self._fixtures:
            self._fixtures[path] = self._find_fixtures(path)
        return dict(self._fixtures[path])

    def _find_fixtures(self, path: str) -> dict[str, tuple[str, Function]]:
        out: dict[str, tuple[str, Function]] = {}
        parts = PurePosixPath(path).parts[:-1]
        for n in range(len(parts) + 1):
            conf = "/".join([*parts[:n], "conftest.py"])
            for fn in self._module_fixtures(conf):
                out[fn.name] = (conf, fn)
        for fn in self._module_fixtures(path):
            out[fn.name] = (path, fn)
        return out

    def _module_fixtures(self, path: str) -> list[Function]:
        facts = self.code.get(path)
        if facts is None:
            return []
        return [fn for fn in facts.python.functions
                if any(d.rsplit(".", 1)[-1] in ("fixture", "yield_fixture") for d in fn.decorators)
                and "." not in fn.qualname]

    def starts(self, t: TestFunction) -> list[tuple[str, Function, tuple[str, ...]]]:
        """The test itself, then what runs for it: requested fixtures and setUp methods."""
        out = [(t.path, t.fn, ())]
        fixtures = self.fixtures_visible(t.collected_in)
        if t.test_class is not None:
            for where, m in self.classes.all_methods((t.collected_in, t.test_class)):
                if m.name in SETUP_METHODS:
                    out.append((where, m, (m.name,)))
                elif any(d.rsplit(".", 1)[-1] == "fixture" for d in m.decorators):
                    fixtures[m.name] = (where, m)
        todo = [p.name for p in t.fn.params if p.name not in ("self", "cls")]
        seen: set[str] = set()
        while todo and len(seen) < 20:
            name = todo.pop(0)
            if name in seen or name not in fixtures:
                continue
            seen.add(name)
            where, fn = fixtures[name]
            out.append((where, fn, (f"fixture {name}",)))
            todo += [p.name for p in fn.params if p.name not in ("self", "cls", "request")]
        return out

    def judge(self, t: TestFunction) -> dict[str, Finding]:
        found: dict[str, Finding] = {}
        # Only constructing a project data class (a DataModule handed to a Trainer) is input to a
        # model test, not a data test; it counts when the test exercises no model code.
        weak_data: Finding | None = None
        frontier = [(path, fn, via, 0) for path, fn, via in self.starts(t)]
        visited: set[tuple[str, str]] = set()
        while frontier and len(visited) < MAX_VISITS and len(found) < 2:
            path, fn, via, depth = frontier.pop(0)
            if (path, fn.qualname) in visited:
                continue
            visited.add((path, fn.qualname))
            owner = (t.collected_in, t.test_class) if depth == 0 and t.test_class is not None else \
                (path, fn.class_name) if fn.class_name is not None else None
            # Data code run from inside project code is incidental (a predictor preprocessing its
            # input); a data test calls or checks it from test code.
            test_code = self.is_test(path)
            for call in self.calls_in(path, fn.qualname):
                if len(found) == 2:
                    break
                if MODEL not in found:
                    # A call into the project is judged by what it reaches, below, not by its method name.
                    project = call.resolved and self.project.roots.reaches(call.name.split(".", 1)[0], path)
                    what = (library_model_use(call.name) if call.resolved else None) \
                        or (None if project else method_model_use(call)) or self._model_argument(call)
                    if what:
                        found[MODEL] = Finding(f"calls {what}", via)
                if DATA not in found and test_code:
                    what = data_check(call, self.uses_frames(path))
                    if what:
                        found[DATA] = Finding(what, via)
                    elif weak_data is None and (what := loads_data_file(call)):
                        weak_data = Finding(what, via)
                for d, label, target, constructs in self.project_targets(call, path, fn, owner):
                    for r in d.reasons if d is not None else ():
                        if r.by_place and not test_code:
                            continue  # inside project code, a call into models/ is how it is built, not a finding
                        desc = f"{label} ({r.kind} code, {r.why})"
                        if r.kind == MODEL and MODEL not in found:
                            found[MODEL] = Finding(desc, via)
                        elif r.kind == DATA and DATA not in found and test_code:
                            if not constructs:
                                found[DATA] = Finding(desc, via)
                            elif weak_data is None:
                                weak_data = Finding(desc, via)
                    # Test helpers and fixtures are followed; project code is read one call deep.
                    if target is not None and test_code and depth < MAX_DEPTH and len(found) < 2:
                        tpath, tfn = target
                        frontier.append((tpath, tfn, (*via, tfn.qualname), depth + 1))
        if weak_data is not None and not found:
            found[DATA] = weak_data
        return found

    def _model_argument(self, call: Call) -> str | None:
        """A model class handed to a helper: `run_layer_test(layers.Dense, ...)`."""
        for v in call.args[:2]:
            if v.kind == "name" and isinstance(v.value, str) and _camel(v.value.rsplit(".", 1)[-1]):
                what = library_model_use(v.value)
                if what:
                    return what
        return None

    def project_targets(self, call: Call, path: str, fn: Function, owner: tuple[str, str] | None):
        """(definition or None, what the call does, function to follow, only constructs a class) for each
        project function or class a call reaches."""
        key = (call.name, call.resolved, path, owner)
        found = self._targets.get(key)
        if found is None:
            found = self._targets[key] = self._project_targets(call, path, owner)
        return [t for t in found if t[2] is None or t[2][0] != path or t[2][1].qualname != fn.qualname]

    def _project_targets(self, call: Call, path: str, owner: tuple[str, str] | None):
        parts = call.name.split(".")
        head = parts[0]
        label = f"calls {call.name.replace('()', '')}"
        out = []
        local = not call.resolved
        if not (local or self.project.roots.reaches(head, path)):
            return out
        if local and head in ("self", "cls") and len(parts) == 2 and owner is not None:
            for where, m in self.classes.all_methods(owner):
                if m.name == parts[1]:
                    d = self.project.function_kind(where, m)
                    out.append((d, label, None if d else (where, m), False))
            return out
        if local and len(parts) > 1 and not _camel(parts[0].removesuffix("()")):
            return out  # a method on a local variable: we cannot tell what it is
        # A project class: constructing it or calling its methods.
        for i, part in enumerate(parts):
            name = part.removesuffix("()")
            if _camel(name):
                module = parts[i - 1].removesuffix("()").lstrip(".") if i > 0 else None
                for cid in self.project.classes_named(name, module, path):
                    d = self.project.class_kind(cid)
                    if d is not None:
                        out.append((d, f"uses {name}", None, True))
                break
        # A project function, or a method reached through its class.
        module = PurePosixPath(path).stem if len(parts) == 1 else parts[-2].removesuffix("()").lstrip(".")
        for where, target in self.project.functions_named(module, parts[-1], path):
            d = self.project.function_kind(where, target)
            out.append((d, label, None if d else (where, target), False))
        return out


# -- the judgement, shared by both probes -----------------------------------------------------
@dataclass
class Judged:
    tests: list[tuple[TestFunction, dict[str, Finding]]]
    total: int


def judge_all(ctx: ProbeContext) -> Judged:
    return ctx.shared("tests.exercise", _judge_all)


def _judge_all(ctx: ProbeContext) -> Judged:
    c = collect(ctx)
    reach = Reach(c.by_path, c.classes, ProjectIndex(c.by_path, c.classes))
    return Judged([(t, reach.judge(t)) for t in c.functions], len(c.functions))


def _result(ctx: ProbeContext, kind: str, count_key: str) -> ProbeResult:
    judged = judge_all(ctx)
    if not judged.total:
        return ProbeResult(outcome=Outcome.false, values={count_key: 0, "files": [], "tests": 0}, message="no tests")
    hits = [(t, f[kind]) for t, f in judged.tests if kind in f]
    files = sorted({t.collected_in for t, _ in hits})
    values = {count_key: len(hits), "tests": judged.total, "files": files[:MAX_FILES]}
    if len(files) > MAX_FILES:
        values["files_total"] = len(files)
    if not hits:
        what = "model or training code" if kind == MODEL else "data or feature code"
        return ProbeResult(outcome=Outcome.false, values=values,
                           message=f"{judged.total} test(s) found; none exercises {what}")
    return ProbeResult(outcome=Outcome.true, values=values, evidence=_spread(hits))


def _spread(hits: list[tuple[TestFunction, Finding]]) -> list[Evidence]:
    """At most MAX_EVIDENCE findings, taken round-robin over files so one big file does not fill the list."""
    by_file: dict[str, list[tuple[TestFunction, Finding]]] = {}
    for h in hits:
        by_file.setdefault(h[0].collected_in, []).append(h)
    chosen: list[tuple[TestFunction, Finding]] = []
    queues = list(by_file.values())
    while len(chosen) < MAX_EVIDENCE and any(queues):
        for q in queues:
            if q and len(chosen) < MAX_EVIDENCE:
                chosen.append(q.pop(0))
    chosen.sort(key=lambda h: (h[0].path, h[0].fn.line))
    out = []
    for t, f in chosen:
        via = f" (via {' → '.join(f.via)})" if f.via else ""
        out.append(Evidence(path=t.path, line=t.fn.line, detail=f"{t.fn.qualname} {f.what}{via}"))
    return out


@probe("tests.model", outcomes={Outcome.true, Outcome.false})
def tests_model(ctx: ProbeContext) -> ProbeResult:
    """Do tests exercise the model or training code?

    Looks at each test tests.present collects, the fixtures it requests, its class's setUp
    methods, the test helpers those call, and one call into each project function they call. A
    test exercises model code when it calls an ML library's model or training API (torch.nn
    layers and losses, optimizers, `.backward()`, keras layers, models and losses, sklearn and
    gradient-boosting estimators, a Lightning `Trainer`, transformers models, flax, optax), calls
    `.fit/.predict/.evaluate/.compile/.forward` on something named like a model, or reaches project
    model code: classes subclassing torch.nn.Module, a keras Model or Layer, a LightningModule or an
    sklearn estimator (also through project base classes), and, in files that import an ML or data
    library, functions and classes named for training (`train_model`, `fit`, `evaluate`,
    `*Trainer`, `*Model`) or living in model modules (`models/`, `train.py`, `layers/`). A test of
    a CLI parser or of `evaluate()` in a module with no ML import is not a model test. Evidence:
    each model test (up to 50, spread over files) with what it exercises. With no tests at all the
    answer is false with the message "no tests", which scoring reads as absent. Values:
    `model_tests`, `tests` (all collected), `files` (up to 50; `files_total` when more).
    """
    return _result(ctx, MODEL, "model_tests")


@probe("tests.data", outcomes={Outcome.true, Outcome.false})
def tests_data(ctx: ProbeContext) -> ProbeResult:
    """Do tests check data or feature code (schemas, value ranges, dtypes, nulls)?

    Walks each test as tests.model does, but only what test code itself calls counts: feature code
    that runs inside the tested code (a predictor preprocessing its input) is incidental. A test
    checks data when it validates with pandera, Great Expectations, TensorFlow Data Validation or
    deepchecks, compares frames with `pandas.testing`, checks dtypes (`pandas.api.types.is_*`),
    `.dtypes` or `.columns` (in files using a data-frame library), missing values (`isnull/isna`)
    or values (`.between`, `.duplicated`), fits or applies something named like a feature
    transformer, or calls project data code: classes subclassing a torch Dataset, a
    LightningDataModule, an sklearn TransformerMixin or a keras Sequence, and, in files that import
    an ML or data library, functions and classes named like feature code (`build_features`,
    `preprocess`, `load_data`, `*Dataset`, `*Preprocessor`) or living in data modules (`data.py`,
    `features/`, `preprocessing/`). A dataset the test defines for itself, or a Random/Dummy/Boring
    one, is test input; so is a project dataset only constructed and handed to a test that
    exercises model code. Evidence: each data test (up to 50, spread over files). With no tests at
    all the answer is false with the message "no tests". Values: `data_tests`, `tests`, `files`
    (up to 50; `files_total` when more).
    """
    return _result(ctx, DATA, "data_tests")
