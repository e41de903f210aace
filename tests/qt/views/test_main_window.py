"""The main window with a temporary store: workspaces, save, history, diff, freeze, restore."""

from __future__ import annotations

from pathlib import Path

import pytest
from designer_fixtures import design, tables
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from scorecard_studio.domain import edits
from scorecard_studio.qt.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = MainWindow(store_path=str(tmp_path / "store.sqlite3"))
    qtbot.addWidget(w)
    w.show()
    return w


def test_workspaces_menus_and_start_page(window: MainWindow) -> None:
    assert window.findChildren(QDockWidget) == []
    titles = [e.title for e in window.rooms.entries.values()]
    assert titles == ["Design", "Data", "Targets", "Dashboard", "History", "Governance", "Report"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&Scorecard", "&View", "&Help"]
    assert window.central.currentWidget() is window.start_page
    window.workspace.open_card(design(), tables())
    assert window.central.currentWidget() is window.rooms
    assert window.windowTitle().startswith("Designer test")


def test_save_edit_save_diff_freeze_restore(window: MainWindow, qtbot: QtBot) -> None:
    ws, doc = window.workspace, window.document
    ws.open_card(design(), tables())
    assert not doc.is_modified()
    assert ws.commit_version("first version")
    doc.edit("weight", edits.set_weight, "revenue", 5.0)
    assert doc.is_modified()
    assert window.isWindowModified()
    assert ws.commit_version("revenue counts more")
    assert not doc.is_modified()
    history = window.history
    qtbot.waitUntil(lambda: not history.reading.busy)
    assert [v.number for v in history.versions] == [1, 2]
    assert history.tree.topLevelItem(0).text(1) == "revenue counts more"  # newest first

    title, diff = history.compare(1, 2)
    assert title == "Changes from v1 to v2"
    text = diff.to_text()
    assert "weight" in text
    assert "3" in text
    assert "5" in text

    assert history.freeze(1, "QBR 2026 Q1")
    qtbot.waitUntil(lambda: not history.reading.busy)
    assert history.tree.topLevelItem(1).text(4) == "QBR 2026 Q1"

    info = ws.store().restore(doc.store_name, 1)
    ws.open_from_store(doc.store_name, info.number)
    assert doc.card.kpi("revenue").weight == 3.0
    assert doc.base_version == 3
    assert set(doc.tables) == {"src"}
    assert doc.tables["src"]["revenue"].tolist() == [80.0, 40.0]


def test_stale_save_is_a_conflict_that_keeps_a_draft(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, doc = window.workspace, window.document
    ws.open_card(design(), tables())
    assert ws.commit_version("v1")
    # Someone else saves on top of v1 (another window or process on the same store).
    other = edits.set_weight(doc.card, "dso", 4.0)
    ws.store().save(other, None, "elsewhere", parent=1, name=doc.store_name)
    warnings: list[str] = []
    monkeypatch.setattr(ws, "warn", lambda title, message: warnings.append(title))
    doc.edit("weight", edits.set_weight, "nps", 2.0)
    assert not ws.commit_version("mine")
    assert warnings == ["Saved as a draft"]
    drafts = ws.store().recover_drafts(doc.store_name)
    assert any(d.design.kpi("nps").weight == 2.0 for d in drafts)
    assert doc.is_modified()  # nothing was discarded


def test_autosave_keeps_the_working_draft(window: MainWindow) -> None:
    ws, doc = window.workspace, window.document
    ws.open_card(design(), tables())
    assert ws.commit_version("v1")
    doc.edit("weight", edits.set_weight, "margin", 7.0)
    ws.autosave_now()
    drafts = ws.store().recover_drafts(doc.store_name)
    assert [d.design.kpi("margin").weight for d in drafts] == [7.0]
    assert drafts[0].base_version == 1


def test_first_start_opens_the_bundled_sample_with_its_history(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.workspace.start([])
    # The design shows at once; the versions and data arrive from the store shortly after,
    # and until they do every view says data is being read, never "import data".
    assert window.document.card.name == "Customer-centric scorecard (sample)"
    assert window.document.loading
    assert window.results.headline.text().startswith("Reading data…")
    assert window.headline_label.text() == "Reading data…"
    qtbot.waitUntil(lambda: window.document.base_version is not None, timeout=60000)
    qtbot.waitUntil(lambda: window.document.result is not None, timeout=60000)
    assert window.document.store_name == "Customer-centric scorecard (sample)"
    assert window.document.base_version == 3
    assert not window.document.is_modified()
    window.history.refresh()
    qtbot.waitUntil(lambda: not window.history.reading.busy)
    labels = {v.number: v.frozen_label for v in window.history.versions}
    assert labels == {1: None, 2: "QBR 2026 Q2", 3: None}
    result = window.document.result
    assert result.period_labels[-1] == "2026-Q3"
    assert float(result.rollup.headline_coverage[-1]) == 1.0
    assert not window.document.loading
    assert window.results.headline.text().startswith("<b>Headline")
    # The sample shows its strategy map: the template's ten links, nine of them supported.
    assert len(window.strategy_map.view.links) == 10
    evidence = window.workspace.evidence
    qtbot.waitUntil(lambda: evidence.current() is not None and not evidence.busy, timeout=60000)
    assert window.strategy_map.state.text().startswith("Evidence: 9 of 10 links supported")
    # ... and the findings panel names the one the data does not support
    window.findings.refresh()
    codes = sorted(f.code for f in window.findings.evidence_findings)
    assert codes.count("link_not_supported") == 1
    assert "leading_without_support" in codes
    texts = [window.findings.list.item(i).text() for i in range(window.findings.list.count())]
    assert any(
        t.startswith(
            "Evidence: the data does not support the link 'Time to value' → 'Keep customers':"
            " best lag 4, r = -0.01"
        )
        for t in texts
    )


def test_first_start_scores_the_sample_before_the_store_is_open(
    window: MainWindow, qtbot: QtBot
) -> None:
    # The sample's scores come from its bundled file while SQL is not even loaded; the
    # store's copy of the same version then takes over without scoring the data again.
    first: list[tuple[bool, object]] = []

    def seen(result: object) -> None:
        if result is not None and not first:
            first.append((window.workspace._store is None, window.document.actuals))

    window.document.resultChanged.connect(seen)
    window.workspace.start([])
    qtbot.waitUntil(lambda: bool(first), timeout=60000)
    store_was_closed, preview_actuals = first[0]
    assert store_was_closed
    assert window.document.store_name is None
    headline = window.document.result.rollup.headline[-1]
    qtbot.waitUntil(lambda: window.document.base_version is not None, timeout=60000)
    assert window.document.store_name == "Customer-centric scorecard (sample)"
    assert window.document.base_version == 3
    assert window.document.actuals is preview_actuals
    assert window.document.result.rollup.headline[-1] == headline
    assert not window.document.is_modified()
    assert window.document.undo_stack.count() == 0


def test_an_older_version_opened_reports_its_own_provenance_and_saves_on_the_head(
    window: MainWindow, qtbot: QtBot
) -> None:
    # Version 2 of the sample (frozen as the last QBR) opened from the history: its report
    # names version 2 and its freeze, never the head; a save still builds on the head.
    window.workspace.start([])
    qtbot.waitUntil(lambda: window.document.base_version == 3, timeout=60000)
    name = window.document.store_name
    window.workspace.open_from_store(name, 2)
    doc = window.document
    assert (doc.base_version, doc.shown_version) == (3, 2)
    provenance = window.workspace.exports.provenance()
    assert (provenance["version"], provenance["frozen_label"]) == (2, "QBR 2026 Q2")
    assert window.workspace.exports.stored_version() == (name, 2)
    assert window.workspace.location_label() == " — store v2 (latest v3)"
    doc.edit("weight", edits.set_weight, "nps", 3.0)
    assert window.workspace.exports.provenance() == {}  # changed since: no version's provenance
    assert window.workspace.commit_version("on top of the head")
    assert (doc.base_version, doc.shown_version) == (4, 4)
    assert window.workspace.store().version_info(name, 4).parent == 3


def test_a_later_start_reopens_the_scorecard_used_last_in_the_background(
    window: MainWindow, qtbot: QtBot
) -> None:
    from scorecard_studio.qt.settings import settings

    ws = window.workspace
    ws.open_card(design(), tables())
    assert ws.commit_version("first")
    name = window.document.store_name
    ws.open_card(design(), tables())  # something else on screen, as after a restart
    settings().setValue("last/store_name", name)
    ws.start([])
    qtbot.waitUntil(lambda: window.document.store_name == name, timeout=60000)
    assert (window.document.base_version, window.document.shown_version) == (1, 1)
    names = {s.name for s in ws.store().list_scorecards()}
    assert "Customer-centric scorecard (sample)" not in names  # the sample was not brought in
