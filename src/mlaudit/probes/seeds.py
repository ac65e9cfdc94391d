"""Global random seeding in training code (Infra 1; Zhang et al.'s "Randomness Uncontrolled")."""

from __future__ import annotations

from mlaudit.facts.model import Value
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.project import call_key, seeding_helpers
from mlaudit.probes.registry import probe

# Resolved call name -> the library whose randomness it fixes.
SEEDERS = {
    "random.seed": "random",
    "random.Random": "random",
    "numpy.random.seed": "numpy",
    "numpy.random.default_rng": "numpy",
    "numpy.random.RandomState": "numpy",
    "numpy.random.Generator": "numpy",
    "torch.manual_seed": "torch",
    "torch.random.manual_seed": "torch",
    "torch.cuda.manual_seed": "torch.cuda",
    "torch.cuda.manual_seed_all": "torch.cuda",
    "torch.Generator().manual_seed": "torch",
    "tensorflow.random.set_seed": "tensorflow",
    "tensorflow.set_random_seed": "tensorflow",
    "tensorflow.compat.v1.set_random_seed": "tensorflow",
    "tensorflow.keras.utils.set_random_seed": "tensorflow",
    "keras.utils.set_random_seed": "keras",
    "jax.random.PRNGKey": "jax",
    "jax.random.key": "jax",
    "lightning.seed_everything": "lightning",
    "lightning.pytorch.seed_everything": "lightning",
    "lightning.fabric.seed_everything": "lightning",
    "pytorch_lightning.seed_everything": "lightning",
    "pytorch_lightning.utilities.seed.seed_everything": "lightning",
    "transformers.set_seed": "transformers",
    "transformers.trainer_utils.set_seed": "transformers",
    "accelerate.utils.set_seed": "accelerate",
}
# Calls that seed a library's *global* generator, which unseeded library calls then draw from.
_ALL = frozenset({"random", "numpy", "torch"})
GLOBAL_SEEDS: dict[str, frozenset[str]] = {
    "random.seed": frozenset({"random"}),
    "numpy.random.seed": frozenset({"numpy"}),
    "torch.manual_seed": frozenset({"torch"}),
    "torch.random.manual_seed": frozenset({"torch"}),
    "tensorflow.random.set_seed": frozenset({"tensorflow"}),
    "tensorflow.keras.utils.set_random_seed": frozenset({"random", "numpy", "tensorflow"}),
    "keras.utils.set_random_seed": frozenset({"random", "numpy", "tensorflow"}),
    "transformers.set_seed": _ALL | {"tensorflow"},
    "transformers.trainer_utils.set_seed": _ALL | {"tensorflow"},
    "accelerate.utils.set_seed": _ALL,
    **{name: _ALL for name, lib in SEEDERS.items() if lib == "lightning"},
}

# A generator constructor seeds only when given a seed.
NEEDS_ARGUMENT = {"random.Random", "numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.Generator"}
SEED_KEYWORDS = ("seed", "x")

RANDOM_LIBRARIES = ("random", "numpy", "torch", "tensorflow", "keras", "jax", "sklearn", "lightning",
                    "pytorch_lightning", "transformers", "xgboost", "lightgbm", "catboost")


def _seed_given(args: list[Value], kwargs: dict[str, Value]) -> bool:
    given = args[0] if args else next((kwargs[k] for k in SEED_KEYWORDS if k in kwargs), None)
    return given is not None and not (given.kind == "const" and given.value is None)


@probe("seeds.set", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def seeds_set(ctx: ProbeContext) -> ProbeResult:
    """Is global random seeding done in the project's (non-test) code?

    True when a call seeds random, numpy, torch (CPU or CUDA), tensorflow/keras, jax, lightning
    (`seed_everything`), transformers or accelerate (`set_seed`), or builds a seeded generator.
    Calls to a project helper that does the seeding are evidence too. A seed read from
    configuration (`np.random.seed(cfg.seed)`) counts.
    False when code imports a library with randomness but seeds nothing; the evidence then
    points at those imports. Not applicable when no code uses such a library. Test files do not
    count: seeding in a test does not make training reproducible.
    Values: libraries seeded, determinism flags set, and `conditional` when every seeding call
    runs only under an `if`.
    """
    evidence: list[Evidence] = []
    libraries: set[str] = set()
    flags: list[str] = []
    conditional: list[bool] = []
    users: list[Evidence] = []
    helpers = seeding_helpers(ctx, GLOBAL_SEEDS)
    for f, facts in ctx.code(include_tests=False):
        py = facts.python
        for call in py.calls:
            helper = helpers.get(call_key(call, f.path))
            if helper and call.scope != call_key(call, f.path)[1]:
                conditional.append(call.conditional)
                evidence.append(Evidence(path=f.path, line=call.line, cell=call.cell, detail=(
                    f"calls project helper {call.name}(), which seeds {', '.join(sorted(helper))}"
                    + (" (only under a condition)" if call.conditional else ""))))
            lib = SEEDERS.get(call.name)
            if lib is not None and (call.name not in NEEDS_ARGUMENT or _seed_given(call.args, call.kwargs)):
                libraries.add(lib)
                conditional.append(call.conditional)
                note = " (only under a condition)" if call.conditional else ""
                evidence.append(Evidence(path=f.path, line=call.line, cell=call.cell,
                                         detail=f"{call.name}(...) seeds {lib}{note}"))
            if call.name == "torch.use_deterministic_algorithms" and call.args[:1] and call.args[0].value is True:
                flags.append("torch.use_deterministic_algorithms")
            if call.name == "tensorflow.config.experimental.enable_op_determinism":
                flags.append("tensorflow.enable_op_determinism")
        for a in py.assigns:
            if a.target == "torch.backends.cudnn.deterministic" and a.value.value is True:
                flags.append("torch.backends.cudnn.deterministic")
            if a.target == "torch.backends.cudnn.benchmark" and a.value.value is False:
                flags.append("torch.backends.cudnn.benchmark=False")
        first_random_import = next((i for i in py.imports if i.module.split(".")[0] in RANDOM_LIBRARIES), None)
        if first_random_import is not None:
            users.append(Evidence(path=f.path, line=first_random_import.line, cell=first_random_import.cell,
                                  detail=f"imports {first_random_import.module}, which draws random numbers"))
    values = {"libraries": sorted(libraries), "determinism_flags": sorted(set(flags)),
              "conditional": bool(conditional) and all(conditional)}
    if evidence:
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    if users:
        return ProbeResult(outcome=Outcome.false, evidence=users[:20], values=values,
                           message="code uses libraries with randomness but no seed is set")
    return ProbeResult(outcome=Outcome.not_applicable, values=values,
                       message="no code imports a library that draws random numbers")
