"""The reader's address-space cap under a limit inherited from the shell (``ulimit -v``)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from scorecard_studio.engines.importing.errors import MemoryLimitError
from scorecard_studio.engines.importing.safety import isolation

GiB = 1024**3


def test_cap_is_the_lower_of_its_own_and_the_inherited_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(isolation, "own_limit", lambda: 8 * GiB)
    monkeypatch.setattr(isolation, "inherited_limit", lambda: 2 * GiB)
    assert isolation.memory_limit() == 2 * GiB
    monkeypatch.setattr(isolation, "inherited_limit", lambda: 12 * GiB)
    assert isolation.memory_limit() == 8 * GiB
    monkeypatch.setattr(isolation, "inherited_limit", lambda: None)
    assert isolation.memory_limit() == 8 * GiB


def test_too_small_an_inherited_limit_is_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "inherited_limit", lambda: 200 * 1024**2)
    with pytest.raises(MemoryLimitError) as caught:
        isolation.check_memory_limit("data.xlsx")
    message = str(caught.value)
    assert message == (
        "memory limit: data.xlsx: this program runs under an address-space limit of 200 MiB "
        "(ulimit -v); a reader needs at least 256 MiB: raise the limit and try again"
    )


def test_out_of_memory_under_the_inherited_limit_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(isolation, "inherited_limit", lambda: 2 * GiB)
    text = str(isolation._too_large("big.xlsx", 2 * GiB))
    assert text == (
        "file too large: big.xlsx: reading it needs more than the 2.0 GiB of memory a reader "
        "may use (the address-space limit this program was started under, ulimit -v)"
    )


def test_a_workbook_reads_under_an_inherited_limit_below_the_readers_own_cap(
    tmp_path: Path,
) -> None:
    # 2 GiB is below the reader's own floor of 3 GiB: before, the reader asked for more
    # than it was allowed and every workbook was refused as a crash.
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["Customer", "ARR"], ["A", 100], ["B", 50]):
        ws.append(row)
    path = tmp_path / "small.xlsx"
    wb.save(path)
    limit = 2 * GiB

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    code = (
        "import sys\n"
        "from scorecard_studio.engines.importing import inspect_workbook\n"
        "print(inspect_workbook(sys.argv[1]).rows)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        preexec_fn=cap,  # sets the child's limit only
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "2"
