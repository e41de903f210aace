"""Start-up time: process start to a shown, usable main window with the sample scorecard.

The app is started as a user starts it (``python -m scorecard_studio``) on a fresh store and
fresh settings (a first start), offscreen, with ``SCORECARD_STUDIO_EXIT_WHEN_READY`` set: it
prints "ready: <scorecard>" once the window is shown with the sample's design in its panels,
then quits. The reference, in the same run, is a bare ``import PySide6.QtWidgets``.

    uv run python benchmarks/bench_startup.py --repeat 9
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SCORECARD_STUDIO_EXIT_WHEN_READY="1",
        SCORECARD_STUDIO_STORE=str(folder / "store.sqlite3"),
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_DATA_HOME=str(folder / "data"),
        XDG_STATE_HOME=str(folder / "state"),
    )
    return env


def time_app(until: str = "ready") -> tuple[float, str]:
    """Seconds from spawning the process to its "ready" line, or (``until="scored"``) to
    the sample's first scores on screen (a first start)."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        env = _environment(Path(tmp))
        if until == "scored":
            env["SCORECARD_STUDIO_EXIT_WHEN_READY"] = "scored"
        proc = subprocess.Popen(
            [sys.executable, "-m", "scorecard_studio"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        line = ""
        for line in proc.stdout:
            if line.startswith(("ready:", "scored:")):
                break
        elapsed = time.perf_counter() - start
        proc.wait(timeout=60)
    return elapsed, line.strip()


def time_reference() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import PySide6.QtWidgets"], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    time_app()  # warm the file cache once; not counted
    app, scored, ref, label = [], [], [], ""
    for _ in range(args.repeat):
        ref.append(time_reference())
        seconds, label = time_app()
        app.append(seconds)
        scored.append(time_app("scored")[0])
    a, r = statistics.median(app), statistics.median(ref)
    print(f"window shown with {label!r}: median {a * 1000:.0f} ms over {args.repeat} runs")
    print(f"sample's scores on screen: median {statistics.median(scored) * 1000:.0f} ms")
    print(f"bare `import PySide6.QtWidgets`: median {r * 1000:.0f} ms")
    print(f"ratio app / reference: {a / r:.2f}")


if __name__ == "__main__":
    main()
