"""The `mlaudit` command.

Exit codes: 0 the command did its job (and every gate passed); 1 a gate failed (`scan` with
--fail-under, --fail-on or a baseline); 2 usage or configuration error (unknown path, invalid
rubric or config, unknown baseline revision); 3 internal error (a bug in mlaudit: please report it).
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import traceback
from pathlib import Path

import click
from rich.console import Console

from mlaudit import __version__
from mlaudit.atomic import write_text_atomic
from mlaudit.errors import ConfigError, MlauditError

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
FORMATS = ("html", "json", "sarif", "junit", "gitlab", "markdown")
DEFAULT_OUTPUT = {"html": "mlaudit-report.html", "json": "mlaudit-report.json", "sarif": "mlaudit.sarif",
                  "junit": "mlaudit-junit.xml", "gitlab": "gl-code-quality-report.json",
                  "markdown": "mlaudit-summary.md"}
EXIT_CODES_HELP = "Exit codes: 0 done (every gate passed), 1 a gate failed, 2 usage or configuration error, 3 internal error."


def _console(stderr: bool = False, no_color: bool = False) -> Console:
    return Console(stderr=stderr, no_color=no_color or bool(os.environ.get("NO_COLOR")), highlight=False,
                   soft_wrap=not sys.stdout.isatty())


def _scan_options(path: Path, rubric: tuple[Path, ...], cache_dir: Path | None, no_cache: bool,
                  max_file_size: str | None, config: Path | None):
    """Command-line options over the project's config over the defaults."""
    from mlaudit.config import load_config, parse_size
    from mlaudit.scan import ScanOptions

    loaded = load_config(path, config)
    try:
        size = parse_size(max_file_size) if max_file_size else loaded.config.max_file_size
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-file-size") from None
    return ScanOptions(rubric_paths=loaded.rubric_paths() + list(rubric), builtin_rubrics=loaded.config.builtin_rubrics,
                       cache_dir=cache_dir, use_cache=not no_cache, max_file_size=size, config=loaded,
                       config_explicit=config is not None)


def _format_of(output: Path) -> str:
    suffix = output.suffix.lower().lstrip(".")
    fmt = {"htm": "html", "xml": "junit", "md": "markdown"}.get(suffix, suffix)
    if fmt not in FORMATS:
        raise click.UsageError(f"cannot tell the format of {output} from its extension; add --format "
                               f"({' or '.join(FORMATS)})")
    return fmt


def _did_you_mean(name: str, known: list[str], hint: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=3)
    return f"did you mean {', '.join(close)}?" if close else hint


_path_arg = click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
_common = [
    click.option("--rubric", "rubric", multiple=True, type=click.Path(exists=True, path_type=Path),
                 help="Also load this rubric file or folder of YAML checks (repeatable)."),
    click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), envvar="MLAUDIT_CACHE_DIR",
                 help="Where per-file facts are cached (default: ~/.cache/mlaudit)."),
    click.option("--no-cache", is_flag=True, help="Parse every file afresh and store nothing."),
    click.option("--max-file-size", default=None,
                 help="Files larger than this are inventoried but not parsed (default 5MB)."),
    click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="Config file (default: PATH/.mlaudit.yaml, else [tool.mlaudit] in PATH/pyproject.toml)."),
]


def common_options(f):
    for option in reversed(_common):
        f = option(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="mlaudit")
def cli() -> None:
    """Audit how production-ready an ML repository is, from its files alone.

    mlaudit never imports, runs or executes the audited code.
    """


def _fail_under(values: tuple[str, ...]) -> dict[str, float]:
    import math

    out: dict[str, float] = {}
    for value in values:
        rubric, sep, score = value.partition("=")
        rubric = rubric.strip()
        try:
            number = float(score) if "_" not in score else math.nan
        except ValueError:
            number = math.nan
        if not sep or not rubric or not math.isfinite(number):
            raise click.BadParameter(f"{value!r}: write RUBRIC=SCORE with a number, e.g. ml-test-score=2",
                                     param_hint="--fail-under")
        if rubric in out:
            raise click.BadParameter(f"{rubric} is given twice; keep one threshold", param_hint="--fail-under")
        out[rubric] = number
    return out


