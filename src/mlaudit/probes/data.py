"""Data versioning and large artifacts in git (Sculley §3 unstable data dependencies, §8 reproducibility debt)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from mlaudit.facts.model import Call, Value
from mlaudit.probes.context import ProbeContext
from mlaudit.probes.model import Evidence, Outcome, ProbeResult
from mlaudit.probes.registry import probe
from mlaudit.repository import RepoFile

DATA_SUFFIXES = frozenset({
    ".csv", ".tsv", ".parquet", ".feather", ".arrow", ".avro", ".orc", ".h5", ".hdf5", ".hdf",
    ".pkl", ".pickle", ".joblib", ".npy", ".npz", ".xlsx", ".xls", ".jsonl", ".ndjson", ".tfrecord",
    ".pt", ".pth", ".ckpt", ".onnx", ".safetensors", ".sav", ".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz",
    ".7z", ".rar", ".bin", ".pb", ".tflite", ".keras", ".gguf", ".msgpack", ".mat", ".arff", ".db", ".sqlite",
    ".mdb", ".lmdb", ".caffemodel", ".mlmodel", ".pmml", ".weights",
})
LFS_POINTER_PREFIXES = (b"version https://git-lfs.github.com/spec/v1", b"version https://hawser.github.com/spec/v1")
# A rule for these alone stores pictures and documents in LFS, not data.
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".psd", ".ai", ".pdf", ".mp4", ".mov", ".webm",
                            ".ico", ".ttf", ".otf", ".woff", ".woff2", ".eot", ".mp3", ".wav"})
MAX_POINTER_SIZE = 1024  # the LFS spec keeps pointer files under 1 KiB
MAX_EVIDENCE = 20
MB = 1_000_000


def data_files(ctx: ProbeContext) -> list[RepoFile]:
    return [f for f in ctx.repo.files if not f.is_symlink and f.suffix in DATA_SUFFIXES]


def human_size(n: int) -> str:
    if n >= 1000 * MB:
        return f"{n / (1000 * MB):.1f} GB"
    if n >= MB:
        return f"{n / MB:.1f} MB"
    return f"{n / 1000:.0f} kB" if n >= 1000 else f"{n} bytes"


# -- git-lfs --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LfsRule:
    path: str  # the .gitattributes file
    line: int
    pattern: str
    regex: re.Pattern[str]


def _glob_regex(base: str, pattern: str) -> re.Pattern[str]:
    """gitattributes pattern semantics: no slash matches a name at any depth, else a path from `base`."""
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/")
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape("["))
                i += 1
            else:
                out.append("[" + pattern[i + 1:end].replace("!", "^", 1) + "]")
                i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    prefix = re.escape(base + "/") if base else ""
    body = "".join(out)
    return re.compile(prefix + body + "$" if anchored else prefix + "(?:.*/)?" + body + "$")


def lfs_rules(ctx: ProbeContext) -> list[LfsRule]:
    rules = []
    for f in ctx.files(".gitattributes"):
        base = PurePosixPath(f.path).parent.as_posix()
        base = "" if base == "." else base
        for n, line in enumerate((ctx.store.text(f) or "").splitlines(), start=1):
            fields = line.split()
            if fields and not fields[0].startswith("#") and "filter=lfs" in fields[1:]:
                try:
                    rules.append(LfsRule(f.path, n, fields[0], _glob_regex(base, fields[0])))
                except re.error:
                    continue
    return rules


def lfs_pointers(ctx: ProbeContext) -> list[RepoFile]:
    """Small data-like files whose content is a git-lfs pointer (the real bytes live in LFS)."""
    found = []
    for f in ctx.repo.files:
        if f.is_symlink or f.size > MAX_POINTER_SIZE or f.suffix not in DATA_SUFFIXES:
            continue
        # Read as bytes, not through the text store: most such files are small binary data,
        # and the store would warn that each one is not text.
        try:
            head = ctx.repo.read_bytes(f)[:64]
        except OSError:
            continue
        if head.startswith(LFS_POINTER_PREFIXES):
            found.append(f)
    return found


# -- DVC ------------------------------------------------------------------------------------------
_SECTION = re.compile(r"""^\s*\[\s*'?\s*(\w+)(?:\s+"([^"]+)")?\s*'?\s*\]\s*$""")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def dvc_remotes(text: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Remote names and URL schemes of a .dvc/config; never the URL itself (it may hold credentials)."""
    remotes: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    default = None
    section, name = None, None
    for n, line in enumerate(text.splitlines(), start=1):
        m = _SECTION.match(line)
        if m:
            section, name = m.group(1).lower(), m.group(2)
            if section == "remote" and name:
                remotes.setdefault(name, {"name": name, "scheme": None, "default": False})
                lines[name] = n
            continue
        key, sep, value = line.partition("=")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if section == "core" and key == "remote":
            default = value
        elif section == "remote" and name and key == "url":
            m = _SCHEME.match(value)
            remotes[name]["scheme"] = m.group(1).lower() if m else "local"
    if default in remotes:
        remotes[default]["default"] = True
    return list(remotes.values()), lines


