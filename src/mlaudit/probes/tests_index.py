"""The project's model, training, data and feature code, as far as tests can reach it.

Built from facts of every Python file. A class is model code when it subclasses (directly or
through project classes) torch.nn.Module, a keras Model or Layer, a LightningModule, a flax or
TF Module, or an sklearn estimator; data code when it subclasses a torch Dataset, a
LightningDataModule, an sklearn TransformerMixin or a keras Sequence. Outside tests, in files
that import an ML or data library, functions and classes are also model or data code by their
names (`train_model`, `build_features`, `load_data`, `*Dataset`...) and by the module they live
in (`models/`, `train.py`, `features.py`, `preprocessing/`...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.facts.model import FileFacts, Function
from mlaudit.probes.context import is_test_path
from mlaudit.probes.tests_collect import ClassId, ClassIndex

MODEL, DATA = "model", "data"
ML_IMPORTS = frozenset({
    "torch", "tensorflow", "keras", "tf_keras", "sklearn", "xgboost", "lightgbm", "catboost", "jax", "flax", "optax",
    "haiku", "equinox", "transformers", "datasets", "tokenizers", "sentence_transformers", "lightning",
    "pytorch_lightning", "lightning_fabric", "ray", "statsmodels", "pandas", "numpy", "scipy", "polars", "pyspark",
    "dask", "pandera", "great_expectations", "torchvision", "torchaudio", "torchtext", "timm", "mlflow", "prophet",
    "spacy", "nltk", "gensim", "cv2", "onnx", "onnxruntime", "mxnet", "paddle", "fastai", "accelerate", "deepspeed",
    "peft", "imblearn", "category_encoders", "featuretools", "feature_engine", "pyarrow", "tensorflow_datasets",
})
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(name: str) -> list[str]:
    """snake_case and CamelCase words, lower-cased: "build_DataLoader" -> build, data, loader."""
    return [w.lower() for w in _WORD.findall(name)]


# -- base classes -------------------------------------------------------------------------
def library_base_kind(base: str) -> str | None:
    parts = base.split(".")
    root, last = parts[0], parts[-1]
    if root == "torch":
        if "data" in parts[1:-1] and last in ("Dataset", "IterableDataset", "TensorDataset"):
            return DATA
        if len(parts) > 2 and parts[1] == "nn":
            return MODEL
    if root in ("lightning", "pytorch_lightning"):
        if last == "LightningDataModule":
            return DATA
        if last == "LightningModule":
            return MODEL
    if root in ("keras", "tensorflow", "tf_keras"):
        if last in ("Sequence", "PyDataset"):
            return DATA
        if last in ("Model", "Layer", "Sequential", "Functional", "Module"):
            return MODEL
    if root == "sklearn":
        if last == "TransformerMixin":
            return DATA
        if last in ("BaseEstimator", "ClassifierMixin", "RegressorMixin", "ClusterMixin"):
            return MODEL
    if root in ("flax", "haiku", "equinox") and last == "Module":
        return MODEL
    if root == "transformers" and (last.endswith("PreTrainedModel") or last == "PreTrainedModel"):
        return MODEL
    return None


# -- names and modules ----------------------------------------------------------------------
MODEL_LEAD = frozenset({"train", "fit", "finetune", "tune", "evaluate", "predict", "infer", "inference"})
MODEL_ANY = frozenset({"train", "training", "finetune", "backward", "fit"})
MODEL_VERBS = frozenset({"build", "create", "make", "get", "load", "init", "initialize", "restore", "save", "export",
                         "compile", "train", "fit", "instantiate", "construct"})
STEP_WORDS = frozenset({"train", "training", "eval", "val", "valid", "validation", "test", "predict", "optimizer"})
NOT_MODEL = frozenset({"transform", "resample", "transformer", "data", "dataset", "features", "feature", "split",
                       "splits", "dataloader", "loader", "sampler"})
# Words that make a name about something other than data: standardize_dtype, clean_namespace.
NOT_DATA = frozenset({"dtype", "dtypes", "shape", "name", "names", "path", "config", "args", "kwargs", "namespace",
                      "message", "version", "url", "layout"})

DATA_ANY = frozenset({
    "feature", "features", "featurize", "featurizer", "featurization", "preprocess", "preprocessing",
    "preprocessor", "transform", "transforms", "dataset", "datasets", "dataloader",
    "datamodule", "hot", "impute", "imputer", "normalize", "normalise", "standardize", "scaler",
    "tokenize", "tokenizer", "augmentation", "bucket", "bucketize", "discretize", "vectorize",
    "vectorizer", "ingest", "etl", "schema", "collate",
})
DATA_VERBS = frozenset({"load", "read", "fetch", "prepare", "process", "preprocess", "split", "clean", "validate",
                        "download"})
DATA_CLASS = re.compile(r"Preprocess|Featur|Dataset|DataModule|DataLoader|Tokeni[sz]er|Vectori[sz]er|Imputer|Scaler"
                        r"|Normali[sz]er")
MODEL_CLASS = re.compile(r"(?:Model|Net|Network|Trainer|Estimator|Classifier|Regressor)$")
SYNTHETIC = re.compile(r"^(?:Random|Boring|Dummy|Fake|Mock|Toy|Synthetic)")

MODEL_MODULE = frozenset({"model", "models", "modeling", "modelling", "network", "networks", "net", "nets",
                          "architecture", "architectures", "train", "training", "trainer", "trainers", "loss",
                          "losses", "optim", "optimizer", "optimizers", "layers", "estimator", "estimators", "tune",
                          "tuning", "loops"})
DATA_MODULE = frozenset({"data", "dataset", "datasets", "datamodule", "datamodules", "dataloader", "dataloaders",
                         "feature", "features", "featurize", "featurization", "preprocess", "preprocessing",
                         "preprocessor", "transforms", "etl", "ingest", "ingestion", "cleaning", "schema", "schemas"})


def function_name_kinds(name: str) -> set[str]:
    w = words(name.strip("_"))
    if not w:
        return set()
    kinds = set()
    ws = set(w)
    steps = ("step" in ws and ws & STEP_WORDS) or ("epoch" in ws and ws & {"train", "run", "one"})
    if not ws & NOT_MODEL and (w[0] in MODEL_LEAD or w == ["forward"] or ws & MODEL_ANY or steps
                               or (ws & {"model", "models"} and ws & MODEL_VERBS)):
        kinds.add(MODEL)
    if not ws & NOT_DATA and (ws & DATA_ANY or ("data" in ws and ws & DATA_VERBS) or w == ["get", "data"]):
        kinds.add(DATA)
    return kinds


def module_kinds(path: str, strong_data: bool = False) -> set[str]:
    """Model or data code by where it lives; the innermost telling name decides, so
    trainers/data_adapters/ is data code and data/models.py model code. With `strong_data`,
    a plain data.py or utils/data/ does not make data code (it holds all sorts of helpers)."""
    p = PurePosixPath(path)
    for part in [p.stem, *reversed(p.parts[:-1])]:
        ws = set(re.split(r"[_\-.]", part.lower()))
        kinds = ({MODEL} if ws & MODEL_MODULE else set()) | ({DATA} if ws & DATA_MODULE else set())
        if strong_data and kinds == {DATA} and not ws & (DATA_MODULE - {"data"}):
            return set()  # data_adapters/ inside trainers/ is still not model code
        if kinds:
            return kinds
    return set()


@dataclass(frozen=True)
class Reason:
    kind: str  # MODEL or DATA
    why: str  # "subclass of torch.nn.Module", "by its name", "in src/proj/features.py"
    by_place: bool = False  # only where it lives says so: too weak to count from inside project code


@dataclass(frozen=True)
class Definition:
    """A project function or class that is model or data code, and why (one reason per kind)."""

    path: str
    name: str
    reasons: tuple[Reason, ...]

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(r.kind for r in self.reasons)

    def reason(self, kind: str) -> Reason | None:
        return next((r for r in self.reasons if r.kind == kind), None)


class ProjectIndex:
    """Model and data definitions, and every function by the names a call can reach it through."""

    def __init__(self, code: dict[str, FileFacts], classes: ClassIndex) -> None:
        self.code = code
        self.classes = classes
        self.roots = classes.roots
        self.functions: dict[tuple[str, str], list[tuple[str, Function]]] = {}
        for path, facts in code.items():
            stem = PurePosixPath(path).stem
            for fn in facts.python.functions:
                owner = fn.qualname.rsplit(".", 2)[-2] if "." in fn.qualname else stem
                if "." in fn.qualname and owner != fn.class_name:
                    continue  # nested in a function: not reachable by name
                self.functions.setdefault((owner, fn.name), []).append((path, fn))
                if fn.class_name is None and PurePosixPath(path).name == "__init__.py":
                    self.functions.setdefault((PurePosixPath(path).parent.name, fn.name), []).append((path, fn))
        self._class_kind: dict[ClassId, Definition | None] = {}
        self._ml: dict[str, bool] = {}
        self._function_kind: dict[tuple[str, str], Definition | None] = {}

    def ml_file(self, path: str) -> bool:
        """Names and places only tell in a file that works with ML or data libraries: `evaluate()`
        in a rubric checker and `schema.py` of a web API are not model or data code."""
        if path not in self._ml:
            facts = self.code.get(path)
            self._ml[path] = facts is not None and any(
                i.module.split(".", 1)[0] in ML_IMPORTS for i in facts.python.imports)
        return self._ml[path]

    # -- classes ------------------------------------------------------------------------
    def class_kind(self, cid: ClassId) -> Definition | None:
        if cid in self._class_kind:
            return self._class_kind[cid]
        self._class_kind[cid] = None  # cycles
        path, name = cid
        in_tests = is_test_path(path)
        # A dataset a test defines for itself is test input, not the project's data code; so is a
        # random or dummy one. A model a test defines still runs model code.
        drop = {DATA} if SYNTHETIC.match(name) else set()
        reasons: dict[str, Reason] = {}

        def add(kind: str, why: str, by_place: bool = False) -> None:
            if kind not in drop and (kind not in reasons or (reasons[kind].by_place and not by_place)):
                reasons[kind] = Reason(kind, why, by_place)

        for base in self.classes.bases.get(cid, ()):
            resolved = self.classes.resolve(base, path)
            for d in (self.class_kind(b) for b in resolved):
                for r in d.reasons if d is not None else ():
                    add(r.kind, f"subclass of {d.name}", r.by_place)
            kind = None if resolved else library_base_kind(base)
            if kind is not None and not (in_tests and kind == DATA):
                add(kind, f"subclass of {base}")
        if not in_tests and self.ml_file(path):
            if MODEL_CLASS.search(name):
                add(MODEL, "by its name")
            if DATA_CLASS.search(name):
                add(DATA, "by its name")
            # A class in data.py may be anything (an AttributeDict); one in models/ or preprocessing/ is not.
            for kind in module_kinds(path, strong_data=True):
                add(kind, f"in {path}", by_place=True)
        found = Definition(path, name, tuple(reasons.values())) if reasons else None
        self._class_kind[cid] = found
        return found

    def classes_named(self, name: str, module: str | None, path: str) -> list[ClassId]:
        candidates = self.classes.by_name.get(name, [])
        if not candidates:
            return []
        if module is None:
            same = [c for c in candidates if c[0] == path]
            return same or (candidates if len(candidates) == 1 else [])
        near = [c for c in candidates
                if PurePosixPath(c[0]).stem == module or PurePosixPath(c[0]).parent.name == module]
        return near or (candidates if len(candidates) == 1 else [])

    # -- functions ------------------------------------------------------------------------
    def function_kind(self, path: str, fn: Function) -> Definition | None:
        key = (path, fn.qualname)
        if key not in self._function_kind:
            self._function_kind[key] = self._find_function_kind(path, fn)
        return self._function_kind[key]

    def _find_function_kind(self, path: str, fn: Function) -> Definition | None:
        if fn.class_name is not None:
            owner = self.class_kind((path, fn.class_name))
            if owner is not None:
                return Definition(path, f"{fn.class_name}.{fn.name}", owner.reasons)
        if is_test_path(path) or not self.ml_file(path):
            return None
        kinds = function_name_kinds(fn.name)
        if kinds:
            return Definition(path, fn.qualname, tuple(Reason(k, "by its name") for k in sorted(kinds)))
        kinds = module_kinds(path)
        if kinds:
            return Definition(path, fn.qualname, tuple(Reason(k, f"in {path}", True) for k in sorted(kinds)))
        return None

    def functions_named(self, owner: str, name: str, path: str) -> list[tuple[str, Function]]:
        found = self.functions.get((owner, name), [])
        if len(found) > 1:
            here = [f for f in found if f[0] == path]
            if here:
                return here
            folder = str(PurePosixPath(path).parent)
            near = [f for f in found if str(PurePosixPath(f[0]).parent) == folder]
            return near or [f for f in found if not is_test_path(f[0])] or found[:1]
        return found
