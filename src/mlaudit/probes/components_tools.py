"""The one table of MLOps tools and how each is recognised; the component probes read only this.

A row names the probe area it answers, the tool, and its signs of real use:

- `api`: globs over resolved dotted names of calls, decorators and base classes ("()" of call
  results dropped, so `wandb.init().log` is `wandb.init.log`). A glob starting with "*." also
  matches names whose head is a local variable (`df.expect_column_values_to_be_unique`); any other
  glob matches only names whose head came from an import, so a variable called `mlflow` is not mlflow;
  a glob without a dot names a builtin (`exec`).
- `files` + `contains`: a file the tool reads (glob on the path, or on the name when the glob has
  no "/"), counted when its text matches `contains` (a multi-line regex), if given.
- `command`: a regex for a shell command that runs the tool, looked for in CI workflows,
  Makefiles, shell scripts, Dockerfiles and Procfiles.
- `stages`: globs (as for `api`) each match of which is one pipeline step.
- `loads`: the tool is a generic file format (YAML, JSON...): a call counts only when its
  argument, or an `open()` on the same line or just above, names a config file with one of
  these extensions; `by_name` says whether a variable named like a config path counts too.
- `manifests`: a Kubernetes manifest (any YAML file whose path says it deploys something)
  matching `contains` is a file the tool reads.
- `needs_model`: counts only in a module that loads a trained model (serving frameworks).
- `kind`: the tool's kind of monitoring, or "endpoint"/"registry"/"demo" for serving.
- `pip`: distribution names whose presence in a requirements file is reported as `declared`.
- `words`: lower-case words that name the tool in an integration module or class (default: from
  `name`): lightning's `LightningArgumentParser` wraps jsonargparse.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Tool(NamedTuple):
    area: str  # tracking | config | validation | monitoring | pipeline | serving
    name: str
    api: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    contains: str | None = None
    command: str | None = None
    stages: tuple[str, ...] = ()
    loads: tuple[str, ...] = ()
    by_name: bool = True
    needs_model: bool = False
    manifests: bool = False  # Kubernetes manifests: YAML files whose path says they deploy something
    kind: str = ""
    pip: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Lower-case words that name the tool in a module or class name ("MLFlowLogger", "comet.py")."""
        return self.words or (self.name.split("-")[0].replace("_", "").lower(),)


_HTTP = ("get", "post", "put", "patch", "delete", "route", "api_route", "websocket")


def _routes(*apps: str) -> tuple[str, ...]:
    return tuple(f"{app}.{verb}" for app in apps for verb in _HTTP)


