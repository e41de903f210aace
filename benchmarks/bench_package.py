"""Size and start time of the packaged Linux program beside the source tree.

Builds the bundle with ``packaging/build.py`` (into ``build/`` and ``dist/``; skipped with
``--bundle DIR`` to measure an existing one), then times, for the frozen program and for the
source tree (``python -m scorecard_studio``) in the same run:

* window start: process start to the "ready" line of a first start, offscreen, with
  ``SCORECARD_STUDIO_EXIT_WHEN_READY`` (as ``bench_startup.py`` does);
* ``--version`` (the launcher alone) and ``score`` of the customer-centric template on the
  sample workbook (headless, JSON).

    uv run python benchmarks/bench_package.py --repeat 7
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "resources" / "templates" / "customer_centric.json"
WORKBOOK = ROOT / "sample_workbooks" / "customer_data.xlsx"


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


def time_window(command: Sequence[str]) -> float:
    """Seconds from spawning the program to its "ready" line, on a first start."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env=_environment(Path(tmp)),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        ready = False
        for line in proc.stdout:
            if line.startswith("ready:"):
                ready = True
                break
        elapsed = time.perf_counter() - start
        proc.wait(timeout=60)
    if not ready:
        raise SystemExit(f"{command[0]}: the window never reported ready")
    return elapsed


def time_command(command: Sequence[str]) -> float:
    """Seconds for a headless command to run to its end."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            list(command),
            cwd=ROOT,
            env=_environment(Path(tmp)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        return time.perf_counter() - start


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def packed_size(folder: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "bundle.tar.gz"
        with tarfile.open(target, "w:gz") as tf:
            tf.add(folder, arcname=folder.name)
        return target.stat().st_size


def median(fn: object, command: Sequence[str], repeat: int) -> float:
    assert callable(fn)
    fn(command)  # warm the file cache: both sides are measured warm
    return statistics.median(fn(command) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--bundle", type=Path, help="measure this built bundle folder")
    args = parser.parse_args()

    bundle = args.bundle
    build_seconds = None
    if bundle is None:
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], check=True)
        build_seconds = time.perf_counter() - started
        bundle = ROOT / "dist" / "ScorecardStudio"
    frozen = [str(bundle / "scorecard-studio")]
    source = [sys.executable, "-m", "scorecard_studio"]
    score = ["score", str(TEMPLATE), "--data", str(WORKBOOK), "--json"]

    size = folder_size(bundle)
    internal = bundle / "_internal"
    # PyInstaller links shared libraries to their one copy: count each file once.
    parts = [p for p in internal.iterdir() if not p.is_symlink()]
    biggest = sorted(
        ((folder_size(p) if p.is_dir() else p.stat().st_size, p.name) for p in parts),
        reverse=True,
    )[:6]
    print(f"bundle: {bundle}")
    if build_seconds is not None:
        print(f"build (environment cached or not, see build/): {build_seconds:.0f} s")
    packed = packed_size(bundle)
    print(f"size on disk: {size / 2**20:.0f} MiB; packed (.tar.gz): {packed / 2**20:.0f} MiB")
    print("largest parts: " + ", ".join(f"{name} {b / 2**20:.0f} MiB" for b, name in biggest))
    rows = [
        ("window start (first start, to ready)", time_window, [], []),
        ("`--version`", time_command, ["--version"], ["--version"]),
        ("`score` customer-centric on the sample (JSON)", time_command, score, score),
    ]
    print("\n| what | packaged | source tree | ratio |\n| --- | --- | --- | --- |")
    for label, fn, frozen_args, source_args in rows:
        packaged = median(fn, [*frozen, *frozen_args], args.repeat)
        tree = median(fn, [*source, *source_args], args.repeat)
        print(f"| {label} | {packaged:.2f} s | {tree:.2f} s | {packaged / tree:.2f} |")


if __name__ == "__main__":
    main()
