"""Several commits of a history walk scanned at once, one worker process each.

A scan is CPU-bound Python, so processes rather than threads. Workers take commits in the walk's
order, one at a time, so each sees commits close together and its memo of per-blob answers stays
useful; each writes its own results to the database (SQLite serialises the writes), so a walk
stopped midway keeps every commit a worker finished. Ctrl-C is the parent's to handle: it stops
the workers, and a worker dies with its parent even when the parent is killed outright.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from mlaudit.errors import MlauditError
from mlaudit.facts.memo import ContentMemo
from mlaudit.history.sample import Sampled
from mlaudit.history.store import HistoryStore, scan_key

_worker: dict = {}  # one worker's state, set once by _start
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return  # elsewhere a killed parent leaves workers to finish their current commit and exit
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _start(path: str, db: str, options, rubrics) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler: a stopped worker just stops
    _die_with_parent()
    _worker.update(path=Path(path), store=HistoryStore(Path(db)), options=options, rubrics=rubrics,
                   ruleset=scan_key(Path(path), options, rubrics), memo=ContentMemo())


def _scan(c: Sampled) -> Sampled:
    from mlaudit.history.walk import _scan_and_store

    w = _worker
    w["memo"].advance()
    _scan_and_store(w["path"], c, w["store"], w["ruleset"], w["options"], w["rubrics"], w["memo"])
    return c


def scan_in_parallel(path: Path, todo: list[Sampled], store: HistoryStore, options, rubrics, jobs: int,
                     on_done: Callable[[Sampled, bool], None]) -> None:
    context = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start,
                               initargs=(str(path), str(store.path), options, rubrics))
    try:
        # Submitted in the walk's order: each free worker takes the next commit, so consecutive
        # commits a worker scans are close together.
        for future in as_completed([pool.submit(_scan, c) for c in todo]):
            on_done(future.result(), True)
    except BrokenProcessPool as exc:
        _stop(pool)
        why = f" ({exc.__cause__})" if exc.__cause__ else " (out of memory?)"
        raise MlauditError(f"a worker process died{why}. Every commit it finished is stored: run the same command "
                           "again to go on, with fewer --jobs if memory is short") from None
    except BaseException:
        _stop(pool)  # Ctrl-C, or a worker's error: what was stored stays stored
        raise
    pool.shutdown()


def _stop(pool: ProcessPoolExecutor) -> None:
    processes = list((pool._processes or {}).values())  # noqa: SLF001 - the executor offers no way to kill them
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        p.terminate()
    for p in processes:
        p.join(timeout=10)