T = Tool
TOOLS: tuple[Tool, ...] = (
    # -- experiment tracking ------------------------------------------------------------------
    T("tracking", "mlflow", api=("mlflow.log_*", "mlflow.*.log_model", "mlflow.start_run", "mlflow.end_run", "mlflow.autolog", "mlflow.*.autolog", "mlflow.set_experiment", "mlflow.create_experiment", "mlflow.set_tracking_uri", "mlflow.set_tag*", "mlflow.search_runs", "mlflow.get_run", "mlflow.active_run", "mlflow.MlflowClient*", "mlflow.tracking.MlflowClient*", "*.MLFlowLogger", "*.MLflowLoggerCallback", "*.MLflowCallback", "ray.air.integrations.mlflow.*", "ray.tune.integration.mlflow.*"), pip=("mlflow", "mlflow-skinny")),
    T("tracking", "wandb", api=("wandb.*", "*.WandbLogger", "*.WandbCallback", "*.WandbLoggerCallback", "*.WandbMetricsLogger"), command=r"\bwandb\s+(?:sweep|agent)\b", pip=("wandb",)),
    T("tracking", "tensorboard", api=("torch.utils.tensorboard.SummaryWriter*", "tensorboardX.SummaryWriter*", "tensorflow.summary.*", "tensorflow.compat.v1.summary.*", "*.callbacks.TensorBoard", "*.TensorBoardLogger", "*.TensorBoardCallback"), pip=("tensorboard", "tensorboardx")),
    T("tracking", "azureml", api=("azureml.core.Run.get_context.log*", "azureml.core.run.Run.get_context.log*", "azureml.core.Experiment.start_logging", "azureml.core.Experiment.submit", "azureml.core.experiment.Experiment.submit"), words=("azureml",), pip=("azureml-core", "azureml-sdk")),
    T("tracking", "neptune", api=("neptune.*", "*.NeptuneLogger", "*.NeptuneCallback"), pip=("neptune", "neptune-client")),
    T("tracking", "comet_ml", api=("comet_ml.*", "*.CometLogger", "*.CometCallback"), words=("comet",), pip=("comet-ml",)),
    T("tracking", "aim", api=("aim.*", "*.AimLogger", "*.AimCallback"), pip=("aim",)),
    T("tracking", "clearml", api=("clearml.*", "*.ClearMLCallback"), pip=("clearml",)),
    T("tracking", "dvclive", api=("dvclive.*", "*.DVCLiveLogger", "*.DvcLiveCallback", "*.DVCLiveCallback"), pip=("dvclive",)),
    T("tracking", "sacred", api=("sacred.*",), pip=("sacred",)),
    T("tracking", "guild", files=("guild.yml",), command=r"\bguild\s+run\b", pip=("guildai",)),
    # -- managed configuration ----------------------------------------------------------------
    T("config", "hydra", api=("hydra.main", "hydra.compose", "hydra.initialize*", "hydra.utils.instantiate", "hydra.utils.call", "hydra.experimental.*"), pip=("hydra-core",)),
    T("config", "omegaconf", api=("omegaconf.OmegaConf.load", "omegaconf.OmegaConf.from_cli", "omegaconf.OmegaConf.from_dotlist", "omegaconf.OmegaConf.structured"), pip=("omegaconf",)),
    T("config", "gin", api=("gin.*",), pip=("gin-config",)),
    T("config", "pydantic-settings", api=("pydantic_settings.BaseSettings", "pydantic.BaseSettings", "pydantic.v1.BaseSettings"), pip=("pydantic-settings",)),
    T("config", "ml_collections", api=("ml_collections.*",), pip=("ml-collections",)),
    T("config", "jsonargparse", api=("jsonargparse.ArgumentParser", "jsonargparse.CLI", "jsonargparse.auto_cli", "jsonargparse.ActionConfigFile", "*.LightningCLI"), words=("jsonargparse", "argumentparser"), pip=("jsonargparse",)),
    T("config", "tyro", api=("tyro.*",), pip=("tyro",)),
    T("config", "simple_parsing", api=("simple_parsing.*",), pip=("simple-parsing",)),
    T("config", "yaml", api=("yaml.safe_load", "yaml.load", "yaml.full_load", "yaml.unsafe_load", "yaml.safe_load_all", "ruamel.yaml.YAML.load"), loads=("yaml", "yml")),
    T("config", "toml", api=("tomllib.load", "tomli.load", "toml.load", "tomlkit.load"), loads=("toml",)),
    T("config", "json", api=("json.load",), loads=("json",), by_name=False),
    T("config", "ini", api=("configparser.ConfigParser.read", "configparser.RawConfigParser.read"), loads=("ini", "cfg")),
    T("config", "exec-config", api=("exec",), loads=("py",)),
    # -- data validation ----------------------------------------------------------------------
    T("validation", "great_expectations", api=("great_expectations.*", "*.expect_column_*", "*.expect_table_*", "*.expect_compound_columns_*", "*.expect_multicolumn_*"), files=("*/expectations/*.json", "expectations/*.json"), contains=r'"expectation_type"|"expectation_suite_name"', command=r"\bgreat_expectations\s+checkpoint\s+run\b", words=("greatexpectations", "expectation"), pip=("great-expectations",)),
    T("validation", "pandera", api=("pandera.*",), pip=("pandera",)),
    T("validation", "tfdv", api=("tensorflow_data_validation.*",), files=("schema.pbtxt",), contains=r"(?m)^[ \t]*feature\s*\{", pip=("tensorflow-data-validation",)),
    T("validation", "tfx", api=("tfx.*.ExampleValidator", "tfx.*.SchemaGen", "tfx.*.ImportSchemaGen"), pip=()),
    T("validation", "deepchecks", api=("deepchecks.*",), pip=("deepchecks",)),
    T("validation", "evidently", api=("evidently.*",), pip=("evidently",)),
    T("validation", "whylogs", api=("whylogs.*",), pip=("whylogs",)),
    T("validation", "soda", api=("soda.scan.*",), files=("*checks*.yml", "*checks*.yaml", "*/soda/*.yml", "soda/*.yml", "*/soda/*.yaml", "soda/*.yaml"), contains=r"(?m)^checks for \S", command=r"\bsoda\s+scan\b", pip=("soda-core",)),
    T("validation", "pydeequ", api=("pydeequ.*",), pip=("pydeequ",)),
    T("validation", "cerberus", api=("cerberus.Validator*",), pip=("cerberus",)),
    T("validation", "jsonschema", api=("jsonschema.validate", "jsonschema.*Validator*"), pip=("jsonschema",)),
    # -- monitoring -----------------------------------------------------------------------------
    T("monitoring", "evidently", api=("evidently.*",), kind="drift", pip=("evidently",)),
    T("monitoring", "whylogs", api=("whylogs.*",), kind="drift", pip=("whylogs",)),
    T("monitoring", "nannyml", api=("nannyml.*",), kind="drift", pip=("nannyml",)),
    T("monitoring", "alibi-detect", api=("alibi_detect.*",), kind="drift", words=("alibi",), pip=("alibi-detect",)),
    T("monitoring", "deepchecks", api=("deepchecks.*Drift*", "deepchecks.*.train_test_validation"), kind="drift", pip=()),
    T("monitoring", "arize", api=("arize.*",), kind="drift", pip=("arize",)),
    T("monitoring", "fiddler", api=("fiddler.*",), kind="drift", pip=("fiddler-client",)),
    T("monitoring", "prometheus", api=("prometheus_client.*", "prometheus_fastapi_instrumentator.*", "prometheus_flask_exporter.*", "starlette_exporter.*"), files=("prometheus.yml", "prometheus.yaml"), contains=r"(?m)^scrape_configs:", kind="metrics", pip=("prometheus-client", "prometheus-fastapi-instrumentator", "prometheus-flask-exporter")),
    T("monitoring", "grafana", files=("*grafana*/*.json", "*dashboards*/*.json", "*dashboard*.json"), contains=r'"panels"\s*:', kind="dashboards"),
    T("monitoring", "prometheus-alerts", files=("*rules*.yml", "*rules*.yaml", "*alert*.yml", "*alert*.yaml"), contains=r"(?m)^[ \t]*-?[ \t]*alert:[ \t]*\S", kind="alerting", words=("alert",)),
    T("monitoring", "alertmanager", files=("alertmanager.yml", "alertmanager.yaml"), contains=r"(?m)^(?:route|receivers):", kind="alerting"),
    # -- pipeline orchestration ----------------------------------------------------------------
    T("pipeline", "dvc", command=r"\bdvc\s+(?:repro|exp\s+run)\b", pip=("dvc",)),
    T("pipeline", "airflow", api=("airflow.DAG", "airflow.models.DAG", "airflow.models.dag.DAG", "airflow.decorators.dag", "airflow.decorators.task", "airflow.sdk.*", "airflow.operators.*", "airflow.providers.*Operator"), stages=("airflow.decorators.task", "airflow.sdk.task", "airflow.operators.*", "airflow.providers.*Operator"), pip=("apache-airflow",)),
    T("pipeline", "prefect", api=("prefect.flow", "prefect.task"), stages=("prefect.task",), pip=("prefect",)),
    T("pipeline", "dagster", api=("dagster.asset", "dagster.multi_asset", "dagster.job", "dagster.op", "dagster.graph", "dagster.Definitions", "dagster.define_asset_job"), stages=("dagster.asset", "dagster.multi_asset", "dagster.op"), pip=("dagster",)),
    T("pipeline", "kedro", api=("kedro.pipeline.node", "kedro.pipeline.Pipeline", "kedro.pipeline.pipeline", "kedro.pipeline.modular_pipeline.pipeline"), stages=("kedro.pipeline.node",), command=r"\bkedro\s+run\b", pip=("kedro",)),
    T("pipeline", "zenml", api=("zenml.pipeline", "zenml.step", "zenml.pipelines.pipeline", "zenml.steps.step"), stages=("zenml.step", "zenml.steps.step"), pip=("zenml",)),
    T("pipeline", "metaflow", api=("metaflow.FlowSpec", "metaflow.step"), stages=("metaflow.step",), pip=("metaflow",)),
    T("pipeline", "kubeflow", api=("kfp.dsl.pipeline", "kfp.dsl.component", "kfp.dsl.ContainerOp", "kfp.v2.dsl.*", "kfp.compiler.Compiler*", "kfp.components.create_component_from_func", "kfp.Client*"), stages=("kfp.dsl.component", "kfp.v2.dsl.component", "kfp.dsl.ContainerOp", "kfp.components.create_component_from_func"), words=("kfp", "kubeflow"), pip=("kfp",)),
    T("pipeline", "tfx", api=("tfx.orchestration.pipeline.Pipeline", "tfx.v1.dsl.Pipeline", "tfx.orchestration.*Runner*", "tfx.v1.orchestration.*"), stages=("tfx.components.*", "tfx.v1.components.*"), pip=("tfx",)),
    T("pipeline", "sagemaker-pipelines", api=("sagemaker.workflow.*",), stages=("sagemaker.workflow.steps.*Step", "sagemaker.workflow.*.ProcessingStep", "sagemaker.workflow.*.TrainingStep"), words=("sagemaker",), pip=()),
    T("pipeline", "azureml-pipelines", api=("azureml.pipeline.core.Pipeline", "azureml.pipeline.core.pipeline.Pipeline", "azure.ai.ml.dsl.pipeline"), stages=("azureml.pipeline.steps.*Step",), words=("azureml",), pip=("azureml-pipeline",)),
    T("pipeline", "vertex-pipelines", api=("google.cloud.aiplatform.PipelineJob*",), words=("vertex",), pip=()),
    T("pipeline", "snakemake", files=("Snakefile", "*.smk"), contains=r"(?m)^rule \w+:", command=r"\bsnakemake\b", pip=("snakemake",)),
    T("pipeline", "luigi", api=("luigi.Task", "luigi.*Task", "luigi.build", "luigi.run"), stages=("luigi.Task", "luigi.*Task"), pip=("luigi",)),
    T("pipeline", "flyte", api=("flytekit.workflow", "flytekit.task", "flytekit.dynamic"), stages=("flytekit.task",), pip=("flytekit",)),
    T("pipeline", "ray-workflows", api=("ray.workflow.*",), words=("workflow",), pip=()),
    # -- serving and model registries ---------------------------------------------------------
    T("serving", "fastapi", api=_routes("fastapi.FastAPI", "fastapi.APIRouter"), needs_model=True, kind="endpoint", pip=("fastapi",)),
    T("serving", "flask", api=_routes("flask.Flask", "flask.Blueprint"), needs_model=True, kind="endpoint", pip=("flask",)),
    T("serving", "starlette", api=("starlette.routing.Route", "starlette.routing.WebSocketRoute") + _routes("starlette.applications.Starlette"), needs_model=True, kind="endpoint", pip=()),
    T("serving", "gradio", api=("gradio.Interface", "gradio.Blocks", "gradio.ChatInterface"), needs_model=True, kind="demo", pip=("gradio",)),
    T("serving", "streamlit", api=("streamlit.*",), needs_model=True, kind="demo", pip=("streamlit",)),
    T("serving", "bentoml", api=("bentoml.*",), files=("bentofile.yaml",), command=r"\bbentoml\s+(?:serve|build|containerize|deploy)\b", pip=("bentoml",)),
    T("serving", "torchserve", files=("*.mar",)),
    T("serving", "torchserve", api=("ts.torch_handler.*",), files=("config.properties",), contains=r"(?m)^[ \t]*(?:inference_address|model_store|load_models)[ \t]*=", command=r"\btorchserve\s+--start\b|\btorch-model-archiver\b", pip=("torchserve",)),
    T("serving", "kserve", api=("kserve.Model", "kserve.model.Model", "kserve.ModelServer*"), manifests=True, contains=r"(?m)^kind:\s*InferenceService\b", pip=("kserve",)),
    T("serving", "seldon", api=("seldon_core.*",), manifests=True, contains=r"(?m)^kind:\s*SeldonDeployment\b", pip=("seldon-core",)),
    T("serving", "triton", api=("tritonclient.*", "triton_python_backend_utils.*"), files=("config.pbtxt",), contains=r"(?m)^[ \t]*(?:platform|backend)[ \t]*:", command=r"\btritonserver\b|nvcr\.io/nvidia/tritonserver", pip=("tritonclient",)),
    T("serving", "tf-serving", api=("tensorflow_serving.*",), command=r"\btensorflow_model_server\b|\btensorflow/serving\b", words=("serving",), pip=("tensorflow-serving-api",)),
    T("serving", "mlflow-serve", command=r"\bmlflow\s+models\s+(?:serve|build-docker)\b", words=("mlflow",), pip=()),
    T("serving", "ray-serve", api=("ray.serve.*",), words=("serve",), pip=()),
    T("serving", "litserve", api=("litserve.*",), pip=("litserve",)),
    T("serving", "mlflow", api=("mlflow.register_model", "mlflow.*MlflowClient.transition_model_version_stage", "mlflow.*MlflowClient.create_registered_model", "mlflow.*MlflowClient.set_registered_model_alias", "mlflow.*MlflowClient.create_model_version"), kind="registry", pip=()),
    T("serving", "wandb", api=("wandb.*.link_artifact", "wandb.*.link_model", "wandb.link_model"), kind="registry", pip=()),
    T("serving", "sagemaker", api=("sagemaker.*.ModelPackage*", "sagemaker.workflow.step_collections.RegisterModel", "sagemaker.*.Model.register"), kind="registry", pip=()),
    T("serving", "azureml", api=("azureml.core.Model.register", "azureml.core.model.Model.register", "azureml.core.Run.get_context.register_model", "azureml.core.run.Run.register_model"), kind="registry", pip=()),
    T("serving", "vertex", api=("google.cloud.aiplatform.Model.upload",), kind="registry", pip=()),
)

