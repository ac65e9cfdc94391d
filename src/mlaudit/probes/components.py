"""Which MLOps components a repository really uses: tracking, configuration, data validation,
monitoring, pipeline orchestration and serving (Kreuzberger et al.'s components; ML Test Score
Data 1, Infra 3/6/7, Monitor 2/4-7).

Tools and their signs are one table (components_tools.TOOLS); the tool lists in these docstrings
are generated from it. Counting rule, the same for every probe: a tool counts where the
repository runs it, that is a call, decorator or base class from the tool's own import, a file
the tool reads, or a CI/Makefile/shell command that runs it. Imports without calls, comments,
strings, README text and requirement entries never count. Code under tests/, examples/, docs/,
guides/, tutorials/, benchmarks/ and hidden folders (`.actions/`) is reported in values but does
not decide the outcome (except tests for data validation, where checking the data in a test is
the practice). Neither does an integration module: code named for a tool (`loggers/mlflow.py`)
or defining a class named for it (`MLFlowLogger`, keras's `TensorBoard` callback), which a
library offers its users, unless one of the project's own scripts (a notebook or a file with a
`__main__` guard) calls it. Serving and pipeline code named for its tool (`serve.py`) is always
the project's own.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from mlaudit.probes.components_scan import (
    ADAPTER_AREAS, EXAMPLE, INTEGRATION, PROJECT, TEST, Finding, Survey, survey,
)
from mlaudit.probes.components_tools import TOOLS
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.deps_requirements import normalise
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

MAX_EVIDENCE = 30
MAX_LISTED = 20


def _tool_list(area: str) -> str:
    names = sorted({t.name for t in TOOLS if t.area == area} | ({"pydantic"} if area == "validation" else set())
                   | ({"dvc"} if area in ("pipeline", "config") else set()))
    return ", ".join(names)


_REAL_USE = (
    "Only real use counts: a call, decorator or base class from the tool's own import, a file the\n"
    "tool reads, or a CI, Makefile or shell command that runs it; never an import alone, a comment,\n"
    "a string, documentation or a requirements entry. Code in {tests}examples/, docs/, guides/,\n"
    "tutorials/, benchmarks/ and hidden tooling folders{adapters} is reported in values but does not\n"
    "decide the outcome."
)
_ADAPTERS = (", and integration modules (code a library offers its\n"
             "users: named for the tool or defining a class named for it, called by none of the\n"
             "project's scripts),")


def _documented(area: str) -> Callable:
    """Fill the docstring's {tools} from the table and {rule} with the counting rule."""
    def fill(func: Callable) -> Callable:
        rule = _REAL_USE.format(tests="" if area == "validation" else "tests, ",
                                adapters=_ADAPTERS if area in ADAPTER_AREAS else "")
        doc = inspect.cleandoc(func.__doc__ or "")
        func.__doc__ = doc.replace("{tools}", _tool_list(area)).replace("{rule}", rule)
        return func
    return fill


def _counts(f: Finding, area: str) -> bool:
    return f.where == PROJECT or (f.where == TEST and area == "validation")


def _first_per_file(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str]] = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.path, -1 if f.cell is None else f.cell, f.line or 0)):
        if (f.tool, f.path) not in seen:
            seen.add((f.tool, f.path))
            out.append(f)
    return out


def _loc(f: Finding) -> str:
    cell = f" cell {f.cell}" if f.cell is not None else ""
    return f"{f.path}{cell}:{f.line}" if f.line is not None else f.path


def _answer(ctx: ProbeContext, area: str, extra: Callable[[Survey, list[Finding], list[str]], dict[str, Any]],
            nothing: str) -> ProbeResult:
    s = survey(ctx)
    mine = [f for f in s.findings if f.area == area]
    counted = [f for f in mine if _counts(f, area)]
    others = [f for f in mine if not _counts(f, area)]
    tools = sorted({f.tool for f in counted})
    firsts = _first_per_file(counted)
    evidence = [Evidence(path=f.path, line=f.line, cell=f.cell,
                         detail=f"{f.tool}: {f.detail}" + (" (in tests)" if f.where == TEST else ""))
                for f in firsts[:MAX_EVIDENCE]]
    seen = {f.tool for f in mine}
    values: dict[str, Any] = {
        "tools": tools,
        "findings": len(firsts),
        "tests": sorted({f.tool for f in others if f.where == TEST} - set(tools)),
        "examples": sorted({f.tool for f in others if f.where == EXAMPLE} - set(tools)),
        "integrations": sorted({f.tool for f in others if f.where == INTEGRATION}),
        "declared": sorted({t.name for t in TOOLS if t.area == area and t.name not in seen
                            and any(normalise(p) in s.declared for p in t.pip)}),
        "not_counted": [f"{_loc(f)} {f.tool} ({f.where})" for f in _first_per_file(others)[:MAX_LISTED]],
    }
    values.update(extra(s, counted, tools))
    if counted:
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    return ProbeResult(outcome=Outcome.false, values=values, message=nothing)