def dvc_pointer(ctx: ProbeContext, f: RepoFile) -> bool:
    """A `.dvc` file is DVC's when it lists outputs with a path (and usually an md5)."""
    doc = ctx.store.yaml(f)
    outs = doc.data.get("outs") if doc is not None and isinstance(doc.data, dict) else None
    return isinstance(outs, list) and any(isinstance(o, dict) and "path" in o for o in outs)


# -- dataset versioning in code -----------------------------------------------------------------
# Dataset-versioning libraries: any call into one of them is a use of the tool.
_TOOL_MODULES = {
    "lakefs": "lakefs", "lakefs_client": "lakefs", "lakefs_sdk": "lakefs", "lakefs_spec": "lakefs",
    "deltalake": "delta-lake", "python_pachyderm": "pachyderm", "pachyderm_sdk": "pachyderm",
    "doltpy": "dolt", "doltcli": "dolt", "quilt3": "quilt", "dvc": "dvc",
}
_MODEL_TYPES = frozenset({"model", "models", "checkpoint", "code", "job", "run_table", "source"})


def _const(v: Value | None) -> Any:
    return v.value if v is not None and v.kind == "const" else None


def _named(v: Value | None) -> bool:
    """A literal artifact or dataset name, not a variable handed in by a caller."""
    return v is not None and (v.kind == "fstring" or (v.kind == "const" and isinstance(v.value, str)))


def _fixed_revision(v: Value | None) -> bool:
    """A literal revision other than a branch that moves; one read from a variable may be None."""
    return _named(v) and (v.kind == "fstring" or v.value not in ("main", "master"))


def _data_type(call: Call, position: int, *, required: bool = False) -> bool:
    """The artifact's `type` is a literal other than a model's (absent counts when not `required`)."""
    kind = call.kwargs.get("type") or (call.args[position] if len(call.args) > position else None)
    if kind is None:
        return not required
    value = _const(kind)
    return isinstance(value, str) and value.lower() not in _MODEL_TYPES


