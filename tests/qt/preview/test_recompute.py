"""Off-thread recompute: the newest request wins and the charts only ever see whole frames."""

from __future__ import annotations

import pytest
from designer_fixtures import design, tables
from preview_helpers import fixture_result
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.scenario import Scenario, apply
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.preview import PreviewPanel
from scorecard_studio.qt.preview.recompute import Frame, Recomputer


def test_small_scorecards_are_scored_at_once(qtbot: QtBot) -> None:
    base = fixture_result()
    rec = Recomputer()
    frames: list[Frame | None] = []
    rec.frameReady.connect(frames.append)
    rid = rec.request(base, Scenario().with_weight("nps", 2.0))
    assert len(frames) == 1  # synchronous: delivered before request() returned
    frame = frames[0]
    assert frame is not None
    assert frame.request_id == rid
    assert frame.design is base
    assert frame.result.card.kpi("nps").weight == 2.0


def test_the_newest_request_wins_on_the_worker_thread(qtbot: QtBot) -> None:
    base = fixture_result()
    rec = Recomputer(sync_cell_limit=0)  # everything off the UI thread
    frames: list[Frame] = []
    rec.frameReady.connect(frames.append)
    scenarios = [Scenario().with_weight("nps", float(w)) for w in range(1, 21)]
    ids = [rec.request(base, s) for s in scenarios]
    assert rec.busy
    qtbot.waitUntil(lambda: rec.shown_request == ids[-1], timeout=5000)
    rec.wait()
    assert frames[-1].request_id == ids[-1]
    assert frames[-1].scenario == scenarios[-1]
    # Frames arrive in request order, and requests queued behind a busy worker are
    # replaced by newer ones rather than all being computed.
    shown = [f.request_id for f in frames]
    assert shown == sorted(shown)
    assert len(frames) < len(scenarios)
    # Each frame is whole: its result is exactly its own scenario applied to the design.
    for f in frames:
        assert f.result.card == apply(base.card, f.scenario)


def test_a_late_answer_never_replaces_a_newer_frame(qtbot: QtBot) -> None:
    base = fixture_result()
    rec = Recomputer(sync_cell_limit=0)
    frames: list[Frame] = []
    rec.frameReady.connect(frames.append)
    first = rec.request(base, Scenario().with_weight("nps", 2.0))
    qtbot.waitUntil(lambda: rec.shown_request == first, timeout=5000)
    second = rec.request(base, Scenario().with_weight("nps", 3.0))
    qtbot.waitUntil(lambda: rec.shown_request == second, timeout=5000)
    rec.wait()
    stale = frames[0]
    rec._finished(first, stale, "")  # an answer to the first request arrives again, late
    assert frames[-1].request_id == second
    assert len(frames) == 2


def test_errors_of_the_newest_request_are_reported(qtbot: QtBot) -> None:
    base = fixture_result()
    rec = Recomputer(sync_cell_limit=0)
    with qtbot.waitSignal(rec.failed, timeout=5000) as blocker:
        rec.request(base, Scenario().with_weight("no_such_kpi", 2.0))
    assert "no_such_kpi" in blocker.args[0]
    rec.wait()


def test_the_panel_applies_off_thread_frames_to_every_chart_at_once(qtbot: QtBot) -> None:
    doc = ScorecardDocument()
    doc.load(design(), tables())
    panel = PreviewPanel(doc, sync_cell_limit=0)
    qtbot.addWidget(panel)
    state = panel.state
    qtbot.waitUntil(lambda: state.frame is not None, timeout=5000)
    seen: list[set[int]] = []

    def check(_frame: object) -> None:
        # Called after the panel redrew (connected later): every chart holds one result.
        seen.append({id(c.input.result) for c in panel.charts.values() if c.input is not None})

    state.frameChanged.connect(check)
    for w in (2.0, 3.0, 4.0, 5.0):
        state.set_scenario(Scenario().with_weight("cust", w))
    qtbot.waitUntil(lambda: state.recomputer.shown_request == state.recomputer.latest_request)
    state.recomputer.wait()
    assert seen
    assert all(len(ids) == 1 for ids in seen)
    frame = state.frame
    assert frame is not None
    assert frame.result.card.perspectives[1].weight == 5.0
    bars = panel.charts["perspectives"].data
    assert bars is not None
    assert bars.headline == pytest.approx(float(frame.result.rollup.headline[0]))
    assert doc.undo_stack.count() == 0
