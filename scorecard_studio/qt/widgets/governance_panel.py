"""The Governance workspace: commentary, actions, review and the impact of a change.

It works on the stored version being edited (the document's base version): commentary on
the KPI selected in the tree for the chosen period, the actions list grouped by owner (or
by status), the review buttons with a comment, and the impact of this version against the
one it replaces and every frozen one. Every change is a store operation (audited, chained);
the panel only reads the store back. Errors the user can fix are shown in a line, never as
a traceback.

The store may be a team's PostgreSQL over a network, so the panel never reads it on the UI
thread: the governance and the impact are read in the background ("Reading…" meanwhile),
and only the newest read's answer is shown (another version may have been opened while
one was in flight). A write (commentary, action, review) is one short statement, made
under a busy cursor; the governance is then read back in the background.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.governance import GovernanceView, ReviewState
from scorecard_studio.qt.store_reads import READING_TEXT, LatestRead, busy_cursor
from scorecard_studio.qt.widgets.history_panel import HistoryHost
from scorecard_studio.qt.widgets.ownership_view import OwnershipTree


class GovernancePanel(QWidget):
    """Commentary on the selected KPI and period, actions, review and impact."""

    #: A governance entry was written (the findings' escalations may have changed).
    changed = Signal()

    def __init__(self, workspace: HistoryHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("governancePanel")
        self.workspace = workspace
        self.view: GovernanceView | None = None
        #: The stored version :attr:`view` was read for.
        self._view_key: tuple[str | None, int | None] = (None, None)
        #: The governance read, and the impact read (the newest request of each wins).
        self.reading = LatestRead(self)
        self.impact_reading = LatestRead(self)
        self.kpi_id: str | None = None
        layout = QVBoxLayout(self)
        self.state_label = QLabel()
        self.state_label.setObjectName("reviewState")
        self.message = QLabel()
        self.message.setObjectName("governanceMessage")
        self.message.setWordWrap(True)
        review = QHBoxLayout()
        review.addWidget(self.state_label, 1)
        self.buttons: dict[ReviewState, QPushButton] = {}
        for state, text in (
            (ReviewState.PROPOSED, "Propose for review…"),
            (ReviewState.APPROVED, "Approve…"),
            (ReviewState.REJECTED, "Reject…"),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, s=state: self._ask_review(s))
            review.addWidget(button)
            self.buttons[state] = button
        self.impact_button = QPushButton("Impact of this version")
        self.impact_button.clicked.connect(self.show_impact)
        review.addWidget(self.impact_button)
        layout.addLayout(review)
        layout.addWidget(self.message)

        comment_box = QGroupBox("Commentary")
        form = QFormLayout(comment_box)
        self.kpi_box = QComboBox()
        self.kpi_box.currentIndexChanged.connect(self._kpi_chosen)
        self.period_box = QComboBox()
        self.period_box.setEditable(True)
        self.period_box.currentTextChanged.connect(lambda _t: self._show_comment())
        self.analysis = QPlainTextEdit()
        self.analysis.setPlaceholderText("Why the KPI is where it is")
        self.recommendation = QPlainTextEdit()
        self.recommendation.setPlaceholderText("What should be done")
        # A few lines each, so the actions below stay on screen at 1024 × 700; longer text
        # scrolls inside its box.
        lines = self.analysis.fontMetrics().lineSpacing()
        for edit in (self.analysis, self.recommendation):
            edit.setMaximumHeight(lines * 5 + 12)
        self.thread_label = QLabel()
        self.thread_label.setWordWrap(True)
        save = QPushButton("Save commentary")
        save.clicked.connect(self.save_comment)
        form.addRow("KPI", self.kpi_box)
        form.addRow("Period", self.period_box)
        form.addRow("Analysis", self.analysis)
        form.addRow("Recommendation", self.recommendation)
        form.addRow("", self.thread_label)
        form.addRow("", save)
        layout.addWidget(comment_box)

        actions_box = QWidget()  # the tab names it
        actions_layout = QVBoxLayout(actions_box)
        bar = QHBoxLayout()
        self.group_box = QComboBox()
        self.group_box.addItems(["By owner", "By status"])
        self.group_box.currentIndexChanged.connect(lambda _i: self._fill_actions())
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("New action: title")
        self.owner_edit = QLineEdit()
        self.owner_edit.setPlaceholderText("owner")
        self.due_edit = QLineEdit()
        self.due_edit.setPlaceholderText("due YYYY-MM-DD")
        add = QPushButton("Add action")
        add.clicked.connect(self._add_from_fields)
        done = QPushButton("Mark done")
        done.clicked.connect(lambda: self._set_selected_status("done"))
        for w in (self.group_box, self.title_edit, self.owner_edit, self.due_edit, add, done):
            bar.addWidget(w)
        self.actions_tree = QTreeWidget()
        self.actions_tree.setHeaderLabels(["Action", "Title", "Owner", "Status", "Due", "KPIs"])
        actions_layout.addLayout(bar)
        actions_layout.addWidget(self.actions_tree)
        # Actions and ownership share the room: both are lists a board reads by person.
        self.ownership = OwnershipTree()
        self.lists = QTabWidget()
        self.lists.addTab(actions_box, "Actions")
        self.lists.addTab(self.ownership, "KPIs by owner")
        layout.addWidget(self.lists)

        self.impact_text = QPlainTextEdit()
        self.impact_text.setObjectName("impactText")
        self.impact_text.setReadOnly(True)
        self.impact_text.setPlaceholderText("Impact: press “Impact of this version”.")
        self.impact_text.setMaximumHeight(self.impact_text.fontMetrics().lineSpacing() * 8 + 12)
        layout.addWidget(self.impact_text)
        self.refresh()

    # --- what is shown ------------------------------------------------------------------

    @property
    def name(self) -> str | None:
        return self.workspace.document.store_name

    @property
    def number(self) -> int | None:
        return self.workspace.document.shown_version

    def refresh(self) -> None:
        """Show the design's KPIs and periods now, and read the version's governance from
        the store again, in the background."""
        card = self.workspace.document.card
        self.kpi_box.blockSignals(True)
        self.kpi_box.clear()
        for kpi in card.all_kpis():
            self.kpi_box.addItem(f"{kpi.name} — {kpi.accountable or 'no one accountable'}", kpi.id)
        self.kpi_box.blockSignals(False)
        self.ownership.fill(card)
        result = getattr(self.workspace.document, "result", None)
        labels = list(result.period_labels) if result is not None else []
        self.period_box.blockSignals(True)
        self.period_box.clear()
        self.period_box.addItems(list(reversed(labels)))
        self.period_box.blockSignals(False)
        self.reload()
        if self.kpi_id is not None:
            self.show_kpi(self.kpi_id)
        self._show_comment()
        self._fill_actions()

    def reload(self) -> None:
        """Read the version's governance again, in the background; shown when it arrives.

        Until then the governance last read for this version stays on screen (a write's
        effect follows a moment later); another version's is cleared for "Reading…".
        """
        name, number = key = (self.name, self.number)
        if name is None or number is None:
            self.reading.cancel()
            self._show_view(key, None)
            self.state_label.setText("Not saved yet: governance starts with a saved version.")
            return
        if self._view_key != key:  # another version: nothing of the last one is shown
            self._show_view(key, None)
        if self.view is None:
            self.state_label.setText(f"v{number}: {READING_TEXT}")
        store = self.workspace.store
        self.reading.request(
            lambda: store().governance(name, number),
            lambda view: self._read(key, view),
            lambda message: self._read_failed(key, message),
        )

    def _current(self, key: tuple[str | None, int | None]) -> bool:
        return key == (self.name, self.number)

    def _read(self, key: tuple[str | None, int | None], view: GovernanceView) -> None:
        if not self._current(key):
            return  # read for a version no longer shown; its own read follows
        self._show_view(key, view)
        self.state_label.setText(f"v{key[1]}: {view.review_state.value}")

    def _read_failed(self, key: tuple[str | None, int | None], message: str) -> None:
        if self._current(key):
            self._show_view(key, None)
            self.state_label.setText(f"v{key[1]}")
            self.message.setText(message)

    def _show_view(self, key: tuple[str | None, int | None], view: GovernanceView | None) -> None:
        """Show ``view`` (None: nothing read) as the governance of version ``key``."""
        self.view, self._view_key = view, key
        for button in self.buttons.values():
            button.setEnabled(view is not None)
        self.impact_button.setEnabled(view is not None and not self.impact_reading.busy)
        self._show_comment()
        self._fill_actions()

    def show_kpi(self, kpi_id: str) -> None:
        """Follow the tree's selection."""
        self.kpi_id = kpi_id
        index = self.kpi_box.findData(kpi_id)
        if index >= 0:
            self.kpi_box.setCurrentIndex(index)

    def _kpi_chosen(self, _index: int) -> None:
        self.kpi_id = self.kpi_box.currentData()
        self._show_comment()

    def _show_comment(self) -> None:
        kpi, period = self.kpi_box.currentData(), self.period_box.currentText().strip()
        thread = [] if self.view is None or not kpi else self.view.comments_for(kpi, period)
        latest = thread[-1] if thread else None
        self.analysis.setPlainText(latest.analysis if latest else "")
        self.recommendation.setPlainText(latest.recommendation if latest else "")
        self.thread_label.setText(
            "; ".join(f"{c.author}, {c.at[:10]}" for c in thread) if thread else "No commentary."
        )
        exception = (
            None if self.view is None or not kpi else self.view.exception_for(kpi, None, period)
        )
        if exception is not None:
            self.thread_label.setText(
                self.thread_label.text() + f" Exceptional: {exception.reason}"
            )

    def _fill_actions(self) -> None:
        self.actions_tree.clear()
        if self.view is None:
            return
        groups: dict[str, list[Any]]
        if self.group_box.currentIndex() == 0:
            groups = {owner or "No owner": a for owner, a in self.view.by_owner().items()}
        else:
            groups = {s.value: a for s, a in self.view.by_status().items()}
        for group, actions in groups.items():
            top = QTreeWidgetItem([group])
            for a in actions:
                QTreeWidgetItem(
                    top,
                    [a.id, a.title, a.owner, a.status.value, a.due or "", ", ".join(a.kpis)],
                )
            self.actions_tree.addTopLevelItem(top)
            top.setExpanded(True)

    # --- changes --------------------------------------------------------------------------

    def _store_call(self, what: str, call: Any) -> Any:
        """A write: one short statement, under a busy cursor; then the governance is read
        back in the background (the typed text stays on screen until it arrives)."""
        if self.name is None or self.number is None:
            self.message.setText("Save the scorecard as a version first.")
            return None
        try:
            with busy_cursor():
                value = call(self.workspace.store())
        except ScorecardError as exc:
            self.message.setText(f"{what}: {exc}")
            return None
        self.message.setText("")
        self.reload()
        self.changed.emit()
        return value

    def save_comment(self) -> bool:
        """Commentary on the chosen KPI and period (an edit replaces the current comment of
        an unfrozen version; on a frozen one it is added after it)."""
        kpi, period = self.kpi_box.currentData(), self.period_box.currentText()
        if not kpi:
            self.message.setText("Choose a KPI first.")
            return False
        latest = None if self.view is None else self.view.latest_comment(kpi, period)
        name, number = self.name, self.number
        analysis, recommendation = self.analysis.toPlainText(), self.recommendation.toPlainText()

        def write(store: Any) -> Any:
            # Whether the latest comment's version is frozen is asked with the write, so
            # no separate read waits on the UI thread before it.
            frozen = _frozen(store, name, latest.version) if latest is not None else True
            replaces = latest.id if latest is not None and not frozen else None
            return store.comment(
                name, number, kpi, period, analysis, recommendation, replaces=replaces
            )

        done = self._store_call("Commentary", write)
        if done is not None:
            self.workspace.status("Commentary saved")
        return done is not None

    def add_action(
        self, title: str, owner: str = "", due: str | None = None, kpis: tuple[str, ...] = ()
    ) -> bool:
        name, number = self.name, self.number
        done = self._store_call(
            "Action",
            lambda s: s.add_action(name, number, title, owner=owner, due=due or None, kpis=kpis),
        )
        return done is not None

    def _add_from_fields(self) -> None:
        kpi = self.kpi_box.currentData()
        if self.add_action(
            self.title_edit.text(),
            self.owner_edit.text(),
            self.due_edit.text().strip() or None,
            (kpi,) if kpi else (),
        ):
            self.title_edit.clear()

    def set_status(self, action_id: str, status: str) -> bool:
        name, number = self.name, self.number
        done = self._store_call(
            "Action", lambda s: s.update_action(name, number, action_id, status=status)
        )
        return done is not None

    def _set_selected_status(self, status: str) -> None:
        item = self.actions_tree.currentItem()
        if item is not None and item.parent() is not None:
            self.set_status(item.text(0), status)

    def review(self, state: ReviewState, comment: str = "") -> bool:
        name, number = self.name, self.number
        done = self._store_call("Review", lambda s: s.review(name, number, state, comment))
        if done is not None:
            self.workspace.status(f"v{number} is {state.value}")
        return done is not None

    def _ask_review(self, state: ReviewState) -> None:
        comment, ok = QInputDialog.getMultiLineText(self, "Review", f"Comment ({state.value}):")
        if ok:
            self.review(state, comment)

    def show_impact(self) -> None:
        """The impact of this version against the one it replaces and every frozen one,
        worked out in the background (it scores several versions); the button waits."""
        name, number = self.name, self.number
        if name is None or number is None:
            self.message.setText("Save the scorecard as a version first.")
            return
        store = self.workspace.store
        self.impact_button.setEnabled(False)
        self.impact_text.setPlainText(READING_TEXT)
        self.impact_reading.request(
            lambda: store().impact(name, number),
            lambda runs: self._impact_read((name, number), runs),
            self._impact_failed,
        )

    def _impact_read(self, key: tuple[str, int], runs: Any) -> None:
        self.impact_button.setEnabled(self.view is not None)
        if not self._current(key):
            self.impact_text.setPlainText("")  # about a version no longer shown
            return
        number = key[1]
        self.message.setText("")
        lines = [line for run in runs for line in run.lines()]
        self.impact_text.setPlainText(
            "\n".join(lines) or f"v{number} has no earlier or frozen version to compare with."
        )

    def _impact_failed(self, message: str) -> None:
        self.impact_button.setEnabled(self.view is not None)
        self.impact_text.setPlainText("")
        self.message.setText(f"Impact: {message}")


def _frozen(store: Any, name: str | None, number: int) -> bool:
    """Whether version ``number`` is frozen (when in doubt it is: nothing is replaced)."""
    try:
        return bool(store.version_info(name, number).frozen_label)
    except ScorecardError:
        return True
