"""The main window: the scorecard tree and the results matrix of the current design."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
)

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.resources import resource

_STATUS_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "no_data": "#9e9e9e"}


class MainWindow(QMainWindow):
    """Shows a design and its scores; every failure becomes a message, never a crash."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Scorecard Studio")
        self.resize(1200, 760)
        self.card: Scorecard | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Scorecard", "Weight"])
        self.results = QTableWidget()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.results)
        splitter.setSizes([380, 820])
        self.setCentralWidget(splitter)
        self._build_menus()
        self.statusBar().showMessage("Open a design to begin")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open design…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self._choose_design)
        file_menu.addAction(open_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    def open_default(self) -> None:
        """Open the bundled sample scorecard when there is one."""
        sample = resource("templates", "customer_centric.json")
        if sample.is_file():
            self.open_design_path(str(sample))

    def _choose_design(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open design", "", "Scorecard designs (*.json);;All files (*)"
        )
        if path:
            self.open_design_path(path)

    def open_design_path(self, path: str) -> None:
        from scorecard_studio.engines.design_file import load_design

        try:
            card = load_design(path)
        except ScorecardError as exc:
            QMessageBox.warning(self, "Cannot open design", str(exc))
            return
        self.card = card
        self.setWindowTitle(f"{card.name} — Scorecard Studio")
        self._fill_tree(card)
        self._score(card, Path(path))

    def _fill_tree(self, card: Scorecard) -> None:
        self.tree.clear()
        for p in card.perspectives:
            p_item = QTreeWidgetItem([p.name, f"{p.weight:g}"])
            self.tree.addTopLevelItem(p_item)
            for k in p.kpis:
                p_item.addChild(QTreeWidgetItem([k.name, f"{k.weight:g}"]))
            for o in p.objectives:
                o_item = QTreeWidgetItem([o.name, f"{o.weight:g}"])
                p_item.addChild(o_item)
                for k in o.kpis:
                    o_item.addChild(QTreeWidgetItem([k.name, f"{k.weight:g}"]))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)

    def _score(self, card: Scorecard, design_path: Path) -> None:
        from scorecard_studio.engines.data_loading import read_source_table
        from scorecard_studio.engines.scoring import score

        tables = {}
        for source in card.sources:
            candidate = design_path.parent / source.file if source.file else None
            if candidate is None or not candidate.is_file():
                candidate = resource("..", "sample_workbooks", Path(source.file).name)
            if candidate.is_file():
                try:
                    tables[source.id] = read_source_table(source, candidate)
                except ScorecardError as exc:
                    self.statusBar().showMessage(str(exc))
        result = score(card, tables)
        if not result.period_labels:
            self.results.clear()
            self.statusBar().showMessage("No data found for this design's sources")
            return
        doc = result.to_json_dict()
        tiers = doc["tiers"]
        self.results.clear()
        self.results.setRowCount(len(doc["kpis"]))
        self.results.setColumnCount(len(tiers))
        self.results.setHorizontalHeaderLabels([t["name"] for t in tiers])
        self.results.setVerticalHeaderLabels([k["name"] for k in doc["kpis"]])
        for r, kpi in enumerate(doc["kpis"]):
            for c, tier in enumerate(tiers):
                cell = kpi["by_tier"][tier["id"]]
                actual = "—" if cell["actual"] is None else f"{cell['actual']:,.3g}"
                item = QTableWidgetItem(actual)
                item.setForeground(Qt.GlobalColor.white)
                item.setBackground(_colour(cell["status"]))
                self.results.setItem(r, c, item)
        head = doc["headline"]
        score_text = "—" if head["score"] is None else f"{head['score']:.2f}"
        self.statusBar().showMessage(
            f"{doc['period']}: headline score {score_text} ({head['status']})"
        )


def _colour(status: str) -> QColor:
    return QColor(_STATUS_COLOURS[status])
