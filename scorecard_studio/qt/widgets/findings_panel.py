"""Every design finding of the scorecard in one list, beside the tree in the Design workspace.

Properties lists the findings of the selected item; this list shows all of them, so a user
sees what is left to fix without clicking through the tree. Choosing a finding selects
the item it concerns. The design is checked once per change, after the edit settles.

Escalations follow the design's findings (spec section 7, ``domain/escalation.py``): a KPI
red for the scorecard's escalation periods up to the reporting period with no open action,
and an open action past its due date, each in words that name the KPI. They need the
stored version's actions (:attr:`FindingsPanel.governance`, set by the window) and the
scored result, and are worked out again when either changes. The actions are read from the
store off the UI thread (a team store is a network away); the newest read wins, and a read
for a version no longer open is dropped.

The evidence's findings come last (spec section 6): links the customer data does not
support, leading KPIs with no supported link to a lagging item, redundant KPI pairs. They
are read from the window's :class:`~scorecard_studio.qt.evidence_source.EvidenceSource`
(computed off the UI thread) and shown only while that evidence is of the design and data
as they are, so a finding never outlives the link it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.governance import GovernanceView
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.store_reads import LatestRead, read_shown_governance

if TYPE_CHECKING:
    from scorecard_studio.engines.analytics import Evidence
    from scorecard_studio.qt.evidence_source import EvidenceSource

_ITEM = Qt.ItemDataRole.UserRole


def evidence_findings(evidence: Evidence) -> list[Finding]:
    """What the evidence asks a user to look at: its findings, then the redundant pairs."""
    redundant = [
        Finding(Severity.INFO, "redundant_kpis", p.first, p.suggestion) for p in evidence.redundant
    ]
    return [*evidence.findings, *redundant]


class FindingsPanel(QWidget):
    """The design's findings, errors first, each naming its item."""

    #: The id of the item a chosen finding concerns.
    itemChosen = Signal(str)

    def __init__(
        self,
        document: ScorecardDocument,
        evidence: EvidenceSource | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.evidence = evidence
        #: The current evidence's findings, as listed (also for tests).
        self.evidence_findings: list[Finding] = []
        #: Reads the governance of a stored version (store name, number), off the UI
        #: thread; None when there is no store to read.
        self.governance: Callable[[str | None, int | None], GovernanceView | None] | None = None
        self._view: GovernanceView | None = None
        self.reading = LatestRead(self)
        #: Escalation findings of the current result and governance (also for tests).
        self.escalations: list[Finding] = []
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
        document.resultChanged.connect(lambda _result: self._timer.start())
        if evidence is not None:
            evidence.evidenceReady.connect(lambda _evidence: self._timer.start())
        self.refresh()

    def reload_governance(self) -> None:
        """Read the stored version's actions again (opened, saved, or an action changed),
        in the background; the escalations follow when they arrive."""
        read_shown_governance(self.document, self.governance, self.reading, self._governance_read)

    def _governance_read(self, view: GovernanceView | None) -> None:
        self._view = view
        self.refresh()

    def _escalations(self) -> list[Finding]:
        result = self.document.result
        if self._view is None or result is None or not result.period_labels:
            return []
        from scorecard_studio.engines.governance import escalations, report_period_index

        today = date.today().isoformat()
        return escalations(result, self._view, report_period_index(result), today)

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
        self.escalations = self._escalations()
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
        # After the design's own findings: errors stay on top.
        kpis = {k.id for k in card.all_kpis()}
        for f in self.escalations:
            entry = QListWidgetItem(icons[f.severity], f"Escalation: {f.message}")
            entry.setData(_ITEM, f.item if f.item in kpis else "")
            entry.setToolTip("Escalation (red with no open action, or an overdue action)")
            self.list.addItem(entry)
        current = self.evidence.current() if self.evidence is not None else None
        self.evidence_findings = evidence_findings(current) if current is not None else []
        linkable = kpis | {o.id for p in card.perspectives for o in p.objectives}
        for f in self.evidence_findings:
            entry = QListWidgetItem(icons[f.severity], f"Evidence: {f.message}")
            entry.setData(_ITEM, f.item if f.item in linkable else "")
            entry.setToolTip("From the customer data (Scorecard › Evidence for the details)")
            self.list.addItem(entry)
        count = len(findings) + len(self.escalations) + len(self.evidence_findings)
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