@probe("tracking.experiments", outcomes={Outcome.true, Outcome.false})
@_documented("tracking")
def tracking_experiments(ctx: ProbeContext) -> ProbeResult:
    """Does the project log its experiments to a tracking tool?

    True when project code calls a tracker (mlflow `log_*`/`start_run`/`autolog`/
    `set_tracking_uri`, `wandb.*`, a TensorBoard `SummaryWriter`, `tf.summary`, the Keras
    `TensorBoard` callback, a Lightning/Ray/Keras logger or callback for one of them, Hugging Face
    `TrainingArguments(report_to=...)`) or runs one from CI. Tools: {tools}.
    {rule} Lightning's `loggers/mlflow.py` is an integration, not Lightning tracking its runs.
    Evidence: the first use of each tool in each file.
    Values: `tools`, `findings` (files x tools), `tests`/`examples`/`integrations` (tools seen only
    there), `declared` (in requirements but never used), `not_counted` (where those were seen).
    """
    return _answer(ctx, "tracking", lambda s, counted, tools: {}, "no experiment tracking found in project code")


@probe("config.managed", outcomes={Outcome.true, Outcome.false})
@_documented("config")
def config_managed(ctx: ProbeContext) -> ProbeResult:
    """Is configuration kept in config files or a config library rather than in code?

    True when project code uses a configuration tool (`@hydra.main`/`compose`, OmegaConf, gin,
    pydantic `BaseSettings`, ml_collections, jsonargparse/`LightningCLI`, tyro, simple_parsing),
    when dvc stages declare `params:` (read from params.yaml), or when code loads a config file:
    a YAML/TOML/JSON/INI load (or nanoGPT-style `exec(open(...).read())`) whose argument, or the
    `open()` on the same line or a few lines above, names a config file (config, conf, cfg,
    settings, params, hparams in the path; for YAML/TOML/INI and exec also in the variable
    holding it); a helper that loads the file its caller names counts where it is called with
    a config path. Tools: {tools}.
    {rule}
    Values: as for tracking.experiments, plus `config_files`: committed files the code or dvc
    stages are seen loading (hydra's config_path/config_name, literal paths, dvc params files).
    """
    return _answer(ctx, "config", lambda s, counted, tools: {"config_files": sorted(s.config_files)[:MAX_LISTED]},
                   "no configuration tool or loaded config file found in project code")


@probe("data.validation", outcomes={Outcome.true, Outcome.false})
@_documented("validation")
def data_validation(ctx: ProbeContext) -> ProbeResult:
    """Is input data checked against a schema or expectations?

    True when project or test code uses a data-validation tool: Great Expectations (calls, or
    `expect_*` checks, or an expectation suite JSON), pandera schemas and `check_types`, TFDV or
    TFX SchemaGen/ExampleValidator (or a `schema.pbtxt`), deepchecks, evidently, whylogs, soda
    (`checks for` YAML, `soda scan`), pydeequ, cerberus, jsonschema, or a pydantic model that
    validates records (`Row.model_validate(r)`, `Row.parse_obj(r)`, `Row(**r)`; config-like model
    names excluded). A pydantic model in a FastAPI/Flask module validates API requests: it counts,
    labelled serving side. Tests count here: a data test is how the check runs. Tools: {tools}.
    {rule}
    Values: as for tracking.experiments, plus `schemas`: where expectations are written down
    (schema definitions, model classes, suite files, `expect_*` checks) for ML Test Score Data 1
    and Monitor 2, and `serving_side`: true when the only validation is of API requests.
    """
    def extra(s: Survey, counted: list[Finding], tools: list[str]) -> dict[str, Any]:
        return {"schemas": sorted(set(s.schemas))[:MAX_LISTED],
                "serving_side": bool(counted) and all(f.kind == "serving" for f in counted)}
    return _answer(ctx, "validation", extra, "no data validation found in project or test code")


