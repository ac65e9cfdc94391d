"""An Azure ML training pipeline, as MLOpsPython builds one: steps run in the cloud, defined here."""
from azureml.core import Run, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
train = PythonScriptStep(name="train", script_name="train.py")  # mlaudit-ok: pipeline.orchestrated
pipeline = Pipeline(workspace=ws, steps=[train])  # mlaudit-expect: pipeline.orchestrated

run = Run.get_context()
run.log("mse", 0.1)  # mlaudit-expect: tracking.experiments
