"""Guard against the PySide6 release that leaks references to ``None``.

PySide6 6.12.0 on CPython 3.11 drops a reference to ``None`` on every Qt call that returns
nothing, and the process aborts ("deallocating None") after a few thousand such calls, i.e.
within seconds of live chart updates. This test makes 100,000 such calls and requires the
reference count of ``None`` to be unchanged, so an upgrade that brings the bug back fails CI.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QPointF
from PySide6.QtWidgets import QApplication, QWidget


def test_qt_calls_returning_nothing_keep_none_alive(qapp: QApplication) -> None:
    widget = QWidget()
    obj = QObject()
    point = QPointF()
    before = sys.getrefcount(None)
    for i in range(25_000):
        widget.setMinimumWidth(i % 100)  # void methods of three different classes
        obj.setObjectName("x")
        point.setX(float(i))
        widget.update()
    after = sys.getrefcount(None)
    assert abs(after - before) < 100, f"None refcount moved by {after - before}"
