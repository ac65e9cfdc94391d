"""Hard-coded decision thresholds on model scores (Sculley et al. 2015 §7, "Fixed thresholds in
dynamic systems")."""

from __future__ import annotations

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

# Calls whose result is a model's score: any fraction compared with it is a decision cut-off.
SCORE_CALLS = frozenset({"predict_proba", "decision_function", "predict", "sigmoid", "softmax", "expit"})
# Methods that leave a score a score: `torch.sigmoid(x).item() > 0.5`.
_PASS_THROUGH = frozenset({"item", "cpu", "numpy", "detach", "flatten", "ravel", "squeeze", "tolist", "float",
                           "reshape", "view", "to", "cuda"})
SCORE_WORDS = frozenset({"proba", "probas", "prob", "probs", "probability", "probabilities", "pred", "preds",
                         "prediction", "predictions", "logit", "logits", "confidence", "yhat", "score", "scores"})
# Tokens that make a probability-named value a setting (dropout, masking, augmentation) or a
# metric rather than a model's output.
_NOT_MODEL_OUTPUT = frozenset({
    "p", "pval", "pvalue", "pvalues", "alpha", "significance", "dropout", "drop", "keep", "lr", "learning", "rate",
    "flip", "aug", "augment", "augmentation", "mask", "masking", "mlm", "noise", "mix", "mixup", "cutmix", "sample",
    "sampling", "smoothing", "random", "rand", "replace", "swap", "explore", "exploration", "eps", "epsilon",
    "temperature", "momentum", "decay", "prior", "target", "true", "label", "labels",
})
# With "score", these say it is an evaluation result: `val_score > 0.9` checks a metric.
_METRIC_WORDS = frozenset({
    "accuracy", "acc", "f1", "auc", "roc", "r2", "precision", "recall", "metric", "metrics", "loss", "cv", "best",
    "mean", "avg", "average", "train", "training", "val", "valid", "validation", "test", "eval", "silhouette",
    "bleu", "rouge", "iou", "map", "dice", "corr", "correlation", "similarity", "total", "final", "baseline",
})
_THRESHOLD_WORDS = frozenset({"threshold", "thresh", "cutoff", "thr"})
# Other words a decision threshold's name may carry; anything else (clip, tol, iou, missing...)
# names a different kind of cut-off.
_DECISION_WORDS = frozenset({
    "default", "decision", "best", "optimal", "opt", "classification", "classifier", "clf", "class", "cls", "pos",
    "positive", "score", "prob", "proba", "probability", "pred", "prediction", "predict", "confidence", "conf",
    "detection", "detect", "alert", "anomaly", "fraud", "outlier", "binary", "model", "output", "sigmoid",
    "logit", "global", "my", "the", "churn", "spam", "approval", "risk",
})
_INEQUALITIES = frozenset({">", ">=", "<", "<="})


def _tokens(name: str) -> list[str]:
    return [t for t in name.lower().split("_") if t]


def model_output(subject: str) -> str | None:
    """A short label when `subject` is a model's output (a score, probability or prediction)."""
    parts = subject.split(".")
    while len(parts) > 1 and parts[-1].endswith("()") and parts[-1][:-2] in _PASS_THROUGH:
        parts.pop()
    last = parts[-1]
    if last.endswith("()"):
        return f"{last[:-2]}()" if last[:-2] in SCORE_CALLS else None
    if "(" in last:
        return None
    tokens = _tokens(last)
    if not tokens or any(t in _NOT_MODEL_OUTPUT for t in tokens):
        return None
    if last.lower() in ("y_hat", "yhat") or tokens[-1] in SCORE_WORDS:
        if tokens[-1] in ("score", "scores") and any(t in _METRIC_WORDS for t in tokens):
            return None
        return f"`{last}`"
    return None


def threshold_name(target: str) -> bool:
    tokens = _tokens(target.rsplit(".", 1)[-1])
    return (any(t in _THRESHOLD_WORDS for t in tokens)
            and all(t in _THRESHOLD_WORDS or t in _DECISION_WORDS for t in tokens))


@probe("thresholds.fixed", outcomes={Outcome.true, Outcome.false, Outcome.not_applicable})
def thresholds_fixed(ctx: ProbeContext) -> ProbeResult:
    """Are decisions made by comparing model scores with hard-coded thresholds?

    Finds comparisons of a model's output with a constant strictly between 0 and 1: the result
    of `predict_proba()`, `decision_function()`, `predict()`, `sigmoid()`/`softmax()`/`expit()`,
    or a variable whose name ends in score(s), proba, prob(s), probability, pred(s), prediction(s),
    logit(s), confidence or `y_hat` (`proba[:, 1] >= 0.5`). Also module-level constants named as
    decision thresholds (`THRESHOLD`, `DECISION_THRESHOLD`, `prob_cutoff`) set to such a fraction.
    Not counted: p-values and significance levels, dropout, masking, augmentation and learning
    rates, scores named as metrics (`val_score`, `f1_score`), thresholds computed from data
    (`precision_recall_curve`, `TunedThresholdClassifierCV`: their assignment is not a
    constant), and test files, where such comparisons are assertions. Sculley et al. recommend
    learning thresholds from held-out data, because a fixed cut-off goes stale as the model and
    the data change. True when any is found (one evidence each), false when there is Python code
    but none, not applicable when there is no Python code outside tests. Values: `thresholds`.
    """
    evidence: list[Evidence] = []
    code = False
    for f, facts in ctx.code(include_tests=False):
        code = True
        py = facts.python
        found: list[Evidence] = []
        for c in py.compares:
            label = model_output(c.subject) if c.op in _INEQUALITIES else None
            if label is not None:
                found.append(Evidence(path=f.path, line=c.line, cell=c.cell, detail=(
                    f"the model's {label} is compared with a fixed cut-off: {c.op} {c.value:g}")))
        for a in py.assigns:
            v = a.value
            if (a.scope == "<module>" and v.kind == "const" and type(v.value) in (int, float)
                    and 0 < v.value < 1 and threshold_name(a.target)):
                found.append(Evidence(path=f.path, line=a.line, cell=a.cell,
                                      detail=f"decision threshold {a.target} = {v.value:g} is hard-coded"))
        evidence += sorted(found, key=lambda e: (e.cell or 0, e.line or 0))
    values = {"thresholds": len(evidence)}
    return ProbeResult.found(evidence, values, applies=bool(code), why_not="no Python code outside tests")
