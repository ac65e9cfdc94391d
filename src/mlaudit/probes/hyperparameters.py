"""Hyperparameters hard-coded in training calls (Sculley et al. 2015 §6, "Configuration debt";
Zhang et al.'s "Hyperparameter not Explicitly Set", read the other way round)."""

from __future__ import annotations

from mlaudit.facts.model import Call, FileFacts
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

HYPERPARAMETERS = frozenset({
    "lr", "learning_rate", "epochs", "num_epochs", "n_epochs", "max_epochs", "num_train_epochs", "batch_size",
    "train_batch_size", "per_device_train_batch_size", "weight_decay", "momentum", "n_estimators", "max_depth",
    "num_leaves", "dropout", "num_boost_round", "initial_learning_rate",
})
_OPTIMIZER_MODULES = ("torch.optim.", "keras.optimizers.", "tensorflow.keras.optimizers.", "tensorflow.optimizers.",
                      "tf_keras.optimizers.", "tensorflow.train.", "tensorflow.compat.v1.train.")
OPTAX_OPTIMIZERS = frozenset({"adam", "adamw", "sgd", "rmsprop", "adagrad", "adadelta", "adamax", "adafactor", "lamb",
                              "lars", "lion", "nadam", "radam", "yogi", "novograd", "fromage", "noisy_sgd",
                              "adabelief", "sm3"})
_ESTIMATOR_MODULES = tuple(f"sklearn.{m}." for m in (
    "ensemble", "linear_model", "tree", "svm", "neighbors", "neural_network", "naive_bayes", "gaussian_process",
    "discriminant_analysis", "kernel_ridge", "cluster", "mixture", "semi_supervised")) + (
    "xgboost.", "lightgbm.", "catboost.")
_LIGHTNING = ("lightning.", "pytorch_lightning.")
_LIBRARIES = frozenset({"torch", "keras", "tensorflow", "tf_keras", "sklearn", "jax", "flax", "lightning",
                        "pytorch_lightning", "transformers", "xgboost", "lightgbm", "catboost"})
MODEL_BASES = frozenset({"Module", "LightningModule", "Model", "Sequential"})
# Where the learning rate (or batch size) goes when passed by position.
_POSITIONAL = {"torch.optim.": (1, "lr"), "keras.optimizers.": (0, "learning_rate"),
               "tensorflow.keras.optimizers.": (0, "learning_rate"), "optax.": (0, "learning_rate")}

CONFIG_IMPORTS = {"hydra": "hydra", "omegaconf": "omegaconf", "gin": "gin", "ml_collections": "ml_collections",
                  "pydantic_settings": "pydantic_settings", "configargparse": "configargparse",
                  "jsonargparse": "jsonargparse", "simple_parsing": "simple_parsing"}
CONFIG_LOADERS = {"yaml.safe_load": "yaml", "yaml.load": "yaml", "yaml.full_load": "yaml", "json.load": "json",
                  "tomllib.load": "toml", "tomli.load": "toml", "toml.load": "toml"}
# A command-line library counts when options are declared with it, not just imported.
_OPTION_CALLS = {"argparse": ("add_argument",), "click": ("click.option", "click.argument"),
                 "typer": ("typer.Option", "typer.Argument"), "absl": ("absl.flags.DEFINE_",)}


def _is_class(part: str) -> bool:
    return part[:1].isupper() and "(" not in part


def training_call(call: Call, model_classes: frozenset[str]) -> str | None:
    """A short label when the call trains, builds an optimiser or estimator, or feeds batches."""
    name = call.name
    receiver, _, last = name.rpartition(".")
    if name.startswith(_OPTIMIZER_MODULES) and _is_class(last) and ".lr_scheduler." not in name:
        return last
    if name.startswith("optax.") and last in OPTAX_OPTIMIZERS:
        return f"optax.{last}"
    if name.startswith(_ESTIMATOR_MODULES) and _is_class(last) and "(" not in receiver:
        return last
    if last in ("fit", "fit_generator") and receiver:
        return f"{receiver.rsplit('.', 1)[-1]}.{last}"
    if last == "compile" and receiver and (not call.resolved or "keras" in receiver or "Model" in receiver):
        return f"{receiver.rsplit('.', 1)[-1]}.compile"
    if name.startswith(("transformers.", "trl.")) and last.endswith(("Trainer", "TrainingArguments")):
        return last
    if name.startswith(_LIGHTNING) and last == "Trainer":
        return "Trainer"
    if name.startswith("torch") and last == "DataLoader":
        return "DataLoader"
    if name in ("xgboost.train", "lightgbm.train", "xgboost.cv", "lightgbm.cv"):
        return name
    if last in model_classes and name.split(".", 1)[0] not in _LIBRARIES:
        return last
    return None


