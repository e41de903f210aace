"""Each command imports only what it needs: a design check never loads the data stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "pyarrow", "openpyxl", "numpy", "sqlalchemy.orm", "PySide6")

_PROBE = """
import contextlib, io, json, sys
from scorecard_studio.cli.main import run_cli
with contextlib.redirect_stdout(io.StringIO()):
    try:
        run_cli(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["score", "--help"],
        ["store", "--help"],
        ["analyze", "--help"],
        ["accounts", "--help"],
        ["check", "{template}"],
    ],
)
def test_light_commands_never_import_the_data_stack(argv: list[str], repo_root: Path) -> None:
    template = repo_root / "resources" / "templates" / "customer_centric.json"
    loaded = _modules_after(*(a.format(template=template) for a in argv))
    assert not [m for m in HEAVY if m in loaded]