def _stored_trend(path: Path, options, rubrics, result) -> list:
    """Earlier scores of this branch from `mlaudit history`'s database, when there is one. Best
    effort: a database this scan cannot read costs the chart (with a warning), never the scan."""
    import sqlite3

    from mlaudit.history.sample import first_parent_line
    from mlaudit.history.store import HistoryStore, scan_key
    from mlaudit.history.walk import trend_points
    from mlaudit.result import WarningOut

    db = _history_db(path, None)
    if not db.is_file() or not result.target.commit:
        return []
    try:
        store = HistoryStore(db)
        try:
            # This scan is "now" at HEAD's place: it saw the work tree, edits and all, and all branches.
            points = trend_points(store, scan_key(path, options, rubrics), first_parent_line(path, "HEAD", None, None),
                                  leave_out=result.target.commit)
        finally:
            store.close()
    except (MlauditError, sqlite3.Error, OSError) as exc:
        result.warnings.append(WarningOut(path=str(db), message=f"the stored history was not read: {exc}"))
        return []
    return points


def _render(fmt: str, result, verdict, target: Path, gates) -> str:
    from mlaudit.compare.gates import fail_on

    if fmt == "json":
        from mlaudit.renderers.json_report import render_json
        return render_json(result)
    if fmt == "html":
        from mlaudit.renderers.html_report import render_html
        return render_html(result, target if str(target) != "-" else Path.cwd() / "stdout.html", verdict)
    if fmt == "sarif":
        from mlaudit.renderers.check_docs import DOCS_URL
        from mlaudit.renderers.sarif import render_sarif
        return render_sarif(result, verdict.findings, docs_url=DOCS_URL)
    if fmt == "junit":
        from mlaudit.renderers.junit import render_junit
        return render_junit(result, verdict.findings, fail_on=fail_on(gates, verdict.delta is not None))
    if fmt == "gitlab":
        from mlaudit.renderers.gitlab import render_gitlab
        return render_gitlab(result, verdict.findings)
    from mlaudit.renderers.markdown_summary import render_markdown
    return render_markdown(result, verdict=verdict)


@cli.command(epilog=EXIT_CODES_HELP)
@_path_arg
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Output format (repeatable). Default: html.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file, paired in order with --format ('-' for stdout). "
                   "Default: mlaudit-report.html / .json in the current folder.")
@click.option("--fail-under", "fail_under", multiple=True, metavar="RUBRIC=SCORE",
              help="Exit 1 when a rubric scores under this (repeatable), e.g. ml-test-score=2.")
@click.option("--fail-on", type=click.Choice(["fail", "partial", "never"]),
              help="Exit 1 on findings with this status or worse. Default: fail with a baseline, never without.")
@click.option("--min-severity", type=click.Choice(["info", "low", "medium", "high", "critical"]),
              help="Findings below this severity never fail the job (default: info).")
@click.option("--baseline", "baseline_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A saved JSON report: report new, fixed and unchanged findings; fail only on new ones.")
@click.option("--baseline-ref", metavar="REF",
              help="Scan this git revision as the baseline (e.g. origin/main), without touching the checkout.")