def literals(call: Call) -> list[str]:
    """`kw=value` for each hyperparameter given as a number (booleans are switches, not values)."""
    found = [f"{k}={v.value!r}" for k, v in call.kwargs.items()
             if k in HYPERPARAMETERS and v.kind == "const" and type(v.value) in (int, float)]
    for prefix, (index, keyword) in _POSITIONAL.items():
        if call.name.startswith(prefix) and len(call.args) > index:
            if ".schedules." in call.name:
                keyword = "initial_learning_rate"
            v = call.args[index]
            if v.kind == "const" and type(v.value) in (int, float):
                found.insert(0, f"{keyword}={v.value!r}")
    if call.name.startswith("torch") and call.name.endswith(".DataLoader") and len(call.args) > 1:
        v = call.args[1]
        if v.kind == "const" and type(v.value) is int:
            found.insert(0, f"batch_size={v.value!r}")
    return found


def config_systems(files: list[tuple[str, FileFacts]]) -> list[str]:
    """Configuration libraries, option parsers and config-file loaders the code uses."""
    found: set[str] = set()
    for _, facts in files:
        py = facts.python
        imported = {i.module.split(".")[0] for i in py.imports}
        found |= {CONFIG_IMPORTS[m] for m in imported if m in CONFIG_IMPORTS}
        for call in py.calls:
            if call.name in CONFIG_LOADERS:
                found.add(CONFIG_LOADERS[call.name])
            elif call.name.endswith("LightningCLI") and call.name.startswith(_LIGHTNING):
                found.add("LightningCLI")
            elif call.name == "fire.Fire":
                found.add("fire")
        for lib, markers in _OPTION_CALLS.items():
            if lib in imported and any(c.name.startswith(markers) or c.name.rsplit(".", 1)[-1] in markers
                                       for c in py.calls):
                found.add(lib)
    return sorted(found)


def _model_classes(files: list[tuple[str, FileFacts]]) -> frozenset[str]:
    return frozenset(c.name for _, facts in files for c in facts.python.classes
                     if any(b.rsplit(".", 1)[-1] in MODEL_BASES for b in c.bases))


@probe("config.hardcoded_hyperparameters", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def hardcoded_hyperparameters(ctx: ProbeContext) -> ProbeResult:
    """Are hyperparameters written as literals in training code, with no configuration system to set them?

    Looks at training calls: optimisers (`torch.optim.*`, Keras/TensorFlow optimisers, `optax`),
    scikit-learn, XGBoost, LightGBM and CatBoost estimator constructors, `.fit(...)`,
    `.compile(...)`, Hugging Face `Trainer`/`TrainingArguments`, Lightning `Trainer`, PyTorch
    `DataLoader`, `xgboost.train`/`lightgbm.train`, and the project's own model classes. A call
    counts when it passes a number (not a boolean) as lr, learning_rate, epochs (and its
    num_/n_/max_ variants), batch_size (and train/per-device variants), weight_decay, momentum,
    n_estimators, max_depth, num_leaves, num_boost_round or dropout, by keyword, or as an
    optimiser's learning rate or a DataLoader's batch size by position. A configuration system
    is used when non-test code imports hydra, omegaconf, gin, ml_collections, pydantic_settings,
    configargparse, jsonargparse or simple_parsing, declares options with argparse, click, typer
    or absl flags, runs `LightningCLI` or `fire.Fire`, or loads a YAML, JSON or TOML file. Then
    the answer is false, since the literals may only be defaults. True when there is no such
    system and a training call carries literals (one evidence per call, at its first line).
    Notebooks are included, because prototype code is where this lives; test files are not.
    Not applicable when there is no training call.
    Values: `calls` (literal-bearing calls), `literals`, `config_systems`.
    """
    files = [(f.path, facts) for f, facts in ctx.code(include_tests=False)]
    models = _model_classes(files)
    evidence: list[Evidence] = []
    training = n_literals = 0
    for path, facts in files:
        for call in facts.python.calls:
            label = training_call(call, models)
            if label is None:
                continue
            training += 1
            found = literals(call)
            if found:
                n_literals += len(found)
                evidence.append(Evidence(path=path, line=call.line, cell=call.cell,
                                         detail=f"{label}(...) hard-codes {', '.join(found)}"))
    systems = config_systems(files)
    values = {"calls": len(evidence), "literals": n_literals, "config_systems": systems}
    if not training:
        return ProbeResult(outcome=Outcome.not_applicable, values=values, message="no training call found")
    if systems:
        message = (f"{len(evidence)} training call(s) pass literal hyperparameters, but the project uses "
                   f"{', '.join(systems)} for configuration, so they may be defaults") if evidence else None
        return ProbeResult(outcome=Outcome.false, values=values, message=message)
    if evidence:
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    return ProbeResult(outcome=Outcome.false, values=values)
