"""The six component probes: outcomes and values the fixture annotations cannot express
(JSON files, integration modules, counts, false answers)."""

from __future__ import annotations

import json

from conftest import notebook

from mlaudit.probes.model import Outcome
from mlaudit.probes.registry import all_probes
from mlaudit.scan import ScanOptions, run_probes

COMPONENT_PROBES = ["tracking.experiments", "config.managed", "data.validation", "monitoring.present",
                    "pipeline.orchestrated", "serving.present"]


def probe(repo, probe_id):
    _, results = run_probes(repo, ScanOptions(use_cache=False), [probe_id])
    return results[probe_id]


def where(result):
    return [(e.path, e.line, e.cell) for e in result.evidence]


MLFLOW_LOGGER = (
    "import mlflow\n\n\n"
    "class MLFlowLogger:\n"
    "    def __init__(self, experiment):\n"
    "        mlflow.set_experiment(experiment)\n\n"
    "    def log_metrics(self, metrics):\n"
    "        mlflow.log_metrics(metrics)\n"
)


# -- tracking.experiments ---------------------------------------------------------------------
def test_a_library_offering_a_logger_does_not_track_its_own_experiments(repo_factory):
    repo = repo_factory({
        "mylib/loggers/mlflow.py": MLFLOW_LOGGER,
        # the library's trainer builds the logger for its users: still the integration
        "mylib/trainer.py": ("from mylib.loggers.mlflow import MLFlowLogger\n\n\n"
                             "class Trainer:\n    def __init__(self):\n"
                             "        self.logger = MLFlowLogger('default')\n"),
        "tests/test_mlflow.py": "import mlflow\n\ndef test_it():\n    mlflow.log_metric('x', 1)\n",
        "requirements.txt": "torch\nwandb>=0.15  # for users who want it\n",
    })
    r = probe(repo, "tracking.experiments")
    assert r.outcome is Outcome.false
    assert r.evidence == []
    assert r.values["tools"] == []
    assert r.values["integrations"] == ["mlflow"]
    assert r.values["tests"] == ["mlflow"]
    assert r.values["declared"] == ["wandb"]
    assert r.values["not_counted"] == ["mylib/loggers/mlflow.py:6 mlflow (integration)",
                                       "mylib/trainer.py:6 mlflow (integration)",
                                       "tests/test_mlflow.py:4 mlflow (test)"]


def test_an_integration_the_projects_own_script_calls_is_real_use(repo_factory):
    repo = repo_factory({
        "mylib/loggers/mlflow.py": MLFLOW_LOGGER,
        "train.py": ("from mylib.loggers.mlflow import MLFlowLogger\n\n\n"
                     "def main():\n    MLFlowLogger('exp').log_metrics({'loss': 0.1})\n\n\n"
                     "if __name__ == '__main__':\n    main()\n"),
    })
    r = probe(repo, "tracking.experiments")
    assert r.outcome is Outcome.true
    assert r.values["tools"] == ["mlflow"] and r.values["integrations"] == []
    assert where(r) == [("mylib/loggers/mlflow.py", 6, None), ("train.py", 5, None)]


def test_tracking_evidence_is_one_per_tool_and_file_and_capped(repo_factory):
    files = {f"runs/exp_{i:02}.py": "import wandb\nwandb.init()\nwandb.log({'a': 1})\n" for i in range(35)}
    files["nb.ipynb"] = notebook([("code", "import mlflow\n", 1), ("code", "x = 1\nmlflow.autolog()\n", 2)])
    r = probe(repo_factory(files), "tracking.experiments")
    assert r.outcome is Outcome.true
    assert r.values["findings"] == 36
    assert len(r.evidence) == 30
    assert all(e.line == 2 for e in r.evidence)
    nb = probe(repo_factory({"nb.ipynb": files["nb.ipynb"]}), "tracking.experiments")
    assert where(nb) == [("nb.ipynb", 2, 1)]
    assert nb.evidence[0].detail == "mlflow: calls mlflow.autolog"


def test_no_tracking_when_only_imported_or_mentioned(repo_factory):
    repo = repo_factory({
        "train.py": "import mlflow  # noqa\nimport wandb\n# wandb.init()\nprint('wandb.log(x)')\n",
        "README.md": "We log with `mlflow.log_metric`.\n",
    })
    r = probe(repo, "tracking.experiments")
    assert r.outcome is Outcome.false
    assert r.message == "no experiment tracking found in project code"
    assert r.values["tools"] == [] and r.values["not_counted"] == []


