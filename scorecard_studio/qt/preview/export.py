"""Export a chart to PNG or SVG at a chosen size, for slides.

The chart is laid out again at the target size before it is drawn, rather than scaled as a
picture: axis labels and legends keep their point size and the plot uses the extra room,
which is what a 1920 × 1080 slide needs. SVG goes through Qt's own SVG generator (QtSvg
ships with PySide6-Essentials), so text and lines stay vector.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QResizeEvent
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGraphicsItem,
    QGraphicsView,
    QMessageBox,
    QSpinBox,
    QWidget,
)

FORMATS = ("PNG", "SVG")
DEFAULT_SIZE = QSize(1600, 900)


def _at_size(widget: QWidget, size: QSize, paint: Callable[[], None]) -> None:
    """Run ``paint`` with ``widget`` laid out at ``size``, then put it back."""
    old = widget.size()
    _resize(widget, size, old)
    # Items cached as pixmaps (the axes) would reach an SVG as pictures and a large PNG
    # as stretched pixels: draw them afresh for the export.
    cached: list[tuple[QGraphicsItem, QGraphicsItem.CacheMode]] = []
    if isinstance(widget, QGraphicsView):
        for item in widget.scene().items():
            if item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                cached.append((item, item.cacheMode()))
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        paint()
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)
        _resize(widget, old, size)


def _resize(widget: QWidget, size: QSize, before: QSize) -> None:
    widget.resize(size)
    if not widget.isVisible():
        # A hidden widget only records the new size; deliver the resize now, as showing it
        # would, so the plot lays itself out for the export.
        widget.resizeEvent(QResizeEvent(size, before))
    QApplication.sendPostedEvents(None, 0)
    plot = getattr(widget, "getPlotItem", None)
    if plot is not None:
        plot().layout.activate()


def _draw(widget: QWidget, painter: QPainter, width: int, height: int) -> None:
    """Draw the whole widget; a graphics view draws its scene (every pyqtgraph chart)."""
    if isinstance(widget, QGraphicsView):
        widget.render(painter, QRectF(0, 0, width, height), QRect(0, 0, width, height))
    else:
        widget.render(painter, QPoint(0, 0))


def render_image(widget: QWidget, width: int, height: int) -> QImage:
    """The widget drawn into an image of exactly ``width`` × ``height`` pixels."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(1.0)
    image.fill(QColor(Qt.GlobalColor.white))

    def paint() -> None:
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        _draw(widget, painter, width, height)
        painter.end()

    _at_size(widget, QSize(width, height), paint)
    return image


def export_png(widget: QWidget, path: str | Path, width: int, height: int) -> Path:
    target = Path(path).with_suffix(".png")  # the suffix picks the image format
    if not render_image(widget, width, height).save(str(target)):
        raise OSError(f"could not write {target}")
    return target


def export_svg(widget: QWidget, path: str | Path, width: int, height: int, title: str = "") -> Path:
    target = Path(path)
    generator = QSvgGenerator()
    generator.setFileName(str(target))
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setTitle(title or "Scorecard Studio chart")
    generator.setDescription("Exported from Scorecard Studio")

    def paint() -> None:
        painter = QPainter(generator)
        _draw(widget, painter, width, height)
        painter.end()

    _at_size(widget, QSize(width, height), paint)
    if not target.exists() or target.stat().st_size == 0:
        raise OSError(f"could not write {target}")
    return target


def export_chart(widget: QWidget, path: str | Path, width: int, height: int) -> Path:
    """PNG or SVG by the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        return export_svg(widget, path, width, height, getattr(widget, "title", ""))
    if suffix == ".png":
        return export_png(widget, path, width, height)
    raise ValueError(f"cannot export to {suffix or 'a file without an extension'}")


def file_stem(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "chart"


class ExportDialog(QDialog):
    """Size and format, then a file name; the chart on screen is left as it was."""

    def __init__(self, chart: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setWindowTitle("Export chart")
        self.width_box = QSpinBox()
        self.height_box = QSpinBox()
        for box, value in (
            (self.width_box, DEFAULT_SIZE.width()),
            (self.height_box, DEFAULT_SIZE.height()),
        ):
            box.setRange(200, 8000)
            box.setSingleStep(100)
            box.setSuffix(" px")
            box.setValue(value)
        self.format_box = QComboBox()
        self.format_box.addItems(FORMATS)
        form = QFormLayout(self)
        form.addRow("Width", self.width_box)
        form.addRow("Height", self.height_box)
        form.addRow("Format", self.format_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _save(self) -> None:
        fmt = self.format_box.currentText().lower()
        name = f"{file_stem(getattr(self.chart, 'title', 'chart'))}.{fmt}"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export chart", name, f"{fmt.upper()} image (*.{fmt})"
        )
        if not path:
            return
        if not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        try:
            export_chart(self.chart, path, self.width_box.value(), self.height_box.value())
        except OSError as exc:
            QMessageBox.warning(self, "Export chart", str(exc))
            return
        self.accept()