# Kubernetes-style manifests are only read when their path says they deploy something.
MANIFEST_PATH = re.compile(r"(?i)k8s|kube|deploy|manifest|kserve|seldon|serv|helm|chart|infra|isvc|inference")

# Calls that load a trained model: a web route in the same module is model serving.
MODEL_LOADERS: tuple[str, ...] = (
    "torch.load", "torch.jit.load", "torch.hub.load", "joblib.load", "pickle.load", "cloudpickle.load", "dill.load",
    "mlflow.*.load_model", "tensorflow.keras.models.load_model", "keras.models.load_model", "keras.saving.load_model",
    "tensorflow.saved_model.load", "tensorflow.lite.Interpreter", "onnxruntime.InferenceSession", "transformers.pipeline",
    "sentence_transformers.SentenceTransformer", "ultralytics.YOLO", "skops.io.load", "bentoml.*.load_model",
    "lightgbm.Booster", "spacy.load", "fasttext.load_model", "*.from_pretrained", "*.load_from_checkpoint",
    "*.from_checkpoint", "*.load_model",
)

# `AutoTokenizer.from_pretrained` loads no model.
NOT_A_MODEL = re.compile(r"(?i)tokeni[sz]er|processor|featureextractor|config")

# Hugging Face `TrainingArguments(report_to="wandb")`: the value names a tracking tool of the table.
REPORT_TO_CALLS = ("transformers.TrainingArguments", "transformers.Seq2SeqTrainingArguments", "*.TrainingArguments",
                   "trl.*Config")

# A path, or a variable holding one, that names a configuration file.
CONFIG_WORD = re.compile(r"(?i)conf|cfg|setting|param|hparam|hyperparam")

PYDANTIC_BASES = ("pydantic.BaseModel", "pydantic.v1.BaseModel", "pydantic.main.BaseModel")
PYDANTIC_VALIDATE = frozenset({"model_validate", "model_validate_json", "parse_obj", "parse_raw", "validate"})
WEB_MODULES = frozenset({"fastapi", "flask", "starlette", "litserve", "bentoml", "sanic", "quart"})

# Folders whose code shows how to use the project rather than being it.
EXAMPLE_DIRS = frozenset({"examples", "example", "docs", "doc", "guides", "tutorials", "tutorial", "benchmarks",
                          "benchmark", "samples"})