# -- config.managed ---------------------------------------------------------------------------
def test_config_files_lists_what_code_and_dvc_stages_load(repo_factory):
    repo = repo_factory({
        "src/train.py": ("import hydra\n\n\n@hydra.main(config_path='../conf', config_name='train')\n"
                         "def main(cfg):\n    pass\n"),
        "conf/train.yaml": "lr: 0.1\n",
        "dvc.yaml": "stages:\n  fit:\n    cmd: python fit.py\n    params:\n      - custom.yaml:\n          - fit.lr\n",
        "custom.yaml": "fit:\n  lr: 0.1\n",
        "settings.py": "import tomllib\n\nwith open('settings.toml', 'rb') as f:\n    SETTINGS = tomllib.load(f)\n",
        "settings.toml": "debug = false\n",
    })
    r = probe(repo, "config.managed")
    assert r.outcome is Outcome.true
    assert r.values["tools"] == ["dvc", "hydra", "toml"]
    assert r.values["config_files"] == ["conf/train.yaml", "custom.yaml", "settings.toml"]
    assert where(r) == [("dvc.yaml", 4, None), ("settings.py", 4, None), ("src/train.py", 4, None)]
    assert r.evidence[0].detail == "dvc: dvc stage fit reads parameters from custom.yaml"


def test_config_false_for_constants_in_code(repo_factory):
    repo = repo_factory({"config.py": "LR = 0.1\nEPOCHS = 3\n", "train.py": "from config import LR\nprint(LR)\n"})
    r = probe(repo, "config.managed")
    assert r.outcome is Outcome.false
    assert r.values["config_files"] == []


