"""Running untrusted parses in a child process with a memory cap and a time limit.

The Rust readers abort the process (which Python cannot catch) when a file makes them
allocate more than the machine has, and a damaged file can make any reader spin. So every
workbook parse runs in a child started from a fork server: the child caps its own address
space (``RLIMIT_AS``, never above the limit the program inherited) before touching the
file, the parent kills it when the time limit
passes or the user cancels, and a crash becomes a one-line error instead of a dead app.
The fork server keeps the per-read cost to a fork (tens of milliseconds) after the first.
Large results travel as an Arrow IPC file in a private temporary folder, not through the
pipe.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.engines.importing.errors import (
    FileTooLargeError,
    ImportCancelled,
    MemoryLimitError,
    NotASpreadsheetError,
    UnsafeFileError,
    rebuild,
)

#: Seconds a read of a small file may take; larger files get more (see :func:`time_limit`).
BASE_SECONDS = 6.0
#: Extra seconds per MiB of file.
SECONDS_PER_MIB = 3.0
_POLL = 0.02
_lock = threading.Lock()
_state: dict[str, Any] = {}


#: Below this address space a reader cannot open even a small workbook (the interpreter,
#: the reader libraries and their thread stacks take most of it).
MIN_READER_BYTES = 256 * 1024**2


def own_limit() -> int:
    """The reader's own address-space cap: half the machine's memory, between 3 and 16 GiB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 * 1024**3
    return int(min(max(total // 2, 3 * 1024**3), 16 * 1024**3))


def inherited_limit() -> int | None:
    """The address-space limit this program was started under (``ulimit -v``), if any.

    Shared servers often set one below the reader's own cap; a process cannot raise its
    limit above it, so a reader asking for more would fail before reading anything.
    """
    try:
        import resource
    except ImportError:  # no such limits on this system
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY or soft < 0 else int(soft)


def memory_limit() -> int:
    """Address-space cap of a reader: the lower of its own cap and the inherited limit."""
    own = own_limit()
    inherited = inherited_limit()
    return own if inherited is None else min(own, inherited)


def _size(n: int) -> str:
    return f"{n / 1024**3:.1f} GiB" if n >= 1024**3 else f"{n / 1024**2:.0f} MiB"


def _too_large(file_name: str, limit: int) -> FileTooLargeError:
    """Out of memory, naming the cap and, when it is the inherited one, where it comes from."""
    inherited = inherited_limit()
    origin = (
        " (the address-space limit this program was started under, ulimit -v)"
        if inherited is not None and inherited <= limit
        else ""
    )
    return FileTooLargeError(
        f"{file_name}: reading it needs more than the {_size(limit)} of memory a reader may "
        f"use{origin}"
    )


def check_memory_limit(file_name: str) -> int:
    """The reader's cap, or a clear error when the inherited limit leaves too little."""
    limit = memory_limit()
    if limit < MIN_READER_BYTES:
        raise MemoryLimitError(
            f"{file_name}: this program runs under an address-space limit of {_size(limit)} "
            f"(ulimit -v); a reader needs at least {_size(MIN_READER_BYTES)}: raise the limit "
            "and try again"
        )
    return limit


def time_limit(size_bytes: int) -> float:
    return BASE_SECONDS + SECONDS_PER_MIB * size_bytes / 1024**2


def _ctx(preload: str) -> Any:
    """The fork-server context; its server imports ``preload`` (the reader module) once."""
    with _lock:
        if "context" not in _state:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload([preload])
            _state["context"] = ctx
        return _state["context"]


def _child(
    conn: Connection,
    target: Callable[..., Any],
    kwargs: dict[str, Any],
    limit: int,
    err_path: str,
) -> None:
    """Body of the reader process: cap memory, run ``target``, send back the outcome."""
    import resource

    fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    os.close(fd)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = target(**kwargs)
        conn.send(("ok", result))
    except DataImportError as exc:
        conn.send(("error", type(exc).__name__, str(exc)))
    except MemoryError:
        conn.send(("memory",))
    except BaseException as exc:  # Rust panics arrive as BaseException subclasses
        conn.send(("crash", f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"))
    finally:
        conn.close()


def _start_without_main(proc: Any) -> None:
    """Start ``proc`` without telling it about the caller's ``__main__`` module.

    multiprocessing re-imports the parent's main script in every child so that pickled
    references into it resolve; the reader only runs this package's code, and re-importing
    a main script that imports pandas (or a script without a ``__main__`` guard) would cost
    seconds per read or fail. The stand-in is in place only while the start-up message is
    prepared.
    """
    main = sys.modules.get("__main__")
    with _lock:
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            proc.start()
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def run_isolated(
    target: Callable[..., Any],
    kwargs: dict[str, Any],
    *,
    file_name: str,
    size_bytes: int,
    work_dir: Path,
    cancel: threading.Event | None = None,
    progress: Callable[[float], None] | None = None,
    seconds: float | None = None,
) -> Any:
    """``target(**kwargs)`` in a capped child; its result, or its error raised here.

    ``target`` is a module-level function: it reaches the child by name (pickled as a
    reference), so this module never imports the readers it runs, and the caller says which.
    """
    limit = check_memory_limit(file_name)
    ctx = _ctx(target.__module__)
    budget = time_limit(size_bytes) if seconds is None else seconds
    err_path = str(work_dir / "reader.log")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, target, kwargs, limit, err_path), daemon=True)
    _start_without_main(proc)
    sender.close()
    started = time.monotonic()
    message: Any = None
    try:
        while True:
            if receiver.poll(_POLL):
                try:
                    message = receiver.recv()
                except EOFError:
                    message = None
                break
            if cancel is not None and cancel.is_set():
                raise ImportCancelled()
            elapsed = time.monotonic() - started
            if elapsed > budget:
                raise UnsafeFileError(
                    f"{file_name}: reading did not finish within {budget:.0f} seconds"
                )
            if progress is not None:
                progress(min(0.9, elapsed / max(budget / 4, 1.0)))
    finally:
        if proc.is_alive() and message is None:
            proc.kill()
        proc.join(5)
        receiver.close()
    if message is None:
        raise _crash_error(file_name, proc.exitcode, err_path, limit)
    if message[0] == "ok":
        return message[1]
    if message[0] == "error":
        raise rebuild(message[1], message[2])
    if message[0] == "memory":
        raise _too_large(file_name, limit)
    raise NotASpreadsheetError(f"{file_name}: the reader failed on this file ({message[1]})")


def _crash_error(file_name: str, exitcode: int | None, err_path: str, limit: int) -> Exception:
    try:
        log = Path(err_path).read_text(errors="replace")[-2000:]
    except OSError:
        log = ""
    if "memory allocation" in log or "MemoryError" in log or exitcode == -signal.SIGKILL:
        return _too_large(file_name, limit)
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit {exitcode}"
    return NotASpreadsheetError(f"{file_name}: the reader crashed on this file ({how})")
