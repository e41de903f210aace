"""Every design finding of the scorecard in one list, beside the tree in the Design workspace.

Properties lists the findings of the selected item; this list shows all of them, so a user
sees what is left to fix without clicking through the tree. Choosing a finding selects
the item it concerns. The design is checked once per change, after the edit settles.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from scorecard_studio.domain.findings import Severity
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.qt.document import ScorecardDocument

_ITEM = Qt.ItemDataRole.UserRole


class FindingsPanel(QWidget):
    """The design's findings, errors first, each naming its item."""

    #: The id of the item a chosen finding concerns.
    itemChosen = Signal(str)

    def __init__(self, document: ScorecardDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.title = QLabel("<b>Findings</b>")
        self.list = QListWidget()
        self.list.setObjectName("designFindings")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        document.designChanged.connect(lambda _card: self._timer.start())
        self.refresh()

    def refresh(self) -> None:
        from scorecard_studio.domain.checks import check_design
        from scorecard_studio.domain.edits import item_label

        card: Scorecard = self.document.card
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        findings = sorted(check_design(card), key=lambda f: order[f.severity])
        style = self.style()
        icons = {
            Severity.ERROR: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            Severity.WARNING: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            Severity.INFO: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
        }
        self.list.clear()
        for f in findings:
            where = _where(card, f.item, item_label)
            # A message that names its item already ("perspective 'Customer' has no KPIs")
            # is not prefixed with the name a second time.
            name = where.split("'", 1)[-1].rstrip("'")
            text = f.message if name and name in f.message else f"{where}: {f.message}"
            entry = QListWidgetItem(icons[f.severity], text)
            entry.setData(_ITEM, f.item)
            entry.setToolTip(f"{f.severity.value.capitalize()}: {f.message}")
            self.list.addItem(entry)
        count = len(findings)
        self.title.setText(f"<b>Findings</b> ({count})" if count else "<b>Findings</b>")
        if not count:
            self.list.addItem("The design has no findings.")

    def _chosen(self, entry: QListWidgetItem) -> None:
        item_id = entry.data(_ITEM)
        if item_id:
            self.itemChosen.emit(str(item_id))


def _where(card: Scorecard, item_id: str, label: object) -> str:
    """The item a finding concerns in words: a tree item, a tier, a source or the card."""
    from scorecard_studio.domain.errors import DesignError

    if not item_id:
        return "Scorecard"
    try:
        return str(label(card, item_id))  # type: ignore[operator]
    except DesignError:
        pass
    for tier in card.tiers:
        if tier.id == item_id:
            return f"Tier '{tier.name}'"
    for source in card.sources:
        if source.id == item_id:
            return f"Data source '{source.name}'"
    return "Scorecard"