@common_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and failed gates.")
@click.option("--no-color", is_flag=True, help="No colour in the terminal (also: NO_COLOR=1).")
def scan(path: Path, formats: tuple[str, ...], outputs: tuple[Path, ...], fail_under, fail_on, min_severity,
         baseline_file, baseline_ref, rubric, cache_dir, no_cache, max_file_size, config, quiet: bool,
         no_color: bool) -> None:
    """Scan PATH, print a summary and write the report.

    In CI: gates (--fail-under, --fail-on) make it exit 1; with --baseline or --baseline-ref only
    findings the change added count.
    """
    from mlaudit.checks.loader import load_rubrics
    from mlaudit.compare.gates import Gates
    from mlaudit.compare.judge import baseline_from, check_gate_rubrics, judge
    from mlaudit.renderers.terminal import print_summary, print_verdict
    from mlaudit.scan import run_scan

    if not formats:  # without --format, each output's extension says what to write
        formats = tuple(_format_of(o) for o in outputs) or ("html",)
    if len(outputs) > len(formats):
        raise click.UsageError(f"{len(outputs)} --output for {len(formats)} --format; give one --format per --output")
    targets = [(fmt, outputs[i] if i < len(outputs) else Path(DEFAULT_OUTPUT[fmt])) for i, fmt in enumerate(formats)]
    options = _scan_options(path, rubric, cache_dir, no_cache, max_file_size, config)
    thresholds = _fail_under(fail_under)
    configured = options.config.config.gates
    gates = configured.model_copy(update={
        k: v for k, v in (("fail_under", {**configured.fail_under, **thresholds}),
                          ("fail_on", fail_on), ("min_severity", min_severity)) if v})
    if sum(str(t) == "-" for _, t in targets) > 1:
        raise click.UsageError("only one format can go to standard output (-o -); write the others to files")
    rubrics = load_rubrics(options.rubric_paths, builtin=options.builtin_rubrics)
    check_gate_rubrics(Gates(fail_under=thresholds), rubrics, "--fail-under")
    check_gate_rubrics(configured, rubrics, f"{options.config.path or 'config'}: gates.fail_under")
    result = run_scan(path, options, rubrics)
    result.trend = _stored_trend(path, options, rubrics, result)
    baseline = baseline_from(path, baseline_file=baseline_file, baseline_ref=baseline_ref, options=options,
                             rubrics=rubrics)
    if baseline_ref and baseline is None and not quiet:
        click.echo(f"No commit yet: nothing to compare with {baseline_ref}; judged without a baseline.", err=True)
    verdict = judge(result, gates, baseline)
    written = []
    for fmt, target in targets:
        text = _render(fmt, result, verdict, target, gates)
        if str(target) == "-":
            click.echo(text, nl=False)
        else:
            written.append(str(write_text_atomic(target, text)))
    to_stdout = any(str(t) == "-" for _, t in targets)
    if not quiet:
        console = _console(stderr=to_stdout, no_color=no_color)
        print_summary(result, console, written)
        print_verdict(verdict, console)
    elif verdict.gate.failed:  # quiet when nothing got worse, precise when something did
        print_verdict(verdict, _console(stderr=True, no_color=no_color))
    if verdict.gate.failed:
        raise SystemExit(EXIT_GATE)


@cli.command(epilog=EXIT_CODES_HELP)
@_path_arg
@click.option("--json", "as_json", is_flag=True, help="Print the raw outcomes as JSON.")
@click.option("--probe", "only", multiple=True, help="Run only this probe (repeatable).")
@click.option("--list", "list_probes", is_flag=True, help="List the probes and what each asks, then exit.")
@common_options
def probe(path: Path, as_json: bool, only: tuple[str, ...], list_probes: bool, rubric, cache_dir, no_cache,
          max_file_size, config) -> None:
    """Print what mlaudit saw in PATH, before any scoring: each probe's outcome, evidence and values."""
    from rich.markup import escape

    from mlaudit.probes.registry import all_probes
    from mlaudit.renderers.ordering import location
    from mlaudit.renderers.terminal import safe
    from mlaudit.result import SCHEMA_VERSION
    from mlaudit.scan import run_probes

    probes = all_probes()
    if list_probes:
        for pid, spec in sorted(probes.items()):
            click.echo(f"{pid:28} {spec.question}")
        return
    unknown = [p for p in only if p not in probes]
    if unknown:
        raise click.UsageError(f"unknown probe {unknown[0]!r}; "
                               + _did_you_mean(unknown[0], sorted(probes), "`mlaudit probe --list` shows them"))
    options = _scan_options(path, rubric, cache_dir, no_cache, max_file_size, config)
    session, results = run_probes(path, options, list(only) or None)
    target = session.target()
    if as_json:
        payload = {"schema_version": SCHEMA_VERSION, "target": target.model_dump(),
                   "probes": {pid: {"outcome": r.outcome.value,
                                    "evidence": [e.model_dump() for e in r.evidence],
                                    "values": r.values, **({"message": r.message} if r.message else {})}
                              for pid, r in results.items()},
                   "warnings": [w.model_dump() for w in session.warnings()]}
        click.echo(json.dumps(payload, indent=2))
        return
    console = _console()
    for pid, r in results.items():
        console.print(f"[bold]{pid}[/bold]: {r.outcome.value}" + (escape(safe(f"  ({r.message})")) if r.message else ""))
        if r.values:
            console.print(safe("  values: " + json.dumps(r.values)), markup=False)
        for e in r.evidence[:20]:
            console.print(safe(f"  {location(e)}  {e.detail}"), markup=False)
        if len(r.evidence) > 20:
            console.print(f"  ... {len(r.evidence) - 20} more (use --json)")
    for w in session.warnings():
        console.print("[yellow]warning[/yellow] " + escape(safe(f"{w.path}: {w.message}")))


