"""The strategy map: drag a box onto another to link them, Delete to unlink, undo, evidence."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from scipy import stats

from scorecard_studio.domain.analytics import Analytics, LinkSign, StrategyLink
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    IndicatorType,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
    Tier,
)
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.evidence_source import EvidenceSource
from scorecard_studio.qt.widgets.map_items import NOT_SUPPORTED, SUPPORTED, LinkItem
from scorecard_studio.qt.widgets.strategy_map import StrategyMap

SRC = DataSource("src", "Usage", key_column="key", date_column="date", tier_column="tier")


def _kpi(kid: str, indicator: IndicatorType) -> Kpi:
    return Kpi(
        kid,
        kid.title(),
        Measure(Aggregation.MEAN, source="src", column=kid),
        TargetSet(TargetValues(baseline=0, target=10)),
        indicator=indicator,
    )


LAG, LEAD = IndicatorType.LAGGING, IndicatorType.LEADING
CARD = Scorecard(
    "Map test",
    (
        Perspective(
            "cust",
            "Customer",
            objectives=(Objective("keep", "Keep customers", 1, (_kpi("loyalty", LAG),)),),
        ),
        Perspective("proc", "Process", kpis=(_kpi("usage", LEAD), _kpi("tickets", LEAD))),
    ),
    tiers=(Tier("t1", "Tier 1"),),
    sources=(SRC,),
    analytics=Analytics(links=(StrategyLink("usage", "loyalty"),), minimum_pairs=4),
)


def _tables() -> dict[str, pd.DataFrame]:
    """Twelve accounts, three quarters: loyalty follows usage loosely; tickets go against it."""
    rows = []
    for i in range(12):
        for q, date in enumerate(("2026-01-15", "2026-04-15", "2026-07-15")):
            usage = float((i * 5 + q * 3) % 11)
            loyalty = usage + ((i * 7 + q) % 5) * 1.5
            tickets = float((i * 3 + q * 7) % 6)
            rows.append((f"A{i:02d}", date, "t1", usage, loyalty, tickets))
    return {
        "src": pd.DataFrame(rows, columns=["key", "date", "tier", "usage", "loyalty", "tickets"])
    }


@pytest.fixture
def shown(qtbot: QtBot) -> StrategyMap:
    doc = ScorecardDocument()
    doc.load(CARD, {})
    m = StrategyMap(doc)
    m.resize(900, 500)
    qtbot.addWidget(m)
    m.show()
    qtbot.waitExposed(m)
    return m


def _centre(m: StrategyMap, item_id: str) -> QPoint:
    return m.view.mapFromScene(m.view.nodes[item_id].rect().center())


def _title(m: StrategyMap, objective_id: str) -> QPoint:
    """A point on an objective's title, outside the KPI boxes inside its frame."""
    rect = m.view.nodes[objective_id].rect()
    return m.view.mapFromScene(rect.topLeft()) + QPoint(20, 6)


