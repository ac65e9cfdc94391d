"""Random data splits and shuffles without a fixed seed (Infra 1; Lones §4.4)."""

from __future__ import annotations

from dataclasses import dataclass

from mlaudit.facts.model import Call, FileFacts, Function, Value
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.project import call_key, callers, function_at, seeding_helpers, stem
from mlaudit.probes.registry import probe
from mlaudit.probes.seeds import GLOBAL_SEEDS


@dataclass(frozen=True)
class Splitter:
    seed_keyword: str
    seed_position: int | None  # where the seed may be passed positionally
    draws_from: str | None = None  # the library whose global generator an unseeded call uses
    shuffle_keyword: str | None = None  # random only when this is true...
    shuffle_position: int | None = None
    shuffle_default: bool = True  # ...and this is its default


_SK = "sklearn.model_selection."
_KFOLD = Splitter("random_state", 2, "numpy", "shuffle", 1, shuffle_default=False)
SPLITTERS: dict[str, Splitter] = {
    _SK + "train_test_split": Splitter("random_state", None, "numpy", "shuffle", None, shuffle_default=True),
    **{_SK + name: _KFOLD for name in ("KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold")},
    **{_SK + name: Splitter("random_state", 3, "numpy") for name in
       ("ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit")},
    **{_SK + name: Splitter("random_state", 2, "numpy") for name in ("RepeatedKFold", "RepeatedStratifiedKFold")},
    "torch.utils.data.random_split": Splitter("generator", 2, "torch"),
}
# Method names matched on any receiver, because a DataFrame rarely resolves to an import.
METHOD_SPLITTERS: dict[str, Splitter] = {
    "randomSplit": Splitter("seed", 1),  # Spark
}


def _arg(call: Call, keyword: str, position: int | None) -> Value | None:
    if keyword in call.kwargs:
        return call.kwargs[keyword]
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _is_none(v: Value | None) -> bool:
    return v is None or (v.kind == "const" and v.value is None)


def classify(call: Call, uses_pandas: bool) -> tuple[str, Value | None, str | None] | None:
    """(label, the seed passed, library it draws from) for a random split, or None when the call
    does not split at random. The seed is None when none is passed (or None is passed)."""
    spec = SPLITTERS.get(call.name)
    label = call.name.rsplit(".", 1)[-1]
    if spec is None:
        method = call.name.rsplit(".", 1)[-1]
        if method in METHOD_SPLITTERS and not call.name.startswith(("numpy.", "torch.")):
            spec = METHOD_SPLITTERS[method]
        elif (method == "sample" and "frac" in call.kwargs and uses_pandas
              and (not call.resolved or call.name.startswith(("pandas.", "polars.")))):
            spec = Splitter("random_state", 5, "numpy")  # DataFrame.sample(n, frac, replace, weights, random_state)
            label = "DataFrame.sample(frac=...)"
        else:
            return None
    if spec.shuffle_keyword is not None:
        shuffle = _arg(call, spec.shuffle_keyword, spec.shuffle_position)
        shuffles = spec.shuffle_default if shuffle is None else not (shuffle.kind == "const" and shuffle.value is False)
        if not shuffles:
            return None
    seed = _arg(call, spec.seed_keyword, spec.seed_position)
    return label, None if _is_none(seed) else seed, spec.draws_from


def _position(call: Call) -> tuple[int, int]:
    return (call.cell or 0, call.line)


def global_seeds(calls: list[Call], path: str, helpers: dict) -> dict[str, tuple[int, int]]:
    """Library -> where its global generator is first seeded, unconditionally, in this file,
    directly or through a project helper such as `utils.seed_everything(cfg.seed)`."""
    first: dict[str, tuple[int, int]] = {}
    for call in calls:
        libs = GLOBAL_SEEDS.get(call.name) or helpers.get(call_key(call, path))
        if libs and not call.conditional:
            for lib in libs:
                first.setdefault(lib, _position(call))
    return first


def _seed_parameter(call: Call, spec_arg: Value | None, facts: FileFacts) -> tuple[Function, int] | None:
    """When the seed passed is a parameter of the enclosing function that defaults to None,
    that function and the parameter's position: its callers decide whether the split is seeded."""
    if spec_arg is None or spec_arg.kind != "name" or "." in str(spec_arg.value) or call.scope == "<module>":
        return None
    fn = function_at(facts, call.scope)
    if fn is None or fn.class_name is not None:
        return None
    for i, p in enumerate(fn.params):
        if p.name == spec_arg.value:
            return (fn, i) if p.default is not None and p.default.kind == "const" and p.default.value is None else None
    return None


@probe("splits.unseeded", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def splits_unseeded(ctx: ProbeContext) -> ProbeResult:
    """Is data split or shuffled at random without a fixed seed?

    Looks at scikit-learn's `train_test_split` and the K-fold / ShuffleSplit families (K-fold
    only with `shuffle=True`), `torch.utils.data.random_split` without `generator`, pandas
    `.sample(frac=...)` and Spark `randomSplit` without a seed. A seed passed by keyword or by
    position counts; `random_state=None` does not. True when any such call is unseeded (each is
    evidence), false when every split is seeded, not applicable when nothing splits at random.
    Values: `seeded`, `unseeded` and `globally_seeded` counts. Test files are not counted.
    """
    seeded = globally = 0
    evidence: list[Evidence] = []
    helpers = seeding_helpers(ctx, GLOBAL_SEEDS)
    for f, facts in ctx.code(include_tests=False):
        uses_pandas = any(i.module.split(".")[0] in ("pandas", "pyspark", "polars") for i in facts.python.imports)
        seeded_at: dict[str, tuple[int, int]] | None = None
        for call in facts.python.calls:
            verdict = classify(call, uses_pandas)
            if verdict is None:
                continue
            label, seed, library = verdict
            if seed is None and library is not None:
                seeded_at = seeded_at if seeded_at is not None else global_seeds(facts.python.calls, f.path, helpers)
                if library in seeded_at and seeded_at[library] < _position(call):
                    globally += 1
                    seeded += 1
                    continue
            where = f"{label}(...) at {f.path}:{call.line}" if call.cell is None else f"{label}(...) in {f.path} cell {call.cell}"
            parameter = _seed_parameter(call, seed, facts)
            if seed is not None and parameter is None:
                seeded += 1
            elif parameter is not None:
                fn, index = parameter
                all_callers = list(callers(ctx, (stem(f.path), fn.name)))  # one walk over the project's calls
                omitting = [(g, c) for g, c in all_callers
                            if fn.params[index].name not in c.kwargs and len(c.args) <= index]
                found_callers = bool(all_callers)
                if found_callers and not omitting:
                    seeded += 1
                    continue
                for g, c in omitting:
                    evidence.append(Evidence(path=g.path, line=c.line, cell=c.cell, detail=(
                        f"calls {fn.name}() without `{fn.params[index].name}`, which defaults to None, "
                        f"so {where} is unseeded")))
                if not found_callers:
                    evidence.append(Evidence(path=f.path, line=call.line, cell=call.cell, detail=(
                        f"{label}(...) takes its seed from `{fn.params[index].name}`, which defaults to None")))
            else:
                evidence.append(Evidence(path=f.path, line=call.line, cell=call.cell,
                                         detail=f"{label}(...) splits at random without a fixed seed"))
    values = {"seeded": seeded, "unseeded": len(evidence), "globally_seeded": globally}
    return ProbeResult.found(evidence, values, applies=bool(seeded), why_not="no random split or shuffle found")
