"""The ``scorecard-studio`` entry point: the window by default, the headless CLI on request.

Kept tiny and import-light so that ``scorecard-studio --version`` and every headless command
start fast: the Qt layer is imported only when the window is really wanted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _wants_window(argv: Sequence[str]) -> bool:
    """True when no sub-command was given: start the designer window."""
    from scorecard_studio.cli.main import command_names

    if not argv:
        return True
    first = argv[0]
    if first in command_names() or first in {"-h", "--help", "--version"}:
        return False
    # "gui", or a design/portable file to open, also mean the window.
    return first in {"gui", "--gui"} or first.endswith((".json", ".scorecard"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI or the window; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # answered before any command module (or Qt) is imported
        from scorecard_studio import __version__

        print(f"scorecard-studio {__version__}")
        return 0
    if _wants_window(args):
        from scorecard_studio.qt.app import run_app

        return run_app([a for a in args if a not in {"gui", "--gui"}])
    from scorecard_studio.cli.main import run_cli

    if args and args[0] == "export":
        from scorecard_studio.cli.export_command import use_pdf_writer

        use_pdf_writer(_pdf_writer)
    return run_cli(args)


def _pdf_writer():  # type: ignore[no-untyped-def]
    """Qt's PDF writer for ``export --format pdf``, headless (no display needed)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from scorecard_studio.qt.report_pdf import write_briefing_pdf

    if QGuiApplication.instance() is None:
        _pdf_writer.app = QGuiApplication([])  # type: ignore[attr-defined]
    return write_briefing_pdf