@cli.group()
def rubrics() -> None:
    """Inspect, test and document the rubrics."""


@rubrics.command("list")
@click.option("--rubric", "rubric", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Also load this rubric file or folder.")
def rubrics_list(rubric: tuple[Path, ...]) -> None:
    """List the rubrics and their checks."""
    from mlaudit.checks.loader import load_rubrics

    for lr in load_rubrics(list(rubric)):
        r = lr.rubric
        origin = "built-in" if lr.builtin else str(lr.path)
        n = len(r.checks)
        click.echo(f"{r.id} {r.version}  {r.title}  ({n} check{'' if n == 1 else 's'}, {r.scoring} scoring, {origin})")
        for c in r.checks:
            probes = ", ".join(p.id for p in c.probe_uses()) or "no probe: not observable"
            click.echo(f"  {r.id}/{c.id:<12} {c.title}  [{probes}]")


@rubrics.command("test", epilog="Exit codes: 0 every fixture agrees, 1 a mismatch or a status no fixture shows, "
                                "2 usage or configuration error, 3 internal error.")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--fixtures", "fixtures_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of fixtures: <rubric id>/<check id>/<status>[-what it shows]/. Default: fixtures/ "
                   "beside PATH; for the built-in rubrics, tests/check_fixtures in mlaudit's source.")
@click.option("--only", "only", multiple=True, metavar="CHECK",
              help="Run only this check's fixtures (repeatable): rubric/check or a bare check id.")
def rubrics_test(path: Path | None, fixtures_dir: Path | None, only: tuple[str, ...]) -> int:
    """Run each check against its fixture repositories.

    PATH is a rubric file or folder (default: the built-in rubrics). Fails on any status or
    evidence that differs from what a fixture expects, and on a status no fixture shows. Each
    fixture is copied to a temporary folder and committed with git; nothing in it is run.
    """
    from mlaudit.rubric_commands import test_fixtures

    return test_fixtures(path, fixtures_dir, only, click.echo)


@rubrics.command("docs", epilog="Exit codes: 0 written (or up to date with --check), 1 --check found the file "
                                "stale, 2 usage or configuration error, 3 internal error.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the Markdown here (default: standard output).")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 when --output differs from what would be generated.")
