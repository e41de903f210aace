"""Light and dark palettes that follow the system's colour scheme.

The Fusion style draws consistently on every platform; its palette is switched to a dark
one when the system asks for dark, and back when it changes while the window is open.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from scorecard_studio.qt import icons


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#202124"), QColor("#2b2c30"), QColor("#e8eaed")
    role = QPalette.ColorRole
    p.setColor(role.Window, window)
    p.setColor(role.WindowText, text)
    p.setColor(role.Base, base)
    p.setColor(role.AlternateBase, QColor("#33353a"))
    p.setColor(role.ToolTipBase, QColor("#3c4043"))
    p.setColor(role.ToolTipText, text)
    p.setColor(role.Text, text)
    p.setColor(role.Button, QColor("#303134"))
    p.setColor(role.ButtonText, text)
    p.setColor(role.BrightText, QColor("#ff8a80"))
    p.setColor(role.Highlight, QColor("#3f7bd6"))
    p.setColor(role.HighlightedText, QColor("#ffffff"))
    p.setColor(role.Link, QColor("#8ab4f8"))
    p.setColor(role.PlaceholderText, QColor("#9aa0a6"))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(disabled, r, QColor("#80868b"))
    return p


def is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def apply_theme(app: QApplication, dark: bool | None = None) -> None:
    """Fusion with the system's light or dark palette (``dark`` forces one)."""
    app.setStyle("Fusion")
    use_dark = is_dark() if dark is None else dark
    app.setPalette(dark_palette() if use_dark else app.style().standardPalette())
    app.setProperty("scorecardDark", use_dark)
    icons.clear_cache()


def follow_system(app: QApplication) -> None:
    """Re-apply the palette when the system switches between light and dark."""
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _s: apply_theme(app))
