"""Processes that hammer one store, for the crash and concurrency tests.

Run as a script by the tests: ``python store_workers.py crash STORE LOG KILLS SEED`` or
``python store_workers.py race STORE LOG_PREFIX SAVES``. The script imports everything
once, then forks a fresh child per run, so each child starts in milliseconds and is a
separate process with its own database connections (nothing is shared across the fork).

Each child reports what it did by appending lines to a log file *after* the store returned,
so every reported save is one the store said was committed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

from store_fixtures import billing_table, card

from scorecard_studio.domain.errors import ConflictError
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.store import SaveConflictError, open_store

NAME = "Retention"


def design(i: int) -> Scorecard:
    """The design a child saves in step ``i`` (the tests rebuild it to compare bytes)."""
    return card(NAME, target=float(i), extra=i % 4)


def has_data(i: int) -> bool:
    return i % 3 == 0


def table(i: int) -> object:
    return billing_table(8, seed=i)


def _report(fd: int, record: dict[str, object]) -> None:
    os.write(fd, (json.dumps(record) + "\n").encode())


def crash_child(store_path: str, log_path: str, start: int) -> None:
    """Autosave then save, forever, until killed."""
    store = open_store(store_path)
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    i = start
    while True:
        store.autosave_draft(NAME, design(i))
        _report(fd, {"op": "autosave", "i": i})
        tables = {"billing": table(i)} if has_data(i) else None
        info = store.save(design(i), tables, f"save {i}")  # type: ignore[arg-type]
        _report(fd, {"op": "save", "i": i, "number": info.number, "hash": info.hash})
        i += 1


def warm_up(scratch: str) -> None:
    """Run every code path once, so forked children start with warm caches (SQLAlchemy's
    compiled statements, mapper set-up, Arrow) and spend their short lives saving."""
    with open_store(scratch) as store:
        for i in (0, 1):
            store.autosave_draft(NAME, design(i))
            store.save(design(i), {"billing": table(i)} if has_data(i) else None, "warm")  # type: ignore[arg-type]
        store.head(NAME)


def crash(store_path: str, log_path: str, kills: int, seed: int) -> None:
    rng = random.Random(seed)
    warm_up(store_path + ".warm")
    open_store(store_path).close()  # create and migrate once, before any fork
    for k in range(kills):
        pid = os.fork()
        if pid == 0:
            try:
                crash_child(store_path, log_path, start=(k + 1) * 1000)
            finally:
                os._exit(0)
        # Let the child report its first save (a loaded machine may be slow to get there),
        # then kill it at a random moment of its following work.
        deadline = time.monotonic() + 10.0
        marker = f'"i": {(k + 1) * 1000}, "number"'
        while time.monotonic() < deadline:
            if os.path.exists(log_path) and marker in Path(log_path).read_text():
                break
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.2))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def race_child(store_path: str, log_path: str, worker: int, saves: int, go: int) -> None:
    store = open_store(store_path)
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.read(go, 1)  # both workers start together
    rng = random.Random(worker)
    for n in range(saves):
        i = worker * 1000 + n
        head = store.head(NAME)
        time.sleep(rng.uniform(0, 0.004))  # "editing": the other worker may save meanwhile
        try:
            info = store.save(design(i), None, f"worker {worker} save {n}", parent=head)
        except SaveConflictError as conflict:
            _report(fd, {"op": "conflict", "i": i, "draft": conflict.draft_id, "base": head})
        except ConflictError:  # pragma: no cover - every conflict of save is a SaveConflict
            raise
        else:
            _report(
                fd,
                {
                    "op": "save",
                    "i": i,
                    "number": info.number,
                    "hash": info.hash,
                    "parent": info.parent,
                    "base": head,
                },
            )


def race(store_path: str, log_prefix: str, saves: int) -> None:
    if "://" not in store_path:  # a team store's URL has no scratch file beside it
        warm_up(store_path + ".warm")
    with open_store(store_path) as store:
        store.save(design(0), None, "start")
    read_end, write_end = os.pipe()
    pids = []
    for worker in (1, 2):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                race_child(store_path, f"{log_prefix}{worker}.jsonl", worker, saves, read_end)
            except BaseException:  # report the failure through the exit code
                code = 1
            finally:
                os._exit(code)
        pids.append(pid)
    os.write(write_end, b"go")
    codes = [os.waitpid(pid, 0)[1] for pid in pids]
    if any(codes):
        sys.exit(f"a worker failed: {codes}")


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "crash":
        crash(args[0], args[1], int(args[2]), int(args[3]))
    elif mode == "race":
        race(args[0], args[1], int(args[2]))
    else:
        sys.exit(f"unknown mode {mode!r}")
