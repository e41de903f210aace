"""The working draft in the store: autosaved after edits, offered back after a crash.

Every edit restarts a short timer; when it runs out the design is kept as the scorecard's
autosave draft, so a crash loses at most a few seconds of work. On the next start a draft
left behind is offered for recovery as one undoable step from its saved version. The
keeper is handed the document and what it needs of the workspace (the store, a status
line, opening a design), so it never imports the workspace that owns it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox
from shiboken6 import isValid

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.qt.document import ScorecardDocument

#: Milliseconds of quiet after an edit before the working draft is autosaved.
AUTOSAVE_DELAY_MS = 2000


class DraftKeeper(QObject):
    """Autosaves the open document's working draft and recovers a draft a crash left."""

    def __init__(
        self,
        window: QMainWindow,
        document: ScorecardDocument,
        store: Callable[[], Any],
        status: Callable[[str], None],
        open_card: Callable[..., None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.document = document
        self._store = store
        self._status = status
        self._open_card = open_card
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.autosave_now)
        document.undo_stack.indexChanged.connect(self._schedule)

    def stop(self) -> None:
        """No autosave after this (the window is closing)."""
        self._timer.stop()

    def offer_recovery(self, draft: Any) -> bool:
        """Ask whether to recover ``draft``; True when it was opened, False when discarded."""
        answer = QMessageBox.question(
            self.window,
            "Recover unsaved work",
            f"Scorecard Studio closed before changes to “{draft.name}” were saved. Recover "
            f"the draft autosaved {readable_time(draft.saved_at)}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Yes,
        )
        store = self._store()
        if answer != QMessageBox.StandardButton.Yes:
            store.discard_draft(draft.name)
            return False
        base = draft.base_version
        tables = store.checkout(draft.name, base).load_snapshots() if base is not None else {}
        tables.update(store.draft_tables(draft.id))
        saved = store.checkout(draft.name, base).design if base is not None else draft.design
        self._open_card(saved, tables, store_name=draft.name, base_version=base)
        # One undoable step from the saved version to the recovered draft: modified, and
        # "undo" shows what the saved version looked like.
        self.document.replace_card("Recovered draft", draft.design)
        self._status(f"Recovered the unsaved draft of {draft.name}")
        return True

    def _schedule(self, *_args: object) -> None:
        # The undo stack also signals while it is being destroyed with the window.
        if isValid(self.document.undo_stack) and self.document.is_modified():
            self._timer.start()

    def autosave_now(self) -> None:
        """Keep the working draft in the store so a crash loses at most a few seconds."""
        doc = self.document
        if not doc.is_modified():
            return
        try:
            self._store().autosave_draft(
                doc.store_name or doc.card.name, doc.card, base_version=doc.base_version
            )
        except ScorecardError as exc:
            self._status(f"Autosave failed: {exc}")

    def discard(self) -> None:
        """Drop the working draft (it was saved as a version, or the user let it go)."""
        doc = self.document
        with contextlib.suppress(ScorecardError):
            self._store().discard_draft(doc.store_name or doc.card.name)


def readable_time(stamp: str, now: dt.datetime | None = None) -> str:
    """A stored ISO timestamp as a person reads it, in local time: "today at 14:05",
    "on 3 Mar 2026 at 09:12". A stamp without a zone is taken as UTC (as stored)."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return f"at {stamp}"
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    local = when.astimezone()
    today = (now or dt.datetime.now().astimezone()).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today - dt.timedelta(days=1):
        return f"yesterday at {clock}"
    return f"on {local.day} {local.strftime('%b %Y')} at {clock}"
