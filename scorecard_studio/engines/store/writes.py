"""How a write to the store ends when it cannot simply succeed.

``retrying`` runs a write again when a team store reports contention; a save on a stale
head ends in :class:`SaveConflictError` (its content kept as a draft), a freeze that the
governance settings refuse in :class:`FreezeRefusedError`.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from scorecard_studio.domain.errors import ConflictError, StoreError
from scorecard_studio.engines.store import postgres

if TYPE_CHECKING:
    from scorecard_studio.engines.store.governance_checks import FreezeBlockers

_S = TypeVar("_S")
_P = ParamSpec("_P")
_R = TypeVar("_R")

#: Attempts of one write on a team store when other writers keep it busy.
WRITE_ATTEMPTS = 6


def retrying(
    method: Callable[Concatenate[_S, _P], _R],
) -> Callable[Concatenate[_S, _P], _R]:
    """Run a write again when the team store reported contention (a lock wait that timed
    out, a serialization failure, a deadlock): every write is one transaction that left
    nothing behind, so another attempt is safe. Only the last failure reaches the caller,
    as one line."""

    @functools.wraps(method)
    def run(self: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return method(self, *args, **kwargs)
            except postgres.StoreBusyError:
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0.01, 0.05 * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    return run


class SaveConflictError(ConflictError):
    """A save based on a stale head; its content was kept as draft ``draft_id``."""

    def __init__(
        self,
        message: str,
        *,
        scorecard: str,
        head: int | None,
        base: int | None,
        draft_id: int,
        head_author: str | None = None,
    ) -> None:
        super().__init__(message)
        #: Who saved the version this save conflicts with (the latest one).
        self.head_author = head_author
        self.scorecard = scorecard
        self.head = head
        self.base = base
        self.draft_id = draft_id


class FreezeRefusedError(StoreError):
    """A freeze the scorecard's governance settings refuse; ``blockers`` says why."""

    def __init__(self, message: str, blockers: FreezeBlockers) -> None:
        super().__init__(message)
        self.blockers = blockers
