"""The Evidence view: account health by tier (with drill-down), at-risk accounts, links.

Self-contained: it takes the ``ScorecardDocument`` and reads nothing else of the window, so
it can sit in a dialog, a dock or a workspace. The evidence is computed off the UI thread
(``BackgroundTask``) whenever the design or the data change, and again on Refresh; the
tables show the last finished result and say when a newer one is on its way.

Given the window's :class:`~scorecard_studio.qt.evidence_source.EvidenceSource`, it shows
that evidence whenever it is of the document as it is (the map and the findings read the
same one) and waits for it while it is being computed; it computes its own only for what
the source does not cover (a design with no evidence settings still has account health).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.model import STATUS_LABELS, STATUS_MARKS
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.tasks import BackgroundTask

if TYPE_CHECKING:
    import pandas as pd

    from scorecard_studio.domain.model import Scorecard
    from scorecard_studio.engines.analytics import Evidence, TierHealth
    from scorecard_studio.qt.evidence_source import EvidenceSource

#: Milliseconds of quiet after an edit before the evidence is recomputed.
RECOMPUTE_DELAY_MS = 400


def _num(value: float | None, digits: int = 2, money: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if money or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _band(status: str) -> str:
    return f"{STATUS_MARKS.get(status, '')} {STATUS_LABELS.get(status, status)}".strip()


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c > 0 and text[:1].lstrip("-").isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class EvidenceView(QWidget):
    """Health by tier → accounts, the at-risk list, and the strategy map's evidence."""

    evidenceReady = Signal(object)  # Evidence

    def __init__(
        self,
        document: ScorecardDocument,
        parent: QWidget | None = None,
        source: EvidenceSource | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.source = source
        self.evidence: Evidence | None = None
        #: How many times this view ran the analysis itself (the rest came from the source).
        self.computed = 0
        self.tier_rows: list[TierHealth] = []
        self._task: BackgroundTask | None = None
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

        self.period_box = QComboBox()
        self.period_box.currentIndexChanged.connect(self._show)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        top.addWidget(self.period_box)
        top.addWidget(self.refresh_button)
        top.addWidget(self.status, 1)

        self.tier_table = _table(["Tier", "Accounts", "Mean health", "Green", "Amber", "Red"])
        self.tier_table.cellClicked.connect(self._drill_down)
        self.accounts_title = QLabel("Click a tier to see its accounts.")
        self.account_table = _table(["Account", "Health", "Band", "Coverage", "Value"])
        self.calibration = QLabel()
        self.calibration.setWordWrap(True)
        self.calibration.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        health = QWidget()
        health_layout = QVBoxLayout(health)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tier_table)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.accounts_title)
        lower_layout.addWidget(self.account_table)
        split.addWidget(lower)
        health_layout.addWidget(split, 1)
        health_layout.addWidget(self.calibration)

        self.risk_table = _table(["Account", "Tier", "Value at risk", "Health", "Reasons"])
        self.catch_label = QLabel()
        risk = QWidget()
        risk_layout = QVBoxLayout(risk)
        risk_layout.addWidget(self.risk_table, 1)
        risk_layout.addWidget(self.catch_label)

        self.link_table = _table(["Link", "Verdict", "Best lag", "Spearman r", "95% CI", "n"])
        self.redundant_table = _table(["KPI pair", "r", "Suggestion"])
        links = QWidget()
        links_layout = QVBoxLayout(links)
        links_layout.addWidget(QLabel("Strategy-map links (leading → lagging), lags 0–4:"))
        links_layout.addWidget(self.link_table, 2)
        links_layout.addWidget(QLabel("Redundant KPI pairs:"))
        links_layout.addWidget(self.redundant_table, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(health, "Account health")
        self.tabs.addTab(risk, "At risk")
        self.tabs.addTab(links, "Links")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        document.designChanged.connect(self._schedule)
        document.tablesChanged.connect(self._schedule)
        if source is not None:
            source.evidenceReady.connect(self._from_source)
            source.failed.connect(self._on_failed)
        self.refresh()

    # --- computing ------------------------------------------------------------------------

    def _schedule(self, *_args: object) -> None:
        self._timer.start()

    def refresh(self) -> None:
        """Recompute the evidence off the UI thread (once more if one run is under way)."""
        if self._task is not None:
            self._again = True
            return
        card, tables = self.document.card, dict(self.document.tables)
        if not tables:
            self.evidence = None
            self.status.setText("Import data to see account health and evidence.")
            self._clear()
            return
        self.status.setText("Computing account health and evidence…")
        if not self._shared_coming(card, tables):
            self._compute(card, tables)

    def _compute(self, card: Scorecard, tables: dict[str, pd.DataFrame]) -> None:
        def work(_progress: object, _cancel: object) -> Evidence:
            from scorecard_studio.engines.analytics import analyze

            return analyze(card, tables)

        self.computed += 1
        task = BackgroundTask(work, self)
        task.succeeded.connect(self._on_ready)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_finished)
        self._task = task
        task.start()

    def _shared_coming(self, card: Scorecard, tables: dict[str, pd.DataFrame]) -> bool:
        """Show the source's evidence if it is current, or wait for it: True when so."""
        from scorecard_studio.qt.evidence_source import wants_evidence

        source = self.source
        if source is None or not wants_evidence(card, tables):
            return False
        shared = source.current()
        if shared is not None:
            self._on_ready(shared)
            return True
        # Being computed (or about to be): its evidenceReady brings it here.
        return source.busy

    def _from_source(self, evidence: Evidence | None) -> None:
        if self.source is None or not self.source.is_current():
            return  # outdated already: the source computes again and reports again
        if evidence is not None:
            self._on_ready(evidence)
        elif self._task is None and self.document.tables:
            # No accounts to analyse by the source's rules: the view says so itself.
            self._compute(self.document.card, dict(self.document.tables))

    def _on_finished(self) -> None:
        if self._task is not None:
            self._task.deleteLater()
        self._task = None
        if self._again:
            self._again = False
            self.refresh()

    def _on_failed(self, message: str) -> None:
        self.status.setText(f"Could not compute the evidence: {message}")

    def _on_ready(self, evidence: Evidence) -> None:
        self.evidence = evidence
        current = self.period_box.currentText()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        with_health = [
            label for i, label in enumerate(evidence.period_labels) if evidence.panel.has_health(i)
        ]
        self.period_box.addItems(with_health)
        if current in with_health:
            self.period_box.setCurrentText(current)
        elif with_health:
            self.period_box.setCurrentIndex(len(with_health) - 1)
        self.period_box.blockSignals(False)
        n = evidence.panel.n_customers
        self.status.setText(
            f"{n:,} accounts" if n else "No source has a customer key: no accounts to analyse."
        )
        self._show()
        self.evidenceReady.emit(evidence)

    # --- showing --------------------------------------------------------------------------

    def _clear(self) -> None:
        for table in (self.tier_table, self.account_table, self.risk_table, self.link_table):
            table.setRowCount(0)
        self.redundant_table.setRowCount(0)
        self.calibration.setText("")
        self.catch_label.setText("")

    def _period(self) -> int | None:
        ev = self.evidence
        label = self.period_box.currentText()
        if ev is None or not label:
            return None
        return ev.period_labels.index(label)

    def _show(self, *_args: object) -> None:
        ev, period = self.evidence, self._period()
        if ev is None or period is None:
            self._clear()
            return
        self.tier_rows = ev.health_by_tier(period)
        _fill(
            self.tier_table,
            [
                [
                    r.name,
                    str(r.accounts),
                    _num(r.mean_health),
                    *(str(r.bands[b]) for b in ("green", "amber", "red")),
                ]
                for r in self.tier_rows
            ],
        )
        self.account_table.setRowCount(0)
        self.accounts_title.setText("Click a tier to see its accounts.")
        self.calibration.setText(self._calibration_text(ev))
        risky = ev.at_risk(period)
        _fill(
            self.risk_table,
            [
                [
                    a.key,
                    self._tier_name(a.tier),
                    _num(a.value_at_risk, money=True),
                    _num(a.health),
                    "; ".join(r.text for r in a.reasons),
                ]
                for a in risky
            ],
        )
        catch = ev.catch
        self.catch_label.setText(
            ""
            if catch is None
            else f"{len(risky)} accounts at risk. Over all periods, {catch.caught} of "
            f"{catch.churned} accounts that churned were flagged before they did."
        )
        self._show_links(ev)

    def _show_links(self, ev: Evidence) -> None:
        from scorecard_studio.engines.analytics import VERDICT_LABELS

        rows = []
        for e in ev.links:
            best = e.best
            rows.append(
                [
                    f"{e.link.cause} → {e.link.effect} ({e.link.sign.value})",
                    VERDICT_LABELS[e.verdict],
                    "–" if e.best_lag is None else str(e.best_lag),
                    "–" if best is None else _num(best.r),
                    "–" if best is None else f"{_num(best.low)} … {_num(best.high)}",
                    "–" if best is None else f"{best.n:,}",
                ]
            )
        _fill(self.link_table, rows)
        _fill(
            self.redundant_table,
            [
                [
                    f"{p.first} / {p.second}",
                    "same definition" if p.correlation is None else _num(p.correlation.r),
                    p.suggestion,
                ]
                for p in ev.redundant
            ],
        )

    def _tier_name(self, tier_id: str) -> str:
        for t in self.document.card.tiers:
            if t.id == tier_id:
                return t.name
        return tier_id or "–"

    def _calibration_text(self, ev: Evidence) -> str:
        c = ev.calibration
        if c is None:
            return "No renewal outcomes in the design: health is not calibrated."
        green = "; ".join(
            f"{g.green} of {g.churned} churned accounts were green {g.lag} period(s) before"
            for g in c.green_before_churn
        )
        return (
            f"Calibration on {', '.join(c.eval_periods) or 'no later periods'} "
            f"(bands fit on the periods before): AUC {_num(c.auc)}, Brier score "
            f"{_num(c.brier, 3)}, {c.n_units:,} account-periods due for renewal. {green}."
        )

    def _drill_down(self, row: int, _column: int) -> None:
        """A tier's accounts in the chosen period, worst health first."""
        ev, period = self.evidence, self._period()
        if ev is None or period is None or row >= len(self.tier_rows):
            return
        tier = self.tier_rows[row]
        accounts = ev.accounts(period, tier.tier)
        self.accounts_title.setText(f"{tier.name}: {len(accounts):,} accounts, worst first")
        _fill(
            self.account_table,
            [
                [
                    a.key,
                    _num(a.health),
                    _band(a.band),
                    f"{a.coverage:.0%}",
                    _num(a.value_at_risk, money=True),
                ]
                for a in accounts
            ],
        )