def versioning_call(call: Call) -> tuple[str, str] | None:
    """(tool, what) when a call puts data under a versioning tool or reads a pinned version."""
    name = call.name
    first = call.args[0] if call.args else None
    option = _const(first) if name.endswith(".option") else None
    if isinstance(option, str) and option.lower() in ("versionasof", "timestampasof"):
        return "delta-lake", f"reads a Delta table as of a version (`{option}`)"
    if (name.endswith((".read.format", ".write.format", ".readStream.format", ".writeStream.format"))
            and _const(first) == "delta"):
        return "delta-lake", "reads or writes a Delta table (every write is a version)"
    if not call.resolved:
        return None
    head = name.split(".")[0]
    if name in ("datasets.load_dataset", "datasets.load.load_dataset"):
        if _fixed_revision(call.kwargs.get("revision")):
            return "huggingface-datasets", "loads a Hugging Face dataset at a fixed revision"
        return None
    if name in ("huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download"):
        if _const(call.kwargs.get("repo_type")) == "dataset" and _fixed_revision(call.kwargs.get("revision")):
            return "huggingface-datasets", "downloads a Hugging Face dataset at a fixed revision"
        return None
    if name.startswith("delta.tables."):
        return "delta-lake", f"uses a Delta table ({name})"
    if name == "mlflow.log_input" or name.startswith("mlflow.data."):
        return "mlflow", "records the dataset a run used (mlflow.log_input / mlflow.data)"
    if name == "wandb.Artifact" or name.endswith(".use_artifact") or name.endswith(".log_artifact"):
        if head != "wandb":
            return None
        ref = call.kwargs.get("name") or call.kwargs.get("artifact_or_name") or call.kwargs.get("artifact_or_path") or first
        if name == "wandb.Artifact" and _named(ref) and _data_type(call, 1):
            return "wandb", "versions data as a W&B Artifact"
        if name.endswith(".use_artifact") and _named(ref) and _data_type(call, 1):
            return "wandb", "uses a versioned W&B Artifact"
        if name.endswith(".log_artifact") and _data_type(call, 2, required=True):
            return "wandb", "logs a versioned W&B Artifact"
        return None
    if name.startswith("clearml.Dataset."):
        return "clearml", "creates or reads a versioned ClearML Dataset"
    if name.startswith("dvc.api.") and name.split(".")[2] in ("open", "read", "get_url", "DVCFileSystem"):
        return "dvc", f"reads DVC-tracked data ({name})"
    tool = _TOOL_MODULES.get(head)
    if tool and tool != "dvc":
        return tool, f"uses {tool} ({name})"
    return None


_RELEVANT = frozenset({"datasets", "huggingface_hub", "mlflow", "wandb", "clearml", "delta", *_TOOL_MODULES})


def code_sightings(ctx: ProbeContext) -> list[tuple[str, Evidence]]:
    found = []
    for f, facts in ctx.code(include_tests=False):
        imported = {imp.module.split(".")[0] for imp in facts.python.imports}
        relevant = bool(imported & _RELEVANT)
        for call in facts.python.calls:
            if not relevant and not call.name.endswith((".option", ".format")):
                continue  # Spark needs no import in a Databricks notebook; everything else does
            hit = versioning_call(call)
            if hit:
                found.append((hit[0], Evidence(path=f.path, line=call.line, cell=call.cell, detail=hit[1])))
    return found


def kedro_versioned(ctx: ProbeContext) -> list[Evidence]:
    found = []
    for f in ctx.files("conf/*catalog*.yml", "conf/*catalog*.yaml", "*/conf/*catalog*.yml", "*/conf/*catalog*.yaml"):
        doc = ctx.store.yaml(f)
        if doc is None or not isinstance(doc.data, dict):
            continue
        for name, entry in doc.data.items():
            if isinstance(entry, dict) and entry.get("versioned") is True:
                found.append(Evidence(path=f.path, line=doc.lines.get((name, "versioned")),
                                      detail=f"Kedro keeps versions of dataset {name!r} (`versioned: true`)"))
    return found


