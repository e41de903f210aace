"""Do the whole job in the window with real X input: import, build by drag and drop, targets,
dashboard, save, freeze, export; a screenshot of the screen after each step.

    uv run python scripts/drive_window.py [--out DIR]

Needs Xvfb, xdotool and ImageMagick's ``import``. Starts its own X server (display :99,
1600 × 1000) unless ``DISPLAY`` is already set, and works on a temporary store and
settings. The window runs in this process so the script knows where each widget is on the
screen; every click, drag and keystroke is sent by xdotool through the X server, as a
user's would be. Steps run from a timer so that they go on while a modal dialog (the file
chooser, the import wizard) runs its own event loop.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "customer_data.xlsx"

Step = Iterator[None]


def xdo(*args: object) -> None:
    subprocess.run(["xdotool", *map(str, args)], check=True)


def main() -> int:
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else None
    tmp = Path(tempfile.mkdtemp(prefix="scorecard-drive-"))
    out = out or tmp / "shots"
    out.mkdir(parents=True, exist_ok=True)
    server = None
    if not os.environ.get("DISPLAY"):
        server = subprocess.Popen(["Xvfb", ":99", "-screen", "0", "1600x1000x24"])
        os.environ["DISPLAY"] = ":99"
        time.sleep(1.5)
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        return _run(tmp, out)
    finally:
        if server is not None:
            server.terminate()


def _run(tmp: Path, out: Path) -> int:
    from PySide6.QtCore import QCoreApplication, QPoint, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    app = QApplication([sys.argv[0]])
    QCoreApplication.setOrganizationName("Scorecard Studio Drive")
    from scorecard_studio.qt.main_window import MainWindow

    window = MainWindow(store_path=str(tmp / "store.sqlite3"))
    window.resize(1400, 900)
    window.move(0, 0)
    window.show()
    report = tmp / "qbr.xlsx"
    failures: list[str] = []

    def shot(name: str) -> None:
        print(f"step: {name}", flush=True)
        path = out / f"{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=True)
        print(path)

    def centre(widget: QWidget, local: QPoint | None = None) -> tuple[int, int]:
        point = widget.mapToGlobal(local if local is not None else widget.rect().center())
        return point.x(), point.y()

    def click(x: int, y: int) -> None:
        xdo("mousemove", x, y, "click", 1)

    def until(condition: Callable[[], bool], seconds: float = 30) -> Step:
        end = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError("the window did not get there in time")
            yield

    def press_until(key: str, target: QWidget, done: Callable[[], bool]) -> Step:
        """Press ``key`` until it has taken effect: a key sent while Qt is still laying out
        a new wizard page can be lost, as it can be for a person typing too early."""
        for _attempt in range(5):
            xdo("windowfocus", int(target.winId()))
            xdo("key", key)
            try:
                yield from until(done, 3)
                return
            except TimeoutError:
                continue
        raise TimeoutError(f"{key} did not take effect")

    def modal(kind: str) -> Callable[[], bool]:
        """A dialog of this kind is up; it is given the X focus (there is no window manager
        to do so), so the keys typed next reach it."""

        def shown() -> bool:
            widget = QApplication.activeModalWidget()
            if widget is None or type(widget).__name__ != kind or not widget.isVisible():
                return False
            xdo("windowfocus", int(widget.winId()))
            return True

        return shown

    def job() -> Step:
        yield from until(window.isVisible)
        # No window manager on a bare X server: give the window the keyboard focus.
        xdo("windowfocus", int(window.winId()))
        yield from until(window.isActiveWindow, 10)
        xdo("key", "ctrl+n")  # a new scorecard with the four classic perspectives
        yield from until(lambda: len(window.document.card.perspectives) == 4)
        shot("01-new")

        xdo("key", "ctrl+i")  # the import wizard opens on its file field
        yield from until(modal("ImportWizard"))
        wizard = QApplication.activeModalWidget()
        yield from until(lambda: QApplication.activeWindow() is wizard, 10)
        xdo("type", "--delay", "20", str(SAMPLE))
        xdo("key", "Return")
        while wizard.nextId() != -1:  # type: ignore[union-attr]
            yield from until(lambda: wizard.currentPage().isComplete())  # type: ignore[union-attr]
            shot(f"02-wizard-{wizard.currentId()}")  # type: ignore[union-attr]
            yield from press_until("alt+n", wizard, _page_left(wizard))
        yield from until(lambda: wizard.currentPage().isComplete())  # type: ignore[union-attr]
        shot("02-wizard-checked")
        # Finish (Return goes to the report table that has the focus).
        yield from press_until("alt+f", wizard, lambda: not wizard.isVisible())
        yield from until(lambda: bool(window.document.card.sources))

        # Data: drag a column onto the Customer perspective (the keyboard focus goes back to
        # the window by hand: a bare X server has no window manager to return it).
        yield from press_until("ctrl+2", window, lambda: window.rooms.current_key == "data")
        tree = window.data_panel.tree
        top = tree.topLevelItem(0)
        column = next(
            top.child(i) for i in range(top.childCount()) if top.child(i).text(0) == "arr"
        )
        tree.scrollToItem(column)
        yield
        sx, sy = centre(tree.viewport(), tree.visualItemRect(column).center())
        view = window.editor.view
        customer = window.editor.model.index(1, 0)
        tx, ty = centre(view.viewport(), view.visualRect(customer).center())
        xdo("mousemove", sx, sy, "mousedown", 1)
        for i in range(1, 13):
            xdo("mousemove", sx + (tx - sx) * i // 12, sy + (ty - sy) * i // 12)
            yield
            time.sleep(0.03)
        xdo("mouseup", 1)
        yield from until(lambda: bool(window.document.card.perspectives[1].kpis))
        shot("03-dropped")
        kpi = window.document.card.perspectives[1].kpis[0]

        # Targets: type baseline, Tab, target, Enter
        yield from press_until("ctrl+3", window, lambda: window.rooms.current_key == "targets")
        table = window.targets.table
        model = window.targets.model
        names = [model.headerData(r, 2) for r in range(model.rowCount())]  # 2: vertical
        row = names.index(kpi.name)
        click(*centre(table.viewport(), table.visualRect(model.index(row, 0)).center()))
        yield
        xdo("type", "900000")
        xdo("key", "Tab")
        xdo("type", "1200000")
        xdo("key", "Return")
        yield from until(lambda: window.document.card.kpi(kpi.id).targets.default.target == 1200000)
        shot("04-targets")

        yield from press_until(  # Dashboard
            "ctrl+4", window, lambda: hasattr(window.preview, "charts") and window.preview.charts
        )
        for _ in range(30):
            yield
        shot("05-dashboard")

        yield from press_until("ctrl+s", window, modal("QInputDialog"))  # Save: message, Enter
        xdo("type", "first version")
        click(*_ok_button(QApplication.activeModalWidget()))  # the text has many lines
        yield from until(lambda: window.document.base_version == 1)

        # History: select v1, Freeze
        yield from press_until("ctrl+5", window, lambda: window.rooms.current_key == "history")
        yield from until(lambda: window.history.tree.topLevelItemCount() == 1)
        history = window.history.tree
        click(*centre(history.viewport(), history.visualItemRect(history.topLevelItem(0)).center()))
        yield
        toolbar_button = _button_for(window, window.freeze_action)
        click(*centre(toolbar_button))
        yield from until(modal("QInputDialog"))
        xdo("type", "QBR 2026 Q3")
        xdo("key", "Return")
        yield from until(lambda: history.topLevelItem(0).text(4) == "QBR 2026 Q3")
        shot("06-frozen")

        yield from press_until("ctrl+e", window, modal("QFileDialog"))  # Export the report
        xdo("key", "ctrl+a")
        xdo("type", str(report))
        xdo("key", "Return")
        yield from until(report.exists, 120)
        for _ in range(20):
            yield
        shot("07-exported")

    steps = job()

    def tick() -> None:
        try:
            next(steps)
        except StopIteration:
            timer.stop()
            app.exit(0)
        except Exception as exc:  # report any failed step, then end
            import traceback

            failures.append("".join(traceback.format_exception(exc)))
            shot("failed")
            timer.stop()
            app.exit(1)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    code = app.exec()
    window.workspace.shutdown()
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"report: {report if report.exists() else 'not written'}; screenshots in {out}")
    return code


def _page_left(wizard: object) -> Callable[[], bool]:
    """True once the wizard shows another page than it does now."""
    page = wizard.currentId()  # type: ignore[attr-defined]
    return lambda: wizard.currentId() != page  # type: ignore[attr-defined,no-any-return]


def _ok_button(dialog: object) -> tuple[int, int]:
    """Where on the screen the dialog's OK button is."""
    from PySide6.QtWidgets import QDialogButtonBox

    box = dialog.findChild(QDialogButtonBox)  # type: ignore[attr-defined]
    if box is None:
        raise LookupError("no buttons in the dialog")
    button = box.button(QDialogButtonBox.StandardButton.Ok)
    point = button.mapToGlobal(button.rect().center())
    return point.x(), point.y()


def _button_for(window: object, action: object) -> object:
    """The toolbar button of ``action`` on the window's main toolbar."""
    from PySide6.QtWidgets import QToolBar

    for bar in window.findChildren(QToolBar):  # type: ignore[attr-defined]
        widget = bar.widgetForAction(action)
        if widget is not None and widget.isVisible():
            return widget
    raise LookupError("no visible toolbar button for the action")


if __name__ == "__main__":
    raise SystemExit(main())
