"""The command line run as a user runs it: a separate process, its output and exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli(
    *args: str, cwd: Path | None = None, store: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m scorecard_studio ARGS``; ``store`` points the version store elsewhere."""
    env = dict(os.environ)
    if store is not None:
        env["SCORECARD_STUDIO_STORE"] = str(store)
    return subprocess.run(
        [sys.executable, "-m", "scorecard_studio", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
        env=env,
    )
