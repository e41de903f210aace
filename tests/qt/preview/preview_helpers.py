"""Helpers for the preview's Qt tests: results to draw and a 'not blank' measure."""

from __future__ import annotations

import numpy as np
from designer_fixtures import design, tables
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from scorecard_studio.engines.scoring import ScoreResult, score


def fixture_result() -> ScoreResult:
    return score(design(), tables())


def pixels(image: QImage) -> np.ndarray:
    """An image as an (h, w, 4) uint8 array."""
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    width, height = image.width(), image.height()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    rows = buffer.reshape(height, image.bytesPerLine())[:, : width * 4]
    return rows.reshape(height, width, 4).copy()  # the buffer dies with the image


def ink_fraction(widget: QWidget) -> tuple[float, int]:
    """Share of pixels that differ from the most common colour, and the colour count."""
    array = pixels(widget.grab().toImage())[:, :, :3].reshape(-1, 3)
    codes = (array[:, 0].astype(np.int64) << 16) | (array[:, 1].astype(np.int64) << 8) | array[:, 2]
    values, counts = np.unique(codes, return_counts=True)
    background = values[np.argmax(counts)]
    return float((codes != background).mean()), len(values)
