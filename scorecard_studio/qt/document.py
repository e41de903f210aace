"""The open scorecard: its design, its data tables, its undo stack and its scores.

Views never change the design themselves: they call :meth:`ScorecardDocument.edit` with a
pure function from ``scorecard_studio.domain.edits``; the document wraps the result in an
undo command. Scoring reuses the actuals while only weights and targets change (the fast
half of the engine), so the Results view follows an edit within milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.domain.retirement import with_retired_shown
from scorecard_studio.qt.commands import EditCommand

if TYPE_CHECKING:
    import pandas as pd

    from scorecard_studio.engines.scoring import Actuals, ScoreResult


def data_signature(card: Scorecard) -> tuple[Any, ...]:
    """What the actuals depend on: measures, sources, tiers and period settings."""
    s = card.settings
    return (
        tuple((k.id, k.measure) for k in card.all_kpis()),
        card.sources,
        card.tiers,
        card.tiering,
        card.tier_weights,
        (s.frequency, s.fiscal_year_start_month, s.fiscal_year_label, s.timezone),
    )


class ScorecardDocument(QObject):
    """Holds the design being edited and everything derived from it."""

    designChanged = Signal(object)  # Scorecard
    tablesChanged = Signal()
    resultChanged = Signal(object)  # ScoreResult | None
    errorRaised = Signal(str)
    #: True while data for this design is being read in the background: views show a
    #: loading state then, not an empty-state message that tells the user to import data.
    loadingChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._card = Scorecard("Untitled scorecard")
        self._tables: dict[str, pd.DataFrame] = {}
        self._actuals: Actuals | None = None
        self._actuals_key: tuple[Any, ...] | None = None
        self.result: ScoreResult | None = None
        #: The result with retired KPIs shown, weightless and labelled (the preview's charts);
        #: the same object as ``result`` when the design has none.
        self.shown_result: ScoreResult | None = None
        self.path: Path | None = None
        self.store_name: str | None = None
        self.base_version: int | None = None
        #: The stored version whose design and data are shown (an older one when history
        #: was opened; ``base_version`` stays the head a save builds on). Reports state its
        #: provenance and governance.
        self.shown_version: int | None = None
        self._loading = 0

    # --- state --------------------------------------------------------------------------

    @property
    def card(self) -> Scorecard:
        return self._card

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self._tables

    @property
    def loading(self) -> bool:
        return self._loading > 0

    def begin_loading(self) -> None:
        """Data is on its way (nested calls count): views show that it is."""
        self._loading += 1
        if self._loading == 1:
            self.loadingChanged.emit(True)

    def end_loading(self) -> None:
        if self._loading == 0:
            return
        self._loading -= 1
        if self._loading == 0:
            self.loadingChanged.emit(False)

    @property
    def actuals(self) -> Actuals | None:
        """The actuals of the last score (None before any data), findings included."""
        return self._actuals

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def load(
        self,
        card: Scorecard,
        tables: dict[str, pd.DataFrame],
        path: Path | None = None,
        store_name: str | None = None,
        base_version: int | None = None,
        actuals: Actuals | None = None,
        shown_version: int | None = None,
    ) -> None:
        """Open a design: a fresh undo history, a clean state, new scores.

        ``actuals`` computed off the UI thread from these very ``tables`` and the data
        side of ``card`` spare the first score its longest step (the start-up does this).
        """
        self.undo_stack.clear()
        self.path = path
        self.store_name = store_name
        self.base_version = base_version
        self.shown_version = base_version if shown_version is None else shown_version
        self._tables = dict(tables)
        self._actuals = actuals
        self._actuals_key = data_signature(card) if actuals is not None else None
        self.set_card(card)
        self.undo_stack.setClean()
        self.tablesChanged.emit()

    def set_tables(self, tables: dict[str, pd.DataFrame]) -> None:
        """New or refreshed data (not an undoable edit: the data is not the design)."""
        self._tables = dict(tables)
        self._actuals = None
        self.tablesChanged.emit()
        self.rescore()

    def add_table(self, source_id: str, frame: pd.DataFrame) -> None:
        self.set_tables({**self._tables, source_id: frame})

    # --- edits ------------------------------------------------------------------------

    def set_card(self, card: Scorecard) -> None:
        """Replace the design (called by undo commands); views and scores follow."""
        self._card = card
        self.designChanged.emit(card)
        self.rescore()

    def edit(
        self,
        text: str,
        change: Callable[..., Scorecard],
        *args: Any,
        merge_key: str | None = None,
        **kwargs: Any,
    ) -> bool:
        """Apply ``change(card, *args, **kwargs)`` as one undoable step.

        A change that raises a ScorecardError is reported and leaves the design as it was.
        """
        try:
            after = change(self._card, *args, **kwargs)
        except ScorecardError as exc:
            self.errorRaised.emit(str(exc))
            return False
        if after == self._card:
            return False
        self.undo_stack.push(EditCommand(self, text, self._card, after, merge_key))
        return True

    def replace_card(self, text: str, after: Scorecard) -> None:
        """Replace the whole design as one undoable step (applying a what-if scenario)."""
        if after != self._card:
            self.undo_stack.push(EditCommand(self, text, self._card, after))

    def rename(self, name: str) -> None:
        self.edit("Rename scorecard", lambda c: replace(c, name=name))

    # --- scoring ------------------------------------------------------------------------

    def rescore(self) -> None:
        """Score the current design: actuals are recomputed only when the data side changed."""
        card = self._card
        if not self._tables:
            self.result = self.shown_result = None
            self.resultChanged.emit(None)
            return
        # The engine (numpy, pandas) loads on the first score, not when the window starts.
        from scorecard_studio.engines.scoring import compute_actuals, score_actuals

        # Actuals are reduced for the design with its retired KPIs shown (weightless), so
        # the charts can still draw their past; the design's own result reads its KPIs'.
        shown = with_retired_shown(card)
        key = data_signature(shown)
        if self._actuals is None or key != self._actuals_key:
            self._actuals = compute_actuals(shown, self._tables)
            self._actuals_key = key
        if not self._actuals.period_labels:
            self.result = self.shown_result = None
        elif shown is card:
            self.result = self.shown_result = score_actuals(card, self._actuals)
        else:
            self.result = score_actuals(card, _only_kpis(self._actuals, card))
            self.shown_result = score_actuals(shown, self._actuals)
        self.resultChanged.emit(self.result)


def _only_kpis(actuals: Actuals, card: Scorecard) -> Actuals:
    """``actuals`` narrowed to the design's own KPIs, in its order (retired ones left out)."""
    ids = [k.id for k in card.all_kpis()]
    rows = [actuals.kpi_ids.index(i) for i in ids]
    return replace(
        actuals, kpi_ids=tuple(ids), value=actuals.value[rows], sample=actuals.sample[rows]
    )
