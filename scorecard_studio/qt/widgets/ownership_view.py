"""The scorecard by owner: each accountable person and the KPIs they answer for.

A review board asks "what does Ana own?" before "how is churn?": this view groups the
design's KPIs by their accountable person (the RACI's, else the KPI's owner), with who is
responsible, consulted and informed beside each. KPIs nobody is accountable for come last,
under a heading that says so, since that is a gap to close before a QBR.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from scorecard_studio.domain.model import Kpi, Scorecard

NOBODY = "No one accountable"


def by_accountable(card: Scorecard) -> list[tuple[str, list[Kpi]]]:
    """(person, their KPIs in design order), people by name, the unowned KPIs last."""
    groups: dict[str, list[Kpi]] = {}
    for kpi in card.all_kpis():
        groups.setdefault(kpi.accountable, []).append(kpi)
    named = sorted((p for p in groups if p), key=str.casefold)
    out = [(person, groups[person]) for person in named]
    if "" in groups:
        out.append((NOBODY, groups[""]))
    return out


class OwnershipTree(QTreeWidget):
    """Accountable person → KPI, with responsible, consulted and informed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ownershipTree")
        self.setHeaderLabels(["Accountable / KPI", "Responsible", "Consulted", "Informed"])
        self.setRootIsDecorated(True)

    def fill(self, card: Scorecard) -> None:
        self.clear()
        for person, kpis in by_accountable(card):
            top = QTreeWidgetItem([f"{person} ({len(kpis)})"])
            for kpi in kpis:
                raci = kpi.raci
                top.addChild(
                    QTreeWidgetItem(
                        [
                            kpi.name,
                            ", ".join(raci.responsible),
                            ", ".join(raci.consulted),
                            ", ".join(raci.informed),
                        ]
                    )
                )
            self.addTopLevelItem(top)
        self.expandAll()
        self.resizeColumnToContents(0)
