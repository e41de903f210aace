"""Who is responsible, accountable, consulted and informed about a KPI, in Properties.

The QBR names the accountable person beside every number, so that field takes exactly
one person: RACI's own rule, since an accountability shared is nobody's. The other three
take several people or teams, separated by commas (or semicolons, as address books write
them). A refused entry says why beside the fields and changes nothing.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from scorecard_studio.domain.model import Raci

_SEPARATORS = re.compile(r"[,;]")
_FIELDS = (
    ("responsible", "Responsible", "people or teams, separated by commas"),
    ("accountable", "Accountable", "one person: the QBR names them"),
    ("consulted", "Consulted", "people or teams, separated by commas"),
    ("informed", "Informed", "people or teams, separated by commas"),
)
ONE_ACCOUNTABLE = "Accountable is one person: a shared accountability is nobody's."


def names(text: str) -> tuple[str, ...]:
    """``"Ana, Support team;  Bo"`` → ``("Ana", "Support team", "Bo")``: trimmed, no blanks,
    each name once, in the order written."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


class RaciFields(QGroupBox):
    """The four RACI fields; ``changed`` carries the new RACI once a field is left."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Ownership (RACI)", parent)
        form = QFormLayout(self)
        self.fields: dict[str, QLineEdit] = {}
        for key, label, hint in _FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"raci_{key}")
            edit.setPlaceholderText(hint)
            edit.editingFinished.connect(self._edited)
            form.addRow(label, edit)
            self.fields[key] = edit
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("raciMessage")
        self.message.hide()
        form.addRow(self.message)
        self._shown = Raci()

    def load(self, raci: Raci) -> None:
        """Show a KPI's RACI (no signal)."""
        self._shown = raci
        self.message.hide()
        texts = {
            "responsible": ", ".join(raci.responsible),
            "accountable": raci.accountable,
            "consulted": ", ".join(raci.consulted),
            "informed": ", ".join(raci.informed),
        }
        for key, edit in self.fields.items():
            if edit.text() != texts[key]:
                edit.setText(texts[key])

    def current(self) -> Raci | None:
        """The RACI the fields say, or None (with the reason shown) when it is refused."""
        accountable = names(self.fields["accountable"].text())
        if len(accountable) > 1:
            self.message.setText(ONE_ACCOUNTABLE)
            self.message.show()
            return None
        self.message.hide()
        return Raci(
            responsible=names(self.fields["responsible"].text()),
            accountable=accountable[0] if accountable else "",
            consulted=names(self.fields["consulted"].text()),
            informed=names(self.fields["informed"].text()),
        )

    def _edited(self) -> None:
        raci = self.current()
        if raci is not None and raci != self._shown:
            self._shown = raci
            self.changed.emit(raci)