def rubrics_docs(paths: tuple[Path, ...], output: Path | None, check_only: bool) -> int:
    """Generate the check reference (Markdown) from the rubrics.

    PATHS are rubric files or folders (default: the built-in rubrics, as in docs/checks.md). The
    text comes from the rubric YAML and the probes' docstrings; each check's anchor is
    `<rubric>--<check>`, the id its finding has in the HTML report.
    """
    from mlaudit.rubric_commands import render_docs

    text = render_docs(list(paths))
    if check_only:
        if output is None:
            raise click.UsageError("--check needs --output, the file to compare with")
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current == text:
            click.echo(f"{output} is up to date")
            return EXIT_OK
        click.echo(f"{output} is stale: run `mlaudit rubrics docs -o {output}`", err=True)
        return 1
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {write_text_atomic(output, text)}")
    return EXIT_OK


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("check_id")
@click.option("--rubric", "rubric", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Also load this rubric file or folder.")
def explain(check_id: str, rubric: tuple[Path, ...]) -> None:
    """Explain a check (e.g. ml-test-score/infra-1) or a probe (e.g. seeds.set)."""
    from mlaudit.checks.loader import load_rubrics
    from mlaudit.probes.registry import all_probes

    spec = all_probes().get(check_id)
    if spec is not None:  # the probe's docstring is its documentation
        click.echo(f"{spec.id}: {spec.doc}")
        click.echo(f"\n  outcomes: {', '.join(sorted(o.value for o in spec.outcomes))}")
        if spec.params:
            click.echo(f"  parameters (defaults): {spec.params}")
        return
    loaded = load_rubrics(list(rubric))
    if "/" not in check_id:  # a bare check id is fine when only one rubric has it
        owners = [lr.rubric.id for lr in loaded if lr.check(check_id)]
        if len(owners) == 1:
            check_id = f"{owners[0]}/{check_id}"
    rubric_id, _, short = check_id.partition("/")
    for lr in loaded:
        if lr.rubric.id != rubric_id:
            continue
        check = lr.check(check_id)
        if check is None:
            break
        wrap = lambda s: textwrap.fill(" ".join(s.split()), width=88, initial_indent="  ", subsequent_indent="  ")  # noqa: E731
        click.echo(f"{lr.rubric.id}/{check.id}: {check.title}")
        if check.heading:
            click.echo(f"  {check.heading}")
        click.echo(f"  rubric: {lr.rubric.title} ({lr.rubric.version}), section {check.section}, severity {check.severity.value}")
        click.echo("\nWhy it matters\n" + wrap(check.rationale))
        click.echo("\nHow to fix it\n" + wrap(check.remediation))
        if check.attest:
            click.echo("\nWhat a team can attest\n" + wrap(check.attest))
        click.echo("\nSources")
        for s in check.sources:
            ref = lr.rubric.references[s.ref]
            click.echo(f"  {ref.title} ({ref.year or 'n.d.'}), {s.section}\n  {ref.url}")
        click.echo("\nProbes")
        if not check.probes:
            click.echo("  none: mlaudit cannot observe this yet; it is reported as not observable, never as a pass")
        probes = all_probes()
        for use in check.probe_uses():
            click.echo(f"  {use.id}: {probes[use.id].question}" + (f" {use.params}" if use.params else ""))
        click.echo("\nHow the status is decided")
        for rule in check.rules:
            cond = ", ".join(f"{pid} is {' or '.join(sorted(o.value for o in ws))}" for pid, ws in rule.wanted().items())
            cls = f", {rule.evidence_class.value}" if rule.evidence_class else ""
            click.echo(f"  if {cond}: {rule.status.value}{cls}")
        click.echo(f"  otherwise: {check.otherwise.status.value}")
        return
    known = sorted(f"{lr.rubric.id}/{c.id}" for lr in loaded for c in lr.rubric.checks) + sorted(all_probes())
    raise click.UsageError(f"no check or probe {check_id!r}; " + _did_you_mean(check_id, known, "`mlaudit rubrics list` shows them"))


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Validate rubric YAML files (or folders of them): every problem with file:line and a hint."""
    from mlaudit.checks.loader import load_rubric_file, rubric_files

    problems: list[str] = []
    ids: dict[str, Path] = {}
    for location in files:
        found = rubric_files(location)
        if not found:
            problems.append(f"{location}: no rubric files (*.yaml, *.yml) in this folder")
        for f in found:
            try:
                lr = load_rubric_file(f)
            except ConfigError as exc:
                problems += exc.problems
                continue
            n = len(lr.rubric.checks)
            click.echo(f"{f}: ok ({lr.rubric.id}, {n} check{'' if n == 1 else 's'})")
            if lr.rubric.id in ids:  # a scan loading both would refuse them
                problems.append(f"{f}:1: rubric id `{lr.rubric.id}` is already used by {ids[lr.rubric.id]}")
            ids.setdefault(lr.rubric.id, f)
    if problems:
        raise ConfigError(str(files[0]), problems)


def _history_rubrics(options) -> list:
    """The rubrics a history walk or a comparison scans with; a --config file is checked against
    them before any commit is scanned (each commit's own config is judged leniently, at that commit)."""
    from mlaudit.checks.loader import load_rubrics
    from mlaudit.scan import known_names

    rubrics = load_rubrics(options.rubric_paths, builtin=options.builtin_rubrics)
    if options.config_explicit:
        options.config.check_names(*known_names(rubrics))
    return rubrics


def _history_db(path: Path, db: Path | None) -> Path:
    from mlaudit.history.store import DEFAULT_DB
    from mlaudit.repository.gitinfo import read_git_info

    if db is not None:
        return db
    info = read_git_info(path, files=False)
    return (info.toplevel if info else path) / DEFAULT_DB


@cli.command(epilog=EXIT_CODES_HELP)
@_path_arg
@click.option("--since", help="Only commits after this date (e.g. 2026-01-01, '3 months ago').")
@click.option("--until", help="Only commits before this date.")
@click.option("--every", help="One commit per period: 1w, 2w, 1m, 10d (the last commit of each).")
@click.option("--commits", "count", type=click.IntRange(min=1), help="N commits, evenly spaced.")
@click.option("--branch", default="HEAD", show_default=True, help="Whose first-parent line to walk.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
              help="The history database (default: .mlaudit/history.sqlite in the repository).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=lambda: min(os.cpu_count() or 1, 4),
              show_default="CPUs, at most 4", help="Commits scanned at once, one process each.")
@click.option("--export", "export", type=click.Choice(["csv", "json"]), help="Write the series in this format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Export here (default: stdout).")
@common_options
@click.option("-q", "--quiet", is_flag=True, help="No progress, no table.")
def history(path: Path, since, until, every, count, branch, db, jobs, export, output, rubric, cache_dir, no_cache,
            max_file_size, config, quiet: bool) -> None:
    """Scan sampled commits of PATH's history from git objects and store their scores.

    The work tree and index are never touched. Commits already in the database are not scanned
    again, so an interrupted run (Ctrl-C) resumes where it stopped.
    """
    from mlaudit.history.export import export_series
    from mlaudit.history.sample import first_parent_line, parse_every, shallow_note, thin
    from mlaudit.history.store import HistoryStore, scan_key
    from mlaudit.history.walk import plain_progress, trend_points, walk

    if every and count:
        raise click.UsageError("give --every or --commits, not both")
    if output is not None and not export:
        raise click.UsageError("-o writes an export: add --export csv or --export json")
    line = first_parent_line(path, branch, since, until)
    note = shallow_note(path, line)
    if note:  # even with -q: the series is shorter than the project's history, and the reader must know
        click.echo(note, err=True)
    commits = thin(line, every=parse_every(every) if every else None, count=count)
    options = _scan_options(path, rubric, cache_dir, no_cache, max_file_size, config)
    rubrics = _history_rubrics(options)
    store = HistoryStore(_history_db(path, db))
    try:
        console = _console(stderr=True)
        if not commits:
            click.echo("No commits to scan in that range.", err=True)
        elif quiet:
            walk(path, commits, store, options, rubrics, jobs=jobs)
        elif console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          console=console, transient=True) as bar:
                task = bar.add_task("commits", total=len(commits))
                walk(path, commits, store, options, rubrics, lambda c, scanned: bar.advance(task), jobs)
        else:
            walk(path, commits, store, options, rubrics, plain_progress(len(commits)), jobs)
        points = trend_points(store, scan_key(path, options, rubrics), commits)
        if export:
            text = export_series(points, export)
            if output is None:
                click.echo(text, nl=False)
            else:
                write_text_atomic(output, text)
        elif not quiet:
            from mlaudit.renderers.terminal import print_series
            print_series(points, console, len(line))
    finally:
        store.close()


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("ref_a", required=False)
@click.argument("ref_b", required=False)
@click.option("-C", "--path", "path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The repository, or the folder of it to audit.")
@click.option("--since-last", is_flag=True,
              help="Compare with the newest earlier commit `mlaudit history` stored (then REF_A is the later one).")
@click.option("--expiring-before", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="List attestations that expire before this day [default: 90 days from today].")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "json"]),
              help="Output format [default: text, or what --output's extension says].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write it here (default: stdout).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
              help="The history database (default: .mlaudit/history.sqlite in the repository).")
