"""Action icons: line drawings in ``resources/icons/actions``, tinted for the palette.

The SVGs draw in ``currentColor``; they are rendered here in the palette's text colour at
several sizes and device pixel ratios, so they stay crisp on high-DPI screens and readable
in light and dark palettes alike.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import (
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer

from scorecard_studio.resources import resource

#: What an action's shortcut may be given as.
Shortcut = QKeySequence | QKeySequence.StandardKey | str

_SIZES = (16, 20, 24, 32)
_RATIOS = (1.0, 2.0)


def _text_colour() -> str:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return "#202124"
    return app.palette().color(QPalette.ColorRole.WindowText).name()


def icon(name: str) -> QIcon:
    """The named action icon in the current palette's text colour (empty if unknown)."""
    return _icon(name, _text_colour())


@cache
def _icon(name: str, colour: str) -> QIcon:
    path = resource("icons", "actions", f"{name}.svg")
    if not path.is_file():
        return QIcon()
    svg = path.read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    result = QIcon()
    for size in _SIZES:
        for ratio in _RATIOS:
            pixels = round(size * ratio)
            image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, pixels, pixels))
            painter.end()
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            result.addPixmap(pixmap)
    return result


def app_icon() -> QIcon:
    """The application icon, from the generated sizes when present."""
    result = QIcon()
    folder = resource("icons")
    for png in sorted(folder.glob("scorecard-studio-*.png")):
        result.addFile(str(png))
    svg = folder / "scorecard-studio.svg"
    if result.isNull() and svg.is_file():
        result.addFile(str(svg), QSize(256, 256))
    return result


def clear_cache() -> None:
    """Forget rendered icons (after the palette changed between light and dark)."""
    _icon.cache_clear()
