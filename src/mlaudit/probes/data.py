"""Data versioning (Sculley §3 unstable data dependencies, §8 reproducibility debt)."""

from __future__ import annotations

from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe

DATA_SUFFIXES = frozenset({
    ".csv", ".tsv", ".parquet", ".feather", ".arrow", ".avro", ".orc", ".h5", ".hdf5", ".hdf",
    ".pkl", ".pickle", ".joblib", ".npy", ".npz", ".xlsx", ".xls", ".jsonl", ".ndjson", ".tfrecord",
    ".pt", ".pth", ".ckpt", ".onnx", ".safetensors", ".sav", ".zip", ".tar", ".gz", ".bz2", ".xz",
})


def data_files(ctx: ProbeContext) -> list:
    return [f for f in ctx.repo.files if not f.is_symlink and f.suffix in DATA_SUFFIXES]


@probe("data.versioning", outcomes={Outcome.true, Outcome.false})
def data_versioning(ctx: ProbeContext) -> ProbeResult:
    """Is data put under version control with a data-versioning tool?

    DVC counts when `dvc.yaml`, `dvc.lock`, `*.dvc` pointer files or `.dvc/config` are
    committed; git-lfs when `.gitattributes` routes files through `filter=lfs`. When neither is
    found, the evidence lists data and model files committed as plain git blobs.
    Values: `tools` found.
    """
    evidence: list[Evidence] = []
    tools: set[str] = set()
    for f in ctx.files("dvc.yaml", "dvc.lock", "*.dvc", ".dvc/config"):
        tools.add("dvc")
        evidence.append(Evidence(path=f.path, detail="DVC metadata"))
    for f in ctx.files(".gitattributes"):
        text = ctx.store.text(f) or ""
        for n, line in enumerate(text.splitlines(), start=1):
            if "filter=lfs" in line and not line.lstrip().startswith("#"):
                tools.add("git-lfs")
                evidence.append(Evidence(path=f.path, line=n, detail=f"git-lfs tracks {line.split()[0]}"))
    values = {"tools": sorted(tools)}
    if tools:
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values)
    committed = data_files(ctx)
    return ProbeResult(
        outcome=Outcome.false, values=values, message="no data-versioning tool found",
        evidence=[Evidence(path=f.path, detail=f"{f.size:,}-byte data file committed to git without versioning")
                  for f in committed[:20]],
    )
