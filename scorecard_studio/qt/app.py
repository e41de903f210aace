"""Start the designer window.

Heavy modules (pandas, the engines, pyqtgraph) are imported only once the window exists, so
the first paint is not held up by them. An unexpected exception in an event handler is
written in full to the log file and shown to the user as one sentence; the window stays up.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

log = logging.getLogger("scorecard_studio")


def _log_file() -> Path:
    from platformdirs import user_log_dir

    folder = Path(user_log_dir("Scorecard Studio", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "scorecard-studio.log"


def _setup_logging() -> Path | None:
    try:
        path = _log_file()
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def _install_excepthook(log_path: Path | None) -> None:
    """Bugs become a logged traceback and a message box, never a silent exit."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unhandled exception:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            return
        where = f"\n\nDetails were written to {log_path}." if log_path else ""
        QMessageBox.critical(
            None,
            "Scorecard Studio",
            f"Something went wrong: {exc}.\nYour work is autosaved; you can carry on.{where}",
        )

    sys.excepthook = hook


def run_app(argv: Sequence[str], store_path: str | None = None) -> int:
    """Create the application, show the main window, run the event loop."""
    os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "1")
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from scorecard_studio import __version__

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("Scorecard Studio")
    app.setOrganizationName("Scorecard Studio")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.scorecardstudio.ScorecardStudio")

    from scorecard_studio.qt.theme import apply_theme, follow_system

    apply_theme(app)
    follow_system(app)
    _install_excepthook(_setup_logging())

    from scorecard_studio.qt.main_window import MainWindow
    from scorecard_studio.qt.team_sync import team_store_url, works_on_team_store

    if not store_path and not os.environ.get("SCORECARD_STUDIO_STORE_URL"):
        # The window setting "work directly on the team store", else the store file.
        store_path = team_store_url() if works_on_team_store() else None
        store_path = store_path or os.environ.get("SCORECARD_STUDIO_STORE")
    window = MainWindow(store_path=store_path)
    window.show()
    paths = [a for a in argv if not a.startswith("-")]
    # Open the first document once the event loop runs: the window paints first.
    QTimer.singleShot(0, lambda: window.workspace.start(paths))
    if os.environ.get("SCORECARD_STUDIO_EXIT_WHEN_READY") == "scored":
        # Start-up measurement: report when the first scores are on screen, then quit.
        window.document.resultChanged.connect(lambda r: _report_scored(window, app, r))
    elif os.environ.get("SCORECARD_STUDIO_EXIT_WHEN_READY"):
        # Start-up measurement and smoke tests: report when the window is usable, then quit.
        QTimer.singleShot(0, lambda: _report_ready(window, app))
    code = app.exec()
    # Let background work (a store being opened, a report being written) end before the
    # interpreter shuts down under it.
    window.workspace.shutdown()
    QThreadPool.globalInstance().waitForDone(10000)
    return code


def _report_scored(window: object, app: object, result: object) -> None:
    from PySide6.QtWidgets import QApplication

    labels = getattr(result, "period_labels", ())
    if not labels:
        return  # the design alone: its data is still being read
    assert isinstance(app, QApplication)
    app.processEvents()  # let the views paint the scores before the time is taken
    print(f"scored: {len(labels)} periods", flush=True)
    app.quit()


def _report_ready(window: object, app: object) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    assert isinstance(window, QMainWindow)
    assert isinstance(app, QApplication)
    document = getattr(window, "document", None)
    name = document.card.name if document is not None else ""
    print(f"ready: {name}", flush=True)
    app.quit()