# -- data.validation --------------------------------------------------------------------------
def test_an_expectation_suite_json_is_data_validation(repo_factory):
    suite = {"expectation_suite_name": "orders", "expectations": [
        {"expectation_type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}]}
    repo = repo_factory({"great_expectations/expectations/orders.json": json.dumps(suite, indent=2),
                         "great_expectations/great_expectations.yml": "config_version: 3\n"})
    r = probe(repo, "data.validation")
    assert r.outcome is Outcome.true
    assert r.values["tools"] == ["great_expectations"]
    assert where(r) == [("great_expectations/expectations/orders.json", 2, None)]
    assert r.values["schemas"] == ["great_expectations/expectations/orders.json:2"]


def test_request_models_alone_are_serving_side_validation(repo_factory):
    repo = repo_factory({"app.py": (
        "import pickle\nfrom fastapi import FastAPI\nfrom pydantic import BaseModel\n\n"
        "app = FastAPI()\nmodel = pickle.load(open('m.pkl', 'rb'))\n\n\n"
        "class Features(BaseModel):\n    age: int\n\n\n"
        "@app.post('/predict')\ndef predict(f: Features):\n    return model.predict([[f.age]])\n")})
    r = probe(repo, "data.validation")
    assert r.outcome is Outcome.true
    assert r.values["tools"] == ["pydantic"] and r.values["serving_side"] is True
    assert r.evidence[0].detail == "pydantic: pydantic model Features validates API requests (serving side)"
    assert r.values["schemas"] == ["app.py:9"]


def test_no_validation_when_only_declared(repo_factory):
    repo = repo_factory({"requirements.txt": "pandera==0.18\ngreat-expectations\n", "train.py": "import pandas\n"})
    r = probe(repo, "data.validation")
    assert r.outcome is Outcome.false
    assert r.values["declared"] == ["great_expectations", "pandera"]
    assert r.values["schemas"] == [] and r.values["serving_side"] is False


# -- monitoring.present -----------------------------------------------------------------------
def test_a_grafana_dashboard_is_monitoring(repo_factory):
    dashboard = {"title": "Model", "panels": [{"type": "timeseries", "title": "p95 latency"}]}
    repo = repo_factory({"ops/grafana/model.json": json.dumps(dashboard, indent=2),
                         "ops/grafana/datasources.json": json.dumps({"datasources": []})})
    r = probe(repo, "monitoring.present")
    assert r.outcome is Outcome.true
    assert r.values["kinds"] == ["dashboards"]
    assert where(r) == [("ops/grafana/model.json", 3, None)]


def test_monitoring_in_examples_only_does_not_count(repo_factory):
    repo = repo_factory({"examples/monitor.py": "from evidently.report import Report\nReport(metrics=[])\n"})
    r = probe(repo, "monitoring.present")
    assert r.outcome is Outcome.false
    assert r.values["examples"] == ["evidently"] and r.values["kinds"] == []


# -- pipeline.orchestrated --------------------------------------------------------------------
def test_stages_are_null_when_the_orchestrator_has_none_to_count(repo_factory):
    repo = repo_factory({"wf.py": "import ray\nfrom ray import workflow\n\nworkflow.run(dag)\n"})
    r = probe(repo, "pipeline.orchestrated")
    assert r.outcome is Outcome.true
    assert r.values["tools"] == ["ray-workflows"] and r.values["stages"] is None


def test_kedro_nodes_and_metaflow_steps_are_counted(repo_factory):
    repo = repo_factory({
        "src/pkg/pipelines/train/pipeline.py": (
            "from kedro.pipeline import node, pipeline\n\n\n"
            "def create_pipeline():\n    return pipeline([node(f, 'a', 'b'), node(g, 'b', 'c')])\n"),
        "flow.py": ("from metaflow import FlowSpec, step\n\n\nclass Train(FlowSpec):\n"
                    "    @step\n    def start(self):\n        self.next(self.end)\n\n"
                    "    @step\n    def end(self):\n        pass\n"),
    })
    r = probe(repo, "pipeline.orchestrated")
    assert r.values["tools"] == ["kedro", "metaflow"]
    assert r.values["stages"] == 4
    assert where(r) == [("flow.py", 4, None), ("src/pkg/pipelines/train/pipeline.py", 5, None)]


def test_no_pipeline_in_a_notebook_collection(repo_factory):
    repo = repo_factory({"a.ipynb": notebook([("code", "import pandas as pd\ndf = pd.read_csv('x.csv')\n", 1)])})
    r = probe(repo, "pipeline.orchestrated")
    assert r.outcome is Outcome.false
    assert r.message == "no orchestrated pipeline found" and r.values["stages"] is None


# -- serving.present --------------------------------------------------------------------------
def test_serving_counts_endpoints_and_registries(repo_factory):
    repo = repo_factory({
        "serve.py": ("import torch\nfrom fastapi import FastAPI\n\napp = FastAPI()\nmodel = torch.load('m.pt')\n\n\n"
                     "@app.get('/')\ndef index():\n    return {}\n\n\n@app.post('/predict')\ndef predict(x: list):\n"
                     "    return model(x)\n\n\n@app.post('/explain')\ndef explain(x: list):\n    return {}\n"),
        "register.py": "import wandb\n\nrun = wandb.init()\nrun.link_artifact('model:latest', 'registry/churn')\n",
        "model_store/churn.mar": b"PK\x03\x04binary",
    })
    r = probe(repo, "serving.present")
    assert r.outcome is Outcome.true
    assert r.values["tools"] == ["fastapi", "torchserve", "wandb"]
    assert r.values["registry"] == ["wandb"]
    assert r.values["endpoints"] == 3
    assert where(r) == [("model_store/churn.mar", None, None), ("register.py", 4, None), ("serve.py", 8, None)]


def test_serving_false_for_a_training_only_project(repo_factory):
    repo = repo_factory({"train.py": "import joblib\nmodel = joblib.load('m.joblib')\nprint(model)\n"})
    r = probe(repo, "serving.present")
    assert r.outcome is Outcome.false
    assert r.values["endpoints"] == 0 and r.values["registry"] == [] and r.values["demos"] == []


# -- all six ------------------------------------------------------------------------------------
def test_all_six_answer_false_on_an_empty_project(repo_factory):
    repo = repo_factory({"README.md": "Uses mlflow, hydra, pandera, evidently, airflow and bentoml.\n"})
    _, results = run_probes(repo, ScanOptions(use_cache=False), COMPONENT_PROBES)
    for pid in COMPONENT_PROBES:
        assert results[pid].outcome is Outcome.false, pid
        assert results[pid].values["tools"] == [], pid


def test_docs_list_the_tools_of_the_table():
    specs = all_probes()
    tracking = specs["tracking.experiments"].doc
    assert "{tools}" not in tracking and "mlflow" in tracking and "dvclive" in tracking
    assert specs["serving.present"].question == (
        "Does the repository serve a trained model or register it in a model registry?")
    for pid in COMPONENT_PROBES:
        assert "Values:" in specs[pid].doc
