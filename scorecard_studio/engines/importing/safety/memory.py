"""Handing freed memory back to the operating system during long reads.

A streamed read allocates and frees tens of megabytes of scratch arrays per slice. glibc's
allocator keeps what is freed in its heaps for reuse, and across a hundred slices (and the
inflating thread's own heap) that reserve grows to more than the table being built: the
process looks several times larger than its data. ``malloc_trim`` returns the free parts
of every heap (elsewhere than glibc there is nothing to do), and Arrow's own pool is asked
to do the same.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable

__all__ = ["release_free_memory"]


def _find_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_TRIM = _find_trim()


#: Below this many bytes let go, returning memory to the system costs more than it gives
#: back: trimming the heap takes milliseconds, a real cost for every small sheet.
TRIM_MIN_BYTES = 32 * 1024 * 1024


def release_free_memory(freed_bytes: int | None = None) -> None:
    """Return the allocators' free memory to the system, where they allow it.

    ``freed_bytes`` (what the caller just let go, if known) below :data:`TRIM_MIN_BYTES`
    skips the work: a small table leaves little to return.
    """
    if freed_bytes is not None and freed_bytes < TRIM_MIN_BYTES:
        return
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    if _TRIM is not None:
        _TRIM(0)