@common_options
@click.option("--no-color", is_flag=True, help="No colour in the terminal (also: NO_COLOR=1).")
def compare(ref_a, ref_b, path: Path, since_last: bool, expiring_before, fmt, output, db, rubric, cache_dir, no_cache,
            max_file_size, config, no_color: bool) -> None:
    """What changed from REF_A to REF_B (default HEAD): scores per rubric and section, checks that
    changed status, new and fixed findings, attestations expired or expiring.

    Both commits are read from git objects (the work tree is not touched), or taken from the
    history database when `mlaudit history` stored them; a commit scanned here is stored too.
    """
    import datetime as dt

    from mlaudit.compare.retro import Ref, retrospective
    from mlaudit.history.sample import first_parent_line
    from mlaudit.history.store import HistoryStore, scan_key
    from mlaudit.history.walk import last_stored_before, scan_at, trend_points
    from mlaudit.repository.revision import resolve

    if since_last:
        if ref_b is not None:
            raise click.UsageError("with --since-last give one revision at most: the later one")
        ref_b = ref_a or "HEAD"
    elif ref_a is None:
        raise click.UsageError("name the earlier revision (mlaudit compare REF_A [REF_B]), or use --since-last")
    ref_b = ref_b or "HEAD"
    fmt = fmt or (_format_of(output) if output else "text")
    if fmt not in ("text", "markdown", "html", "json"):
        raise click.UsageError(f"compare writes text, markdown, html or json, not {fmt}")
    if fmt == "text" and output is not None:
        raise click.UsageError("text goes to the terminal; write a file with --format markdown, html or json")
    options = _scan_options(path, rubric, cache_dir, no_cache, max_file_size, config)
    rubrics = _history_rubrics(options)
    today = dt.date.today()
    horizon = expiring_before.date() if expiring_before else today + dt.timedelta(days=90)
    b_sha = resolve(path, ref_b)
    store = HistoryStore(_history_db(path, db))
    try:
        if since_last:
            a_sha = last_stored_before(path, b_sha, store, options, rubrics)
            if a_sha is None:
                raise MlauditError(f"no earlier commit of {ref_b} is stored yet: run `mlaudit history` first, "
                                   "or name the revision to compare with")
            ref_a = a_sha[:10]
        else:
            a_sha = resolve(path, ref_a)
        scans = []
        for ref, sha in ((ref_a, a_sha), (ref_b, b_sha)):
            result, c = scan_at(path, sha, store, options, rubrics)
            when = dt.datetime.fromtimestamp(c.time, dt.timezone.utc).isoformat()
            scans.append((result, Ref(ref=ref, commit=sha, date=when, subject=c.subject)))
        (a, a_ref), (b, b_ref) = scans
        retro = retrospective(a, a_ref, b, b_ref, today, horizon)
        if fmt == "html":
            b.trend = trend_points(store, scan_key(path, options, rubrics),
                                   first_parent_line(path, b_sha, None, None))
    finally:
        store.close()
    if fmt == "text":
        from mlaudit.renderers.retro_terminal import print_retro
        print_retro(retro, _console(no_color=no_color))
        return
    if fmt == "markdown":
        from mlaudit.renderers.retro_markdown import render_retro_markdown
        text = render_retro_markdown(retro)
    elif fmt == "json":
        text = retro.model_dump_json(indent=2) + "\n"
    else:
        from mlaudit.renderers.html_report import render_html
        text = render_html(b, output if output else Path.cwd() / "stdout.html", retro=retro)
    if output is None:
        click.echo(text, nl=False)
    else:
        written = write_text_atomic(output, text)
        click.echo(f"Wrote {written}", err=True)