@probe("monitoring.present", outcomes={Outcome.true, Outcome.false})
@_documented("monitoring")
def monitoring_present(ctx: ProbeContext) -> ProbeResult:
    """Is the model or its data monitored in production (drift, metrics, dashboards, alerts)?

    True when project code uses a drift or model-quality monitor (evidently, whylogs, nannyml,
    alibi-detect, deepchecks drift checks, arize, fiddler), exports Prometheus metrics
    (prometheus_client Counter/Histogram/Gauge, prometheus-fastapi-instrumentator...), or the
    repository holds a Prometheus scrape config, Grafana dashboard JSON, Prometheus alerting rules
    (`alert:`) or an Alertmanager config. Tools: {tools}.
    {rule}
    Values: as for tracking.experiments, plus `kinds`: drift, metrics, dashboards, alerting
    (ML Test Score Monitor 2 and 4-7 read it).
    """
    return _answer(ctx, "monitoring", lambda s, counted, tools: {"kinds": sorted({f.kind for f in counted if f.kind})},
                   "no monitoring found in project code or configuration")


@probe("pipeline.orchestrated", outcomes={Outcome.true, Outcome.false})
@_documented("pipeline")
def pipeline_orchestrated(ctx: ProbeContext) -> ProbeResult:
    """Are the ML pipeline's steps defined for an orchestrator?

    True when dvc.yaml defines `stages:`, project code defines an Airflow DAG, Prefect flow,
    Dagster assets/jobs, Kedro pipeline nodes, ZenML pipeline, Metaflow FlowSpec, Kubeflow (kfp)
    pipeline, TFX pipeline, SageMaker or Vertex pipeline, Luigi tasks, Flyte workflow or Ray
    workflow, a Snakefile has rules, or CI runs `dvc repro`, `kedro run` or `snakemake`.
    Tools: {tools}.
    {rule}
    Values: as for tracking.experiments, plus `stages`: the number of steps (dvc stages, tasks,
    ops, nodes, steps, Snakemake rules) when they can be counted, else null (ML Test Score Infra 3).
    """
    def extra(s: Survey, counted: list[Finding], tools: list[str]) -> dict[str, Any]:
        countable = [t for t in tools if any(x.stages for x in TOOLS if x.name == t and x.area == "pipeline")
                     or t in ("dvc", "snakemake")]
        return {"stages": sum(s.stages.get(t, 0) for t in countable) if countable else None}
    return _answer(ctx, "pipeline", extra, "no orchestrated pipeline found")


@probe("serving.present", outcomes={Outcome.true, Outcome.false})
@_documented("serving")
def serving_present(ctx: ProbeContext) -> ProbeResult:
    """Does the repository serve a trained model or register it in a model registry?

    True for HTTP routes (FastAPI, Flask, Starlette) in a module that loads a model (torch.load,
    joblib/pickle.load, mlflow `load_model`, keras `load_model`, `from_pretrained`,
    `from_checkpoint`, onnxruntime `InferenceSession`, ...) or imports a project module that does;
    a model server's code or config (BentoML services and bentofile.yaml, TorchServe handlers,
    .mar archives and config.properties, KServe `InferenceService` and Seldon manifests or
    `kserve.Model` subclasses, Triton `config.pbtxt` or client, TF Serving, `mlflow models serve`,
    Ray Serve deployments, LitServe); Gradio or Streamlit apps that load a model (labelled demo);
    and model registries (mlflow `register_model` and registry client calls, W&B `link_artifact`,
    SageMaker model packages, Vertex `Model.upload`). Tools: {tools}.
    {rule}
    Values: as for tracking.experiments, plus `registry` (registries used), `endpoints` (HTTP
    routes in model-serving modules) and `demos` (demo-app tools); ML Test Score Infra 6/7.
    """
    def extra(s: Survey, counted: list[Finding], tools: list[str]) -> dict[str, Any]:
        return {"registry": sorted({f.tool for f in counted if f.kind == "registry"}),
                "endpoints": sum(1 for f in counted if f.kind == "endpoint"),
                "demos": sorted({f.tool for f in counted if f.kind == "demo"})}
    return _answer(ctx, "serving", extra, "no model serving or model registry found in project code")
