"""The packaged Linux program starts and gives the same results as the source tree.

Builds the bundle with ``packaging/build.py`` into a temporary folder (about two minutes:
the build environment is created from uv.lock and PyInstaller is installed into it), then
runs the frozen program headless on the sample. Marked slow; CI runs it. Without network to
install PyInstaller it is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

from scorecard_studio import __version__

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "resources" / "templates" / "customer_centric.json"
WORKBOOK = ROOT / "sample_workbooks" / "customer_data.xlsx"
NETWORK_WORDS = ("fetch", "connect", "dns", "network", "timed out", "offline", "resolve")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, package_builder: ModuleType) -> Path:
    base = tmp_path_factory.mktemp("package")
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            *("--dist", str(base / "dist"), "--work", str(base / "work")),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    if run.returncode == package_builder.EXIT_INSTALL_FAILED and any(
        word in run.stderr.lower() for word in NETWORK_WORDS
    ):
        pytest.skip(f"PyInstaller could not be installed (no network?): {run.stderr[-300:]}")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    folder = base / "dist" / package_builder.BUNDLE_NAME
    assert folder.is_dir()
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A first start: an empty store, settings and logs of its own, no display."""
    variables = dict(os.environ)
    variables.update(
        QT_QPA_PLATFORM="offscreen",
        SCORECARD_STUDIO_STORE=str(tmp_path / "store.sqlite3"),
        SCORECARD_STUDIO_AUTHOR="Packaging test",
        SOURCE_DATE_EPOCH="1790000000",  # the same "generated at" in both reports
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    return variables


def _frozen(
    bundle: Path, env: dict[str, str], *args: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / "scorecard-studio"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=180,
        check=False,
    )


def _source(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scorecard_studio", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
        check=False,
    )


def test_bundle_holds_the_program_resources_and_desktop_files(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert os.access(bundle / "scorecard-studio", os.X_OK)
    assert (internal / "resources" / "templates" / "customer_centric.json").is_file()
    assert (internal / "resources" / "sample_data" / "customer_data.xlsx").is_file()
    assert (internal / "resources" / "icons" / "scorecard-studio-256.png").is_file()
    app_id = "io.github.scorecardstudio.ScorecardStudio"
    assert (bundle / "share" / "applications" / f"{app_id}.desktop").is_file()
    assert (bundle / "share" / "metainfo" / f"{app_id}.metainfo.xml").is_file()
    assert (bundle / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{app_id}.png").is_file()
    names = {p.name for p in internal.rglob("*")}
    for unused in ("QtWebEngineCore", "QtQml", "QtQuick", "Qt3DCore", "QtMultimedia"):
        assert not any(name.startswith((unused, f"libQt6{unused[2:]}")) for name in names), unused


def test_frozen_program_scores_exactly_like_the_source_tree(
    bundle: Path, env: dict[str, str], tmp_path: Path
) -> None:
    version = _frozen(bundle, env, "--version", cwd=tmp_path)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"scorecard-studio {__version__}"
    args = ("score", str(TEMPLATE), "--data", str(WORKBOOK), "--json")
    frozen = _frozen(bundle, env, *args, cwd=tmp_path)
    assert frozen.returncode == 0, frozen.stderr
    source = _source(*args, env=env)
    assert source.returncode == 0, source.stderr
    frozen_doc: dict[str, Any] = json.loads(frozen.stdout)
    assert frozen_doc == json.loads(source.stdout)
    assert frozen_doc["period"] == "2026-Q3"
    assert frozen_doc["headline"]["coverage"] == 1.0
    check = _frozen(bundle, env, "check", str(TEMPLATE), cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_frozen_program_exports_the_report(
    bundle: Path, env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "qbr.xlsx"
    args = ("export", str(TEMPLATE), "--data", str(WORKBOOK), "--out", str(out), "--json")
    run = _frozen(bundle, env, *args, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["period"] == "2026-Q3"
    reference = tmp_path / "reference.xlsx"
    source = _source(*args[:-3], "--out", str(reference), "--json", env=env)
    assert source.returncode == 0, source.stderr
    frozen_book = openpyxl.load_workbook(out, read_only=True)
    source_book = openpyxl.load_workbook(reference, read_only=True)
    assert frozen_book.sheetnames == source_book.sheetnames == summary["sheets"]
    for sheet in frozen_book.sheetnames:
        frozen_cells = list(frozen_book[sheet].iter_rows(values_only=True))
        assert frozen_cells == list(source_book[sheet].iter_rows(values_only=True)), sheet


def test_frozen_program_saves_to_the_store_and_opens_the_window(
    bundle: Path, env: dict[str, str], tmp_path: Path
) -> None:
    saved = _frozen(
        bundle, env, "store", "save", str(TEMPLATE), "--data", str(WORKBOOK),
        "-m", "First version", "--json", cwd=tmp_path,
    )  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    log = _frozen(bundle, env, "store", "log", "Customer-centric scorecard", "--json", cwd=tmp_path)
    assert log.returncode == 0, log.stderr
    assert "First version" in log.stdout
    window = subprocess.run(
        [str(bundle / "scorecard-studio")],
        capture_output=True,
        text=True,
        env={**env, "SCORECARD_STUDIO_EXIT_WHEN_READY": "1"},
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert window.returncode == 0, window.stderr[-2000:]
    assert "ready:" in window.stdout
