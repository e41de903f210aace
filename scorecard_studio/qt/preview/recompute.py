"""Scenario recompute off the UI thread: numbered requests, newest wins, whole frames only.

Every request (a slider step, a new design result) gets a number. Small scorecards are
scored at once on the UI thread (a few milliseconds: a thread hop would cost more than it
saves). Large ones go to a single worker thread; while it is busy, further requests
replace each other, so at most one is waiting and it is always the newest. A finished
frame is shown only if it is newer than the frame on screen, so a late, stale answer can
never overwrite a fresher one.

A :class:`Frame` carries everything the charts draw (the design's result, the scenario's
result and its marginal effects) as one immutable object, handed to the UI thread in one
queued call: the charts switch from one complete state to the next, never to a mix.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.scenario import Scenario

if TYPE_CHECKING:
    from scorecard_studio.engines.scoring import ScoreResult
    from scorecard_studio.engines.scoring.whatif import ScenarioScorer, WhatIf

log = logging.getLogger(__name__)

#: Scorecards with more result cells (KPIs × tier rows × periods) than this are scored
#: on the worker thread. 60 KPIs × 5 × 36 is about 11,000 cells and takes ~2 ms.
SYNC_CELL_LIMIT = 40_000


@dataclass(frozen=True, slots=True, eq=False)
class Frame:
    """One complete state of the preview: what every chart reads for one request."""

    request_id: int
    design: ScoreResult
    whatif: WhatIf

    @property
    def result(self) -> ScoreResult:
        """The result on show: the scenario's when one is open, else the design's."""
        return self.whatif.result

    @property
    def scenario(self) -> Scenario:
        return self.whatif.scenario


class _Signals(QObject):
    done = Signal(int, object, str)  # request id, Frame | None, error message


class Recomputer(QObject):
    """Turns (design result, scenario) requests into frames; the newest request wins."""

    frameReady = Signal(object)  # Frame, or None when there is no result to show
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, sync_cell_limit: int = SYNC_CELL_LIMIT):
        super().__init__(parent)
        self.sync_cell_limit = sync_cell_limit
        self._latest = 0
        self._shown = 0
        self._pending: tuple[int, ScoreResult, Scenario] | None = None
        self._busy = False
        self._scorer: ScenarioScorer | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals()
        self._signals.done.connect(self._finished, Qt.ConnectionType.QueuedConnection)

    @property
    def latest_request(self) -> int:
        return self._latest

    @property
    def shown_request(self) -> int:
        return self._shown

    @property
    def busy(self) -> bool:
        return self._busy or self._pending is not None

    def request(self, base: ScoreResult | None, scenario: Scenario) -> int:
        """Ask for the frame of ``scenario`` on ``base``; returns the request number."""
        self._latest += 1
        rid = self._latest
        if base is None:
            self._pending = None
            self._shown = rid
            self.frameReady.emit(None)
            return rid
        if base.score.size <= self.sync_cell_limit:
            self._pending = None  # anything queued is older than this answer
            try:
                frame = self._compute(rid, base, scenario)
            except ScorecardError as exc:
                self.failed.emit(str(exc))
                return rid
            self._shown = rid
            self.frameReady.emit(frame)
            return rid
        self._pending = (rid, base, scenario)
        if not self._busy:
            self._start_next()
        return rid

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (tests, benchmarks, shutdown)."""
        return bool(self._pool.waitForDone(msecs))

    def _scorer_for(self, base: ScoreResult) -> ScenarioScorer:
        from scorecard_studio.engines.scoring.whatif import ScenarioScorer

        scorer = self._scorer
        if scorer is None or scorer.base is not base:
            scorer = ScenarioScorer(base)
            self._scorer = scorer
        return scorer

    def _compute(self, rid: int, base: ScoreResult, scenario: Scenario) -> Frame:
        return Frame(rid, base, self._scorer_for(base).evaluate(scenario))

    def _start_next(self) -> None:
        if self._pending is None:
            return
        rid, base, scenario = self._pending
        self._pending = None
        self._busy = True
        scorer = self._scorer_for(base)  # built here: the cache is touched on one thread only
        signals = self._signals

        def done(frame: Frame | None, error: str) -> None:
            # At interpreter exit PySide deletes the carrier under a frame still being
            # computed: the frame has nobody to reach, and raising here prints a traceback.
            if shiboken6.isValid(signals):
                try:
                    signals.done.emit(rid, frame, error)
                except RuntimeError:
                    log.debug("preview frame dropped: the window is gone")

        def work() -> None:
            try:
                frame = Frame(rid, base, scorer.evaluate(scenario))
            except ScorecardError as exc:
                done(None, str(exc))
            except Exception as exc:  # a bug: logged in full, reported in one line
                log.exception("preview recompute failed")
                done(None, f"preview failed ({type(exc).__name__}: {exc})")
            else:
                done(frame, "")

        self._pool.start(work)

    def _finished(self, rid: int, frame: Frame | None, error: str) -> None:
        self._busy = False
        if error:
            if rid == self._latest:
                self.failed.emit(error)
        elif frame is not None and rid > self._shown:
            self._shown = rid
            self.frameReady.emit(frame)
        self._start_next()