CI_SNIPPETS = {"github": ("github-workflow.yml", ".github/workflows/mlaudit.yml"),
               "gitlab": ("gitlab-ci.yml", ".gitlab-ci.yml (add the job)")}


def _ci_platform(path: Path) -> str | None:
    if (path / ".github").is_dir():
        return "github"
    if (path / ".gitlab-ci.yml").is_file():
        return "gitlab"
    return None


@cli.command(epilog=EXIT_CODES_HELP)
@_path_arg
@click.option("--ci", type=click.Choice(["github", "gitlab"]), help="Print this platform's CI snippet "
              "(default: the one PATH already uses).")
def init(path: Path, ci: str | None) -> None:
    """Write a starter .mlaudit.yaml in PATH and print the CI snippet for its platform."""
    from mlaudit.resources import ci_templates_dir

    from mlaudit.config import load_config

    target = path / ".mlaudit.yaml"
    existing = load_config(path).path
    if existing is not None:
        # A new .mlaudit.yaml would silently take precedence over [tool.mlaudit] in pyproject.toml.
        raise click.UsageError(f"{existing} already configures mlaudit; edit it there (a new .mlaudit.yaml "
                               "would silently replace it)")
    written = write_text_atomic(target, (ci_templates_dir() / "mlaudit.yaml").read_text(encoding="utf-8"))
    click.echo(f"Wrote {written}: gates, attestations and suppressions, all commented.", err=True)
    platform = ci or _ci_platform(path)
    if platform is None:
        click.echo("No CI configuration found; `mlaudit init --ci github` or `--ci gitlab` prints a snippet.", err=True)
        return
    name, where = CI_SNIPPETS[platform]
    click.echo(f"\nAdd this to {where}:\n", err=True)
    click.echo((ci_templates_dir() / name).read_text(encoding="utf-8"), nl=False)


