"""Undo commands: every edit of the design goes through one of these.

Designs are immutable values, so a command keeps the design before and after the edit and
undo/redo swap them (the inverse is exact by construction). Consecutive edits of the same
field of the same item (a weight spin box being stepped) merge into one undo step.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand

from scorecard_studio.domain.model import Scorecard


class DesignHolder(Protocol):
    """Anything that holds the current design (the document; a test double)."""

    def set_card(self, card: Scorecard) -> None: ...


_MERGE_ID = 1


class EditCommand(QUndoCommand):
    """Replace the design with an edited one; undo restores the previous design."""

    def __init__(
        self,
        holder: DesignHolder,
        text: str,
        before: Scorecard,
        after: Scorecard,
        merge_key: str | None = None,
    ) -> None:
        super().__init__(text)
        self._holder = holder
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def redo(self) -> None:
        self._holder.set_card(self.after)

    def undo(self) -> None:
        self._holder.set_card(self.before)

    def id(self) -> int:
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True
