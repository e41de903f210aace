"""Start the designer window.

Heavy modules (pandas, the engines, pyqtgraph) are imported only once the window exists, so
the first paint is not held up by them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def run_app(argv: Sequence[str]) -> int:
    """Create the application, show the main window, run the event loop."""
    os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "1")
    from PySide6.QtWidgets import QApplication

    from scorecard_studio import __version__

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("Scorecard Studio")
    app.setOrganizationName("Scorecard Studio")
    app.setApplicationVersion(__version__)

    from scorecard_studio.qt.main_window import MainWindow

    window = MainWindow()
    window.show()
    paths = [a for a in argv if not a.startswith("-")]
    if paths:
        window.open_design_path(paths[0])
    else:
        window.open_default()
    return app.exec()