@cli.command("config-schema", epilog=EXIT_CODES_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write it here (default: stdout).")
def config_schema(output: Path | None) -> None:
    """Print the JSON schema of .mlaudit.yaml (published as docs/mlaudit-config.schema.json)."""
    from mlaudit.config import json_schema

    if output is None:
        click.echo(json_schema(), nl=False)
    else:
        write_text_atomic(output, json_schema())


def _terminate(signum, frame) -> None:
    # CI cancels with SIGTERM: unwind like Ctrl-C, so temporary clones are removed on the way out.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            try:
                signal.signal(getattr(signal, name), _terminate)
            except ValueError:  # not the main thread (an embedding program): leave its handlers alone
                pass
    try:
        code = cli.main(args=argv, prog_name="mlaudit", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:  # usage errors: bad option, missing path
        exc.show()
        sys.exit(EXIT_USAGE)
    except ConfigError as exc:
        for line in exc.problems:
            click.echo(f"error: {line}", err=True)
        sys.exit(EXIT_USAGE)
    except (MlauditError, NotADirectoryError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception:  # noqa: BLE001 - the last line of defence: say it is our bug, not the user's
        traceback.print_exc()
        click.echo(f"mlaudit {__version__}: internal error (exit {EXIT_INTERNAL}). This is a bug in mlaudit; "
                   "please report it with the traceback above.", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


if __name__ == "__main__":
    main()