@probe("data.versioning", outcomes={Outcome.true, Outcome.false})
def data_versioning(ctx: ProbeContext) -> ProbeResult:
    """Is data put under version control with a data-versioning tool?

    A tool counts only where it is really used: DVC when `dvc.yaml`, `dvc.lock` or `*.dvc`
    pointer files (with `outs:` entries) are committed, or code reads data through `dvc.api`
    (a `.dvc/config` alone, from `dvc init`, tracks nothing); its remotes are read from
    `.dvc/config` (name and URL scheme: s3, gs, azure, ssh, https, local...; never the URL).
    git-lfs when `.gitattributes` routes files through `filter=lfs` (a rule for pictures or
    documents alone, such as `*.png`, does not count) or LFS pointer files are committed.
    Dataset versioning in code (an import plus a call, outside tests): lakeFS, Delta Lake
    (`deltalake`, Spark `versionAsOf`/`timestampAsOf` or `format("delta")`), Pachyderm, Dolt,
    Quilt, Hugging Face `load_dataset(..., revision="<literal>")`, `mlflow.log_input` /
    `mlflow.data`, W&B Artifacts of data (named in the code, not of type model), ClearML
    Dataset, and Kedro catalog entries with `versioned: true`. A README mention does not count.
    Evidence: where each tool is seen (up to 20 per tool). When none is found, the evidence
    lists data and model files committed as plain git blobs, largest first.
    Values: `tools` found, `remotes` (DVC remote name, URL scheme, whether default), `seen`
    (how many places per tool), `plain_data_files` when no tool is found.
    """
    seen: dict[str, list[Evidence]] = {}

    def add(tool: str, e: Evidence) -> None:
        seen.setdefault(tool, []).append(e)

    for f in ctx.files("dvc.yaml", "dvc.lock"):
        add("dvc", Evidence(path=f.path, detail=f"DVC {'pipeline' if f.name == 'dvc.yaml' else 'lock file'}"))
    for f in ctx.files("*.dvc"):
        if dvc_pointer(ctx, f):
            add("dvc", Evidence(path=f.path, detail="DVC pointer file: the data lives in the DVC cache and remote"))
    media: list[str] = []
    for rule in lfs_rules(ctx):
        if "/" not in rule.pattern and PurePosixPath(rule.pattern).suffix.lower() in MEDIA_SUFFIXES:
            media.append(rule.pattern)
            continue
        add("git-lfs", Evidence(path=rule.path, line=rule.line, detail=f"git-lfs tracks {rule.pattern}"))
    for f in lfs_pointers(ctx):
        add("git-lfs", Evidence(path=f.path, detail="git-lfs pointer file: the data lives in LFS storage"))
    for tool, e in code_sightings(ctx):
        add(tool, e)
    for e in kedro_versioned(ctx):
        add("kedro", e)

    remotes: list[dict[str, Any]] = []
    notes: list[str] = []
    config = ctx.repo.get(".dvc/config")
    if config is not None and not config.is_symlink:
        remotes, lines = dvc_remotes(ctx.store.text(config) or "")
        if "dvc" in seen:
            for r in remotes:
                add("dvc", Evidence(path=config.path, line=lines.get(r["name"]), detail=(
                    f"DVC remote {r['name']!r} ({r['scheme'] or 'no URL'})" + (", the default" if r["default"] else ""))))
    if media and "git-lfs" not in seen:
        notes.append(f"git-lfs stores media files only ({', '.join(sorted(set(media))[:5])}), not data")
    if "dvc" in seen and not remotes:
        notes.append("DVC is used without a remote in .dvc/config: the data exists only where it was added")
    elif "dvc" not in seen and config is not None:
        notes.append("DVC is initialised (.dvc/config) but tracks no data")

    values: dict[str, Any] = {"tools": sorted(seen), "remotes": remotes,
                              "seen": {tool: len(es) for tool, es in sorted(seen.items())}}
    if seen:
        evidence = [e for tool in sorted(seen) for e in seen[tool][:MAX_EVIDENCE]]
        return ProbeResult(outcome=Outcome.true, evidence=evidence, values=values,
                           message="; ".join(notes) or None)
    committed = sorted(data_files(ctx), key=lambda f: (-f.size, f.path))
    values["plain_data_files"] = len(committed)
    where = {True: "committed to git", False: "in the work tree, not yet committed,"}
    if ctx.repo.git is None:
        where[False] = "in the folder"
    return ProbeResult(
        outcome=Outcome.false, values=values, message="; ".join(["no data-versioning tool found"] + notes),
        evidence=[Evidence(path=f.path, detail=f"{f.size:,}-byte data file {where[f.tracked]} without versioning")
                  for f in committed[:MAX_EVIDENCE]],
    )


# -- large artifacts ----------------------------------------------------------------------------------
@probe("data.large_artifacts", outcomes={Outcome.true, Outcome.false},
       params={"artifact_bytes": 1 * MB, "any_file_bytes": 10 * MB})
