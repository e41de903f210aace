"""Open each main screen on the bundled sample and save screenshots to docs/screenshots/.

    make screenshots        (or: uv run python scripts/take_screenshots.py)

Runs offscreen on a temporary store and temporary settings, so it never touches the user's
data; every picture shows the real sample scorecard, scored by the real engine.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="scorecard-shots-"))
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
    window.resize(1440, 900)
    window.show()

    def wait(condition: Callable[[], bool], seconds: float = 60.0) -> None:
        end = time.monotonic() + seconds
        while not condition():
            app.processEvents()
            if time.monotonic() > end:
                raise SystemExit("screen did not become ready in time")
            time.sleep(0.02)
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
    window.editor.select_item("nps")
    shot("designer")

    # What-if: the preview with a KPI's target moved (a scenario; the design is unchanged).
    preview = window.preview
    preview.show_whatif(True)  # type: ignore[attr-defined]
    control = preview.whatif.target_controls["target"]  # type: ignore[attr-defined]
    control.slider.setValue(control.slider.value() + 120)
    wait(lambda: preview.state.recomputer.shown_request == preview.state.recomputer.latest_request)  # type: ignore[attr-defined]
    shot("whatif")
    preview.state.reset_scenario()  # type: ignore[attr-defined]
    preview.show_whatif(False)  # type: ignore[attr-defined]

    window.docks["History"].raise_()
    window.history.refresh()
    shot("history")
    title, diff = window.history.compare(1, 3)
    from scorecard_studio.qt.widgets.history_panel import DiffDialog

    dialog = DiffDialog(title, diff.to_text(), window)
    dialog.show()
    wait(dialog.isVisible)
    shot("diff", dialog)
    dialog.close()

    window.show_start_page(True)
    shot("start-page")
    window.show_start_page(False)

    import importlib.util

    if importlib.util.find_spec("scorecard_studio.engines.importing") is None:
        print("import wizard screenshots skipped: the import engine is not installed")
        window.workspace.shutdown()
        return 0
    from scorecard_studio.qt.dialogs.import_wizard import ImportWizard

    wizard = ImportWizard(
        window.document.card, window, path=str(ROOT / "sample_workbooks" / "messy_export.xlsx")
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
    window.workspace.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
