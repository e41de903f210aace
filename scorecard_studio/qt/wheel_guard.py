"""Inputs in scrolling forms ignore the mouse wheel until the user has clicked into them.

A combo box, spin box or slider under the pointer would otherwise take the wheel while the
user scrolls the form past it, and silently change a KPI's source, weight or target. A
guarded input takes the focus only by click or Tab (not by the wheel), and while it does
not have the focus the wheel goes to the scroll area around it instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QSlider,
    QWidget,
)

#: The inputs that change their value on the wheel (scroll bars are left alone: they scroll).
GUARDED_TYPES = (QComboBox, QAbstractSpinBox, QSlider)


class _WheelGuard(QObject):
    """Event filter: an unfocused input hands the wheel to the scroll area around it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QWheelEvent) or not isinstance(watched, QWidget):
            return False
        if _has_focus(watched):
            return False
        area = _scroll_area_around(watched)
        if area is None:
            # Ignored and filtered: Qt offers a wheel event from the window system to the
            # parents instead of the input.
            event.ignore()
            return True
        # Handed over explicitly rather than left to propagate, so the scroll area gets it
        # however it was delivered (Qt propagates only events from the window system).
        viewport = area.viewport()
        forwarded = QWheelEvent(
            viewport.mapFromGlobal(event.globalPosition()),
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
        )
        QApplication.sendEvent(viewport, forwarded)
        return True


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def _has_focus(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return widget.hasFocus() or (focus is not None and widget.isAncestorOf(focus))


def guard_wheel(*widgets: QWidget) -> None:
    """Make these inputs ignore the wheel unless they have the focus."""
    for widget in widgets:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(_WheelGuard(widget))


def guard_wheel_in(root: QWidget) -> None:
    """Guard every combo box, spin box and slider inside ``root`` (a form)."""
    guard_wheel(*(w for w in root.findChildren(QWidget) if isinstance(w, GUARDED_TYPES)))
