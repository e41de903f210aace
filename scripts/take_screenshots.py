"""Open every workspace on the bundled sample and save screenshots to docs/screenshots/.

    make screenshots        (or: uv run python scripts/take_screenshots.py)
    uv run python scripts/take_screenshots.py --only=design   (one workspace, all sizes)

Each workspace is pictured at 1024 × 700, at 1600 × 1000 and at 2× scale (1024 × 700 logical
pixels, drawn at twice the density), plus the start page, what-if, a diff and the import
wizard. Runs offscreen on a temporary store and temporary settings, so it never touches
the user's data; every picture shows the real sample scorecard, scored by the real engine.
The 2× pictures come from a second run of this script with ``QT_SCALE_FACTOR=2``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = ((1024, 700), (1600, 1000))
WORKSPACES = ("design", "data", "targets", "dashboard", "history", "governance", "report")


def _screen_config(folder: Path, width: int, height: int) -> str:
    """An offscreen screen of ``width`` × ``height`` device pixels (the default is 800²)."""
    path = folder / "screen.json"
    screen = {"name": "shots", "x": 0, "y": 0, "width": width, "height": height}
    path.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96}]}), encoding="utf-8")
    return f"offscreen:configfile={path}"


def _only() -> list[str]:
    """The workspaces ``--only=a,b`` names (all of them without it), extras skipped."""
    chosen = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")]
    if not chosen:
        return list(WORKSPACES)
    keys = [k for k in chosen[0].split(",") if k]
    unknown = [k for k in keys if k not in WORKSPACES]
    if unknown:
        raise SystemExit(f"--only: unknown workspace {unknown[0]!r} ({', '.join(WORKSPACES)})")
    return keys


def main() -> int:
    scale = 2 if "--scale2" in sys.argv else 1
    workspaces = _only()
    tmp = Path(tempfile.mkdtemp(prefix="scorecard-shots-"))
    if os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
        # A screen just large enough for the biggest picture, so a window never opens
        # larger than its screen (the window fits itself inside the screen's free area).
        width, height = (2048, 1400) if scale == 2 else (1600, 1000)
        os.environ["QT_QPA_PLATFORM"] = _screen_config(tmp, width, height)
    if scale == 2:
        os.environ["QT_SCALE_FACTOR"] = "2"
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    app = QApplication([sys.argv[0]])
    QCoreApplication.setOrganizationName("Scorecard Studio Screenshots")
    from scorecard_studio.qt.theme import apply_theme

    dark = "--dark" in sys.argv
    apply_theme(app, dark=dark)
    from scorecard_studio.qt.main_window import MainWindow

    window = MainWindow(store_path=str(tmp / "store.sqlite3"))
    window.show()

    def wait(condition: Callable[[], bool], seconds: float = 60.0) -> None:
        end = time.monotonic() + seconds
        while not condition():
            app.processEvents()
            if time.monotonic() > end:
                raise SystemExit("screen did not become ready in time")
            time.sleep(0.02)
        settle()

    def settle() -> None:
        for _ in range(10):
            app.processEvents()
            time.sleep(0.02)

    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "-dark" if dark else ""

    def shot(name: str, widget: object = None) -> None:
        target = widget if widget is not None else window
        target.grab().save(str(OUT / f"{name}{suffix}.png"))  # type: ignore[attr-defined]
        print(f"docs/screenshots/{name}{suffix}.png")

    window.workspace.start([])
    wait(lambda: window.document.store_name is not None and window.document.result is not None)
    wait(lambda: type(window.preview).__name__ != "ResultsView", 30)
    window.history.refresh()
    window.editor.select_item("nps")
    # The strategy map's arrows show their evidence once it is computed (in the background).
    evidence = window.workspace.evidence
    wait(lambda: evidence.current() is not None and not evidence.busy, 60)

    sizes = [(1024, 700)] if scale == 2 else list(SIZES)
    for width, height in sizes:
        window.resize(width, height)
        settle()
        for key in workspaces:
            window.show_workspace(key)
            settle()
            if key == "report":  # its pages are drawn a moment after it is shown
                wait(lambda: bool(window.report.images), 30)
            label = "2x" if scale == 2 else f"{width}x{height}"
            shot(f"{key}-{label}")
    only = [a for a in sys.argv if a.startswith("--only=")]
    if scale == 2 or only:
        window.workspace.shutdown()
        if scale == 1 and "--no-scale2" not in sys.argv:
            return _scale2_run(dark, only)
        return 0

    window.resize(1600, 1000)
    window.show_workspace("dashboard")
    settle()
    # What-if: the dashboard with a KPI's target moved (a scenario; the design is unchanged).
    preview = window.preview
    preview.show_whatif(True)  # type: ignore[attr-defined]
    control = preview.whatif.target_controls["target"]  # type: ignore[attr-defined]
    control.slider.setValue(control.slider.value() + 120)
    wait(lambda: preview.state.recomputer.shown_request == preview.state.recomputer.latest_request)  # type: ignore[attr-defined]
    shot("whatif")
    window.resize(1024, 700)
    settle()
    shot("whatif-1024x700")
    preview.state.reset_scenario()  # type: ignore[attr-defined]
    preview.show_whatif(False)  # type: ignore[attr-defined]
    window.resize(1600, 1000)

    title, diff = window.history.compare(1, 3)
    from scorecard_studio.qt.widgets.history_panel import DiffDialog

    dialog = DiffDialog(title, diff.to_text(), window)
    dialog.show()
    wait(dialog.isVisible)
    shot("diff", dialog)
    dialog.close()

    # A Recent list as a user has it: a design, a workbook imported, a store and a team store.
    import shutil

    from scorecard_studio.qt import recent

    folder = tmp / "QBR"  # copies, so the picture shows no checkout's paths
    folder.mkdir()
    for source in (
        ROOT / "resources" / "templates" / "four_perspective.json",
        ROOT / "sample_workbooks" / "customer_data.xlsx",
    ):
        recent.add_recent_file(shutil.copy(source, folder))
    recent.add_recent_store("postgresql://ana@db.example.com/scorecards")
    recent.add_recent_store(str(tmp / "store.sqlite3"))
    window.show_start_page(True)
    settle()
    shot("start-page")
    window.show_start_page(False)

    import importlib.util

    if importlib.util.find_spec("scorecard_studio.engines.importing") is None:
        print("import wizard screenshots skipped: the import engine is not installed")
    else:
        _wizard_shots(window, wait, shot)
    window.workspace.shutdown()
    if "--no-scale2" not in sys.argv:
        return _scale2_run(dark, [])
    return 0


def _scale2_run(dark: bool, only: list[str]) -> int:
    """The 2× pictures: this script again, in a process of its own at twice the density."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",)}
    if not os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
        env["QT_QPA_PLATFORM"] = os.environ["QT_QPA_PLATFORM"]
    args = [sys.executable, __file__, "--scale2", *(["--dark"] if dark else []), *only]
    return subprocess.run(args, env=env, check=False).returncode


def _wizard_shots(window: object, wait: Callable[..., None], shot: Callable[..., None]) -> None:
    from scorecard_studio.qt.dialogs.import_wizard import ImportWizard

    wizard = ImportWizard(
        window.document.card,  # type: ignore[attr-defined]
        window,  # type: ignore[arg-type]
        path=str(ROOT / "sample_workbooks" / "messy_export.xlsx"),
    )
    wizard.show()
    wait(wizard.sheet_page.isComplete)
    shot("import-preview", wizard)
    wizard.next()
    shot("import-roles", wizard)
    wizard.next()
    wait(wizard.validation_page.isComplete)
    shot("import-validation", wizard)
    wizard.reject()


if __name__ == "__main__":
    raise SystemExit(main())
