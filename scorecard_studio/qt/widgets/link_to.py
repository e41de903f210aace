"""*Link to…*: state a strategy-map link from the keyboard, without dragging.

The selected KPI or objective (in the tree or on the map) is the cause; a list asks for
the effect among the other KPIs and objectives, in design order, those the cause already
points to left out. The link is added (positive, as a drag adds it) through the document,
so it is one undo step like every other edit. Ctrl+L in the tree and on the map.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QWidget

from scorecard_studio.domain.edits import item_kind_and_name
from scorecard_studio.domain.link_edits import add_link
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.qt.document import ScorecardDocument

#: The shortcut of the *Link to…* action, in the tree and on the map.
LINK_TO_SHORTCUT = QKeySequence("Ctrl+L")
LINK_TO_TEXT = "Link to…"


def link_targets(card: Scorecard, cause: str) -> list[tuple[str, str]]:
    """(label, id) of what ``cause`` may be linked to: every other KPI or objective it does
    not point to yet, in design order, labelled with its kind and perspective."""
    taken = {k.effect for k in card.analytics.links if k.cause == cause} | {cause}
    out: list[tuple[str, str]] = []
    for p in card.perspectives:
        for o in p.objectives:
            if o.id not in taken:
                out.append((f"{o.name} (objective, {p.name})", o.id))
            out.extend((f"{k.name} (KPI, {p.name})", k.id) for k in o.kpis if k.id not in taken)
        out.extend((f"{k.name} (KPI, {p.name})", k.id) for k in p.kpis if k.id not in taken)
    return out


def add_map_link(document: ScorecardDocument, cause: str, effect: str) -> bool:
    """Add cause → effect as one undo step (the map's drag and *Link to…* alike)."""
    return document.edit(f"Link {cause} → {effect}", add_link, cause, effect)


def can_link_from(card: Scorecard, item_id: str) -> bool:
    """Whether the item is a KPI or objective (perspectives are not measured)."""
    return any(k.id == item_id for k in card.all_kpis()) or any(
        o.id == item_id for p in card.perspectives for o in p.objectives
    )


def ask_and_link(parent: QWidget, document: ScorecardDocument, cause: str) -> bool:
    """Ask for the effect of a link from ``cause`` and add it; False if nothing was added."""
    card = document.card
    if not can_link_from(card, cause):
        document.errorRaised.emit("Select a KPI or an objective to link it to another.")
        return False
    targets = link_targets(card, cause)
    if not targets:
        document.errorRaised.emit("It is already linked to every other KPI and objective.")
        return False
    name = item_kind_and_name(card, cause)[1]
    labels = [label for label, _ in targets]
    chosen, ok = QInputDialog.getItem(
        parent, LINK_TO_TEXT, f"Link “{name}” (cause) to the effect:", labels, 0, False
    )
    if not ok or chosen not in labels:
        return False
    return add_map_link(document, cause, targets[labels.index(chosen)][1])