def _drag(m: StrategyMap, start: QPoint, end: QPoint) -> None:
    port = m.view.viewport()
    QTest.mousePress(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    middle = (start + end) / 2
    QTest.mouseMove(port, middle)
    QTest.mouseMove(port, end)
    QTest.mouseRelease(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_the_map_draws_a_band_per_perspective_and_the_designs_links(shown: StrategyMap) -> None:
    v = shown.view
    assert set(v.nodes) == {"keep", "loyalty", "usage", "tickets"}
    assert list(v.links) == [("usage", "loyalty")]
    # Customer above Process, the KPI inside its objective's frame
    assert v.nodes["loyalty"].rect().bottom() < v.nodes["usage"].rect().top()
    assert v.nodes["keep"].rect().contains(v.nodes["loyalty"].rect())


def test_dragging_one_box_onto_another_adds_a_link_and_undo_removes_it(
    shown: StrategyMap,
) -> None:
    doc = shown.document
    _drag(shown, _centre(shown, "tickets"), _title(shown, "keep"))
    assert doc.card.analytics.links == (
        StrategyLink("usage", "loyalty"),
        StrategyLink("tickets", "keep", LinkSign.POSITIVE),
    )
    assert doc.undo_stack.undoText() == "Link tickets → keep"
    assert ("tickets", "keep") in shown.view.links  # drawn
    doc.undo_stack.undo()
    assert doc.card.analytics.links == (StrategyLink("usage", "loyalty"),)
    assert ("tickets", "keep") not in shown.view.links
    doc.undo_stack.redo()
    assert ("tickets", "keep") in shown.view.links


def test_a_drop_on_the_same_box_or_on_nothing_adds_nothing(shown: StrategyMap) -> None:
    doc = shown.document
    start = _centre(shown, "tickets")
    _drag(shown, start, start + QPoint(8, 0))  # still inside the tickets box
    _drag(shown, start, QPoint(shown.view.viewport().width() - 3, 3))  # empty corner
    assert doc.card.analytics.links == CARD.analytics.links
    assert doc.undo_stack.count() == 0


def test_a_duplicate_link_is_refused_with_a_message(shown: StrategyMap, qtbot: QtBot) -> None:
    with qtbot.waitSignal(shown.document.errorRaised) as raised:
        _drag(shown, _centre(shown, "usage"), _centre(shown, "loyalty"))
    assert "already on the map" in raised.args[0]
    assert shown.document.undo_stack.count() == 0


def test_delete_removes_the_selected_link_and_undo_brings_it_back(shown: StrategyMap) -> None:
    v, doc = shown.view, shown.document
    link = v.links[("usage", "loyalty")]
    # a point on the arrow, away from the boxes it joins
    on_arrow = v.mapFromScene(link.path().pointAtPercent(0.5))
    QTest.mouseClick(
        v.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, on_arrow
    )
    assert v.selected_links() == [("usage", "loyalty")]
    QTest.keyClick(v, Qt.Key.Key_Delete)
    assert doc.card.analytics.links == ()
    assert doc.undo_stack.undoText() == "Remove link usage → loyalty"
    assert v.links == {}
    doc.undo_stack.undo()
    assert doc.card.analytics.links == (StrategyLink("usage", "loyalty"),)


def test_clicking_a_box_chooses_it_for_the_tree(shown: StrategyMap, qtbot: QtBot) -> None:
    with qtbot.waitSignal(shown.itemChosen) as chosen:
        QTest.mouseClick(
            shown.view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            _centre(shown, "usage"),
        )
    assert chosen.args == ["usage"]
    assert shown.document.undo_stack.count() == 0


def _expected_best(tables: dict[str, pd.DataFrame]) -> tuple[int, float, float, float, int]:
    """Best lag, r, 95 % CI and n of usage → loyalty, straight from scipy."""
    f = tables["src"].pivot(index="key", columns="date")
    x, y = f["usage"].to_numpy(), f["loyalty"].to_numpy()
    best = None
    for lag in range(3):
        a, b = x[:, : x.shape[1] - lag].ravel(), y[:, lag:].ravel()
        r = float(stats.spearmanr(a, b).statistic)
        if best is None or r > best[1]:
            n = a.size
            half = 1.959963984540054 / math.sqrt(n - 3)
            best = (lag, r, math.tanh(math.atanh(r) - half), math.tanh(math.atanh(r) + half), n)
    assert best is not None
    return best


def test_each_arrow_shows_its_evidence_once_computed(qtbot: QtBot) -> None:
    doc = ScorecardDocument()
    source = EvidenceSource(doc)
    m = StrategyMap(doc, source)
    qtbot.addWidget(m)
    card = Scorecard(
        CARD.name,
        CARD.perspectives,
        tiers=CARD.tiers,
        sources=CARD.sources,
        analytics=Analytics(
            links=(
                StrategyLink("usage", "loyalty"),
                StrategyLink("usage", "tickets"),  # the data says: less, not more
            ),
            minimum_pairs=4,
        ),
    )
    tables = _tables()
    with qtbot.waitSignal(source.evidenceReady, timeout=20_000):
        doc.load(card, tables)
    lag, r, low, high, n = _expected_best(tables)
    assert low > 0  # so the link is supported
    good = m.view.links[("usage", "loyalty")]
    assert good.verdict == "supported"
    assert good.pen().color().name() == SUPPORTED
    assert good.pen().style() == Qt.PenStyle.SolidLine
    tip = good.toolTip()
    assert tip.startswith("Usage → Loyalty (positive: more cause, more effect)")  # names
    assert f"best lag {lag}: Spearman r = {r:.2f}" in tip
    assert f"95% CI {low:.2f} … {high:.2f}, n = {n:,}" in tip
    bad = m.view.links[("usage", "tickets")]
    assert bad.verdict == "not_supported"
    assert bad.pen().color().name() == NOT_SUPPORTED
    assert bad.pen().style() == Qt.PenStyle.DashLine
    assert "1 of 2 links supported, 1 not supported" in m.state.text()
    assert isinstance(good, LinkItem)


def test_the_design_workspace_shows_the_map_beside_the_tree(qtbot: QtBot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from scorecard_studio.qt.main_window import MainWindow

    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    w.workspace.open_card(CARD, {})
    design = w.rooms.entries["design"].widget
    assert w.strategy_map.parent() is design  # a pane of the Design splitter
    assert design.indexOf(w.strategy_map) == design.indexOf(w.design_side) + 1
    w.strategy_map.itemChosen.emit("usage")
    assert w.editor.selected == ("kpi", "usage")
    w.editor.select_item("keep")
    assert w.strategy_map.view.nodes["keep"].isSelected()


def test_deleting_a_linked_kpi_takes_its_arrow_and_undo_brings_both_back(
    shown: StrategyMap,
) -> None:
    from scorecard_studio.domain import edits

    doc = shown.document
    assert doc.edit("Delete Usage", edits.remove_item, "usage")
    assert doc.card.analytics.links == ()
    assert "usage" not in shown.view.nodes
    assert shown.view.links == {}
    assert doc.undo_stack.count() == 1  # one step: the KPI and its link
    doc.undo_stack.undo()
    assert doc.card == CARD
    assert list(shown.view.links) == [("usage", "loyalty")]


class _Ask:
    """Stands in for the list dialog: records what it offered, answers ``answer``."""

    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.offered: list[str] = []

    def __call__(self, _parent, _title, _label, items, _current=0, _editable=True):  # type: ignore[no-untyped-def]
        self.offered = list(items)
        return (self.answer or "", self.answer is not None)


def test_ctrl_l_on_a_selected_box_links_it_to_the_item_chosen_from_a_list(
    shown: StrategyMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    ask = _Ask("Keep customers (objective, Customer)")
    monkeypatch.setattr(QInputDialog, "getItem", ask)
    doc, v = shown.document, shown.view
    v.setFocus()
    v.select_item("tickets")
    QTest.keyClick(v, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    # every other KPI and objective, in design order, with its kind and perspective
    assert ask.offered == [
        "Keep customers (objective, Customer)",
        "Loyalty (KPI, Customer)",
        "Usage (KPI, Process)",
    ]
    assert doc.card.analytics.links == (
        StrategyLink("usage", "loyalty"),
        StrategyLink("tickets", "keep", LinkSign.POSITIVE),
    )
    assert doc.undo_stack.undoText() == "Link tickets → keep"
    assert ("tickets", "keep") in v.links
    doc.undo_stack.undo()
    assert doc.card.analytics.links == (StrategyLink("usage", "loyalty"),)
    # usage already points to loyalty: the list leaves it out; cancelling adds nothing
    ask.answer = None
    v.select_item("usage")
    QTest.keyClick(v, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert ask.offered == ["Keep customers (objective, Customer)", "Tickets (KPI, Process)"]
    assert doc.undo_stack.count() == 1  # only the undone link: nothing new


def test_link_to_in_the_tree_adds_the_link_through_the_undo_stack(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from scorecard_studio.qt.widgets.scorecard_editor import ScorecardEditor

    doc = ScorecardDocument()
    doc.load(CARD, {})
    editor = ScorecardEditor(doc)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    monkeypatch.setattr(QInputDialog, "getItem", _Ask("Tickets (KPI, Process)"))
    editor.select_item("cust")
    assert not editor.link_to_action.isEnabled()  # a perspective is not linked
    editor.select_item("usage")
    assert editor.link_to_action.isEnabled()
    editor.activateWindow()
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    QTest.keyClick(editor.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert doc.card.analytics.links[-1] == StrategyLink("usage", "tickets")
    assert doc.undo_stack.undoText() == "Link usage → tickets"
    doc.undo_stack.undo()
    assert doc.card == CARD


def test_names_break_between_words_and_frames_fit_their_titles() -> None:
    from scorecard_studio.qt.widgets.map_items import BOX_W, PAD, layout, two_lines

    def seven(text: str) -> int:  # 7 units a character
        return 7 * len(text)

    assert two_lines("Churn rate", 100, seven) == ["Churn rate"]  # 70: one line
    assert two_lines("Net Promoter Score", 100, seven) == ["Net Promoter", "Score"]
    assert two_lines("Customer lifetime value", 100, seven) == ["Customer", "lifetime value"]
    assert two_lines("Onboarding", 50, seven) == ["Onboarding"]  # one word: elided by the caller
    # "Keep customers" (one KPI) measured at 200: its frame widens to hold it, not cut
    _bands, nodes = layout(CARD, lambda _title: 200.0)
    keep = next(n for n in nodes if n.id == "keep")
    assert keep.rect.width() == 200 + 2 * PAD + 4
    assert next(n for n in layout(CARD)[1] if n.id == "keep").rect.width() == BOX_W + 2 * PAD