def data_large_artifacts(ctx: ProbeContext) -> ProbeResult:
    """Are data or model artifacts committed to git?

    Counts data and model files (csv, parquet, pickle/joblib, h5, pt/ckpt, onnx, safetensors,
    npy, archives, tfrecord...) of at least `artifact_bytes` (default 1 MB) and any file of at
    least `any_file_bytes` (default 10 MB) stored as plain git blobs. Files stored through git-lfs
    do not count (pointer files are small; a file a `filter=lfs` rule covers counts only when
    its committed blob is itself large). Untracked files that git does not ignore are reported
    too, as about to be committed. With readable history, the large blobs of files since deleted
    (or earlier versions of a file) are reported as well: every clone still downloads them.
    On a shallow clone the message says history was not inspected. Evidence: each file with its
    size, largest first (up to 20), then history blobs by path (up to 20).
    Values: `files` and `bytes` in the tree, `untracked` among them, `history_blobs` (None when
    history was not read), `threshold` (the two sizes).
    """
    artifact_min = int(ctx.params.get("artifact_bytes", MB))
    any_min = int(ctx.params.get("any_file_bytes", 10 * MB))
    floor = min(artifact_min, any_min)

    def qualifies(path: str, size: int) -> bool:
        suffix = PurePosixPath(path).suffix.lower()
        return size >= any_min or (suffix in DATA_SUFFIXES and size >= artifact_min)

    git = ctx.repo.git
    blobs = ctx.history.blobs_over(floor) if git is not None and git.commit is not None else []
    committed_size = {b.blob_id: b.size for b in blobs}
    rules = lfs_rules(ctx)

    found: list[tuple[RepoFile, int, str]] = []
    for f in ctx.repo.files:
        if f.is_symlink or not qualifies(f.path, f.size):
            continue
        kind = "data/model file" if f.suffix in DATA_SUFFIXES else "file"
        lfs = next((r for r in rules if r.regex.match(f.path)), None)
        if f.tracked and lfs is not None:
            if f.blob_id not in committed_size:
                continue  # git stores an LFS pointer; the work tree holds the fetched content
            size = committed_size[f.blob_id]
            found.append((f, size, f"{human_size(size)} {kind} committed as a plain git blob although "
                                   f"{lfs.path} routes {lfs.pattern} to git-lfs"))
        elif f.tracked:
            size = committed_size.get(f.blob_id or "", f.size)
            found.append((f, size, f"{human_size(size)} {kind} committed to git"))
        elif git is None:
            found.append((f, f.size, f"{human_size(f.size)} {kind} in the folder (not a git repository)"))
        else:
            found.append((f, f.size, f"{human_size(f.size)} {kind}, untracked and not ignored: about to be committed"))
    found.sort(key=lambda t: (-t[1], t[0].path))
    evidence = [Evidence(path=f.path, detail=detail) for f, _, detail in found[:MAX_EVIDENCE]]

    history_blobs = None
    message = None
    if ctx.history.available:
        at_head = {f.blob_id for f in ctx.repo.files if f.tracked and f.blob_id}
        gone: dict[str, list[int]] = {}
        for b in blobs:
            if b.blob_id not in at_head and qualifies(b.path, b.size):
                gone.setdefault(b.path, []).append(b.size)
        history_blobs = sum(len(sizes) for sizes in gone.values())
        for path, sizes in sorted(gone.items(), key=lambda kv: (-sum(kv[1]), kv[0]))[:MAX_EVIDENCE]:
            if ctx.repo.get(path) is not None:
                what = (f"an earlier version of this file is still in history, {human_size(sizes[0])}" if len(sizes) == 1
                        else f"{len(sizes)} earlier versions of this file are still in history, {human_size(sum(sizes))}")
            else:
                what = (f"removed from the tree but still in history, {human_size(sizes[0])}" if len(sizes) == 1
                        else f"removed from the tree but still in history, {len(sizes)} versions, {human_size(sum(sizes))}")
            evidence.append(Evidence(path=path, detail=what))
    else:
        message = f"history was not inspected: {ctx.history.reason}"
    values = {"files": len(found), "bytes": sum(size for _, size, _ in found),
              "untracked": sum(1 for f, _, _ in found if not f.tracked), "history_blobs": history_blobs,
              "threshold": {"artifact_bytes": artifact_min, "any_file_bytes": any_min}}
    return ProbeResult(outcome=Outcome.true if evidence else Outcome.false, evidence=evidence, values=values,
                       message=message)
