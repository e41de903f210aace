"""Opening, saving, importing and exporting: what the File menu and the start page do.

The workspace connects the document to the outside world: design files, the version store,
the import wizard and the Excel report. Slow work (reading data, writing a report) runs in
the background with progress and Cancel. Errors end as a message naming what went wrong;
nothing here lets an exception reach the user as a traceback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMessageBox

from scorecard_studio.domain.errors import ConflictError, ScorecardError, StoreOpenError
from scorecard_studio.domain.model import DataSource, Perspective, Scorecard
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.drafts import DraftKeeper
from scorecard_studio.qt.evidence_source import EvidenceSource
from scorecard_studio.qt.exports import Exports
from scorecard_studio.qt.recent import add_recent_file, add_recent_store, open_recent
from scorecard_studio.qt.settings import (
    author_name,
    last_folder,
    remember_folder,
    settings,
)
from scorecard_studio.qt.startup import StartUp, sample_data_dir
from scorecard_studio.qt.store_recovery import StoreRecovery
from scorecard_studio.qt.tasks import BackgroundTask, run_with_progress, shut_down_tasks
from scorecard_studio.qt.team_sync import TeamSync

if TYPE_CHECKING:
    import pandas as pd

    from scorecard_studio.engines.scoring import Actuals

log = logging.getLogger(__name__)

DEFAULT_PERSPECTIVES = ("Financial", "Customer", "Internal Process", "Learning & Growth")


def find_source_file(source: DataSource, near: Path | None) -> Path | None:
    """The file a source names, looked up beside the design, then in the sample data."""
    if not source.file:
        return None
    name = Path(source.file)
    candidates = [name] if name.is_absolute() else []
    if near is not None:
        candidates.append(near / name)
    candidates.append(sample_data_dir() / name.name)
    return next((c for c in candidates if c.is_file()), None)


class Workspace(QObject):
    """File, store and report operations on behalf of the main window."""

    documentOpened = Signal()
    historyChanged = Signal()

    def __init__(
        self, window: QMainWindow, document: ScorecardDocument, store_path: str | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.document = document
        self.store_path = store_path
        self._store: Any = None
        self._store_lock = threading.Lock()
        self._tasks: list[BackgroundTask] = []
        self.recovery = StoreRecovery(window, self.open_store_at, self.warn, self.status)
        self.drafts = DraftKeeper(window, document, self.store, self.status, self.open_card)
        #: The document's evidence (strategy map, report), computed off the UI thread.
        self.evidence = EvidenceSource(document, self)
        self.exports = Exports(window, document, self.store, self.status, self.warn, self._run)
        self.exports.evidence = self.evidence
        self.team = TeamSync(
            window, self.store, self.open_store_at, self._run, self.warn, self.inform
        )
        self.startup = StartUp(self)

    # --- the store ----------------------------------------------------------------------

    def store(self) -> Any:
        """The version store, opened on first use (SQL is not loaded before it is needed)."""
        with self._store_lock:
            if self._store is None:
                from scorecard_studio.engines.store import open_store

                self._store = open_store(self.store_path)
            return self._store

    def open_store_at(self, path: str | None) -> object:
        """Point the workspace at another store (file or team URL) and open it; a store the
        user chose is remembered in the Recent list."""
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
            self.store_path = path
        store = self.store()
        if path is not None:
            add_recent_store(path)
        self.historyChanged.emit()
        return store

    def open_recent(self, location: str) -> None:
        """A Recent entry, opened as its kind opens (see :mod:`.recent`)."""
        open_recent(self, location)

    def store_failed(self, title: str, message: str) -> None:
        """A failed store operation: a store that cannot be opened offers the ways out."""
        try:
            self.store()
        except StoreOpenError as exc:
            if self.recovery.handle(exc):
                self.start([])  # a store is open now: what the window shows first, again
            return
        except ScorecardError:
            pass
        self.warn(title, message)

    def location_label(self) -> str:
        doc = self.document
        if doc.store_name is not None:
            shown, head = doc.shown_version, doc.base_version
            if shown is None:
                version = " (unsaved)"
            elif shown != head:
                version = f" v{shown} (latest v{head})"
            else:
                version = f" v{shown}"
            return f" — store{version}"
        if doc.path is not None:
            return f" — {doc.path.name}"
        return ""

    # --- messages -----------------------------------------------------------------------

    def warn(self, title: str, message: str) -> None:
        QMessageBox.warning(self.window, title, message)

    def inform(self, title: str, message: str) -> None:
        QMessageBox.information(self.window, title, message)

    def status(self, message: str, ms: int = 6000) -> None:
        self.window.statusBar().showMessage(message, ms)

    def confirm_discard(self, doing: str) -> bool:
        """Ask before unsaved changes are left behind; True when it is fine to go on."""
        if not self.document.is_modified():
            return True
        answer = QMessageBox.question(
            self.window,
            "Unsaved changes",
            f"The scorecard has changes that are not saved as a version. Save them before {doing}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save_version()
        self.drafts.discard()
        return True

    # --- opening ------------------------------------------------------------------------

    def open_card(
        self,
        card: Scorecard,
        tables: dict[str, pd.DataFrame],
        *,
        path: Path | None = None,
        store_name: str | None = None,
        base_version: int | None = None,
        actuals: Actuals | None = None,
        shown_version: int | None = None,
    ) -> None:
        self.document.load(card, tables, path, store_name, base_version, actuals, shown_version)
        self.documentOpened.emit()

    def new_scorecard(self) -> None:
        if not self.confirm_discard("starting a new scorecard"):
            return
        perspectives = tuple(
            Perspective(name.lower().replace(" & ", "_").replace(" ", "_"), name)
            for name in DEFAULT_PERSPECTIVES
        )
        self.open_card(Scorecard("Untitled scorecard", perspectives), {})

    def choose_and_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Open scorecard",
            last_folder("open"),
            "Scorecards (*.json *.scorecard);;Designs (*.json);;Portable scorecards (*.scorecard)",
        )
        if path:
            remember_folder("open", path)
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Open a design file or a portable ``.scorecard`` file."""
        if not self.confirm_discard("opening another scorecard"):
            return
        target = Path(path)
        if target.suffix.lower() == ".scorecard":
            self._open_portable(target)
            return
        from scorecard_studio.engines.design_file import load_design

        try:
            card = load_design(target)
        except ScorecardError as exc:
            self.warn("Cannot open design", str(exc))
            return
        add_recent_file(target)
        self.open_card(card, {}, path=target)
        self.load_source_files(card, target.parent)

    def open_template(self, path: str) -> None:
        """A template opens as a new, unsaved scorecard (with sample data when it fits)."""
        if not self.confirm_discard("opening a template"):
            return
        from scorecard_studio.engines.design_file import load_design

        try:
            card = load_design(path)
        except ScorecardError as exc:
            self.warn("Cannot open template", str(exc))
            return
        self.open_card(card, {})
        self.load_source_files(card, Path(path).parent)

    def load_source_files(self, card: Scorecard, near: Path | None) -> None:
        """Read the files the design's sources name, in the background."""
        wanted = {s.id: find_source_file(s, near) for s in card.sources}
        found = {sid: p for sid, p in wanted.items() if p is not None}
        missing = [sid for sid, p in wanted.items() if p is None]
        if missing:
            self.status(
                "No data file found for source(s) "
                + ", ".join(missing)
                + ": use File › Import spreadsheet…",
                10000,
            )
        if not found:
            return
        from scorecard_studio.engines.data_loading import read_source_table

        def work(progress: Any, cancel: Any) -> dict[str, pd.DataFrame]:
            tables: dict[str, pd.DataFrame] = {}
            for i, (sid, file) in enumerate(found.items()):
                if cancel.is_set():
                    break
                tables[sid] = read_source_table(card.source(sid), file)
                progress((i + 1) / len(found))
            return tables

        def done(tables: dict[str, pd.DataFrame]) -> None:
            if self.document.card.sources == card.sources or set(tables) <= {
                s.id for s in self.document.card.sources
            }:
                self.document.set_tables({**self.document.tables, **tables})
                self.status(f"Loaded data for {len(tables)} source(s)")

        self.loading_while(self._run("Reading data…", work, done))

    def open_from_store(self, name: str, number: int | None = None) -> None:
        """Open a version (default: the head). Edits of an older version save on top of the
        head, so opening history never forks it."""
        store = self.store()
        version = store.checkout(name, number)
        self._show_version(name, version, version.load_snapshots(), store.head(name), number)

    def open_version(self, name: str, number: int | None = None, *, quietly: bool = False) -> Any:
        """:meth:`open_from_store` with the store read off the UI thread (the menus, the
        History panel and later starts use this: a version's data may be large, and a team
        store far away). ``quietly`` shows no progress dialog (start-up)."""

        def work(_progress: Any, _cancel: Any) -> Any:
            store = self.store()
            version = store.checkout(name, number)
            return version, version.load_snapshots(), store.head(name)

        def done(outcome: Any) -> None:
            version, tables, head = outcome
            self._show_version(name, version, tables, head, number)

        title = "Cannot open the version"
        if quietly:
            task = self.run_quietly(work, done, title)
        else:
            task = self._run(f"Opening {name}…", work, done, title)
        self.loading_while(task)
        return task

    def _show_version(
        self, name: str, version: Any, tables: Any, head: int, number: int | None
    ) -> None:
        self.open_card(
            version.design,
            tables,
            store_name=name,
            base_version=head,
            shown_version=version.number,
        )
        settings().setValue("last/store_name", name)
        if number is not None and number != head:
            self.status(f"Showing version {number}; saving makes it the new head")

    def _open_portable(self, path: Path) -> None:
        try:
            summary = self.store().import_scorecard(path)
        except ScorecardError as exc:
            self.warn("Cannot open portable scorecard", str(exc))
            return
        add_recent_file(path)
        self.open_from_store(summary.name)
        self.status(f"Imported {path.name} into the store")

    # --- first start and the sample (see :class:`~.startup.StartUp`) ---------------------

    def start(self, paths: list[str]) -> None:
        """What the window shows first: a given file, the last scorecard, or the sample."""
        self.startup.start(paths)

    def open_sample(self) -> None:
        """The bundled sample scorecard, with its saved versions, from the store."""
        self.startup.open_sample()

    def autosave_now(self) -> None:
        """Keep the working draft in the store now (see :class:`~.drafts.DraftKeeper`)."""
        self.drafts.autosave_now()

    def shutdown(self) -> None:
        """End the window's work in order before it goes: drafts stop, and every task under
        the window (store, report drawing, evidence) is cancelled and waited for, so none
        reports into a deleted view or runs on while the interpreter exits."""
        self.drafts.stop()
        shut_down_tasks(self.window)
        if self._store is not None:
            self._store.close()
            self._store = None

    # --- saving -------------------------------------------------------------------------

    def save_version(self) -> bool:
        """Save the design (and its data snapshots) as a new immutable version."""
        message, ok = QInputDialog.getMultiLineText(
            self.window, "Save version", "What changed in this version?", ""
        )
        if not ok:
            return False
        return self.commit_version(message.strip() or "Saved from the designer")

    def commit_version(self, message: str) -> bool:
        """Save without asking (the dialog's second half; also used by tests and scripts)."""
        doc = self.document
        name = doc.store_name or doc.card.name
        try:
            info = self.store().save(
                doc.card,
                doc.tables,
                message=message,
                # The name the user gave; a team store always records its login instead.
                author=None if self.store().team else (author_name() or None),
                parent=doc.base_version,
                name=name,
            )
        except ConflictError as exc:
            self.warn(
                "Saved as a draft",
                f"{exc}\n\nYour changes are kept as a draft; open the History panel to "
                "compare them with the newer version.",
            )
            self.historyChanged.emit()
            return False
        except StoreOpenError as exc:
            self.recovery.handle(exc)
            return False
        except ScorecardError as exc:
            self.warn("Cannot save", str(exc))
            return False
        doc.store_name = name
        doc.base_version = doc.shown_version = info.number
        settings().setValue("last/store_name", name)
        doc.undo_stack.setClean()
        self.drafts.discard()
        self.historyChanged.emit()
        unnamed = "" if author_name() or self.store().team else f" as {info.author}"
        hint = " — give your name: Scorecard ▸ Your name…" if unnamed else ""
        self.status(f"Saved version {info.number} of {name}{unnamed}{hint}")
        return True

    def save_design_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Save design as",
            str(Path(last_folder("save")) / f"{self.document.card.name}.json"),
            "Scorecard designs (*.json)",
        )
        if not path:
            return
        from scorecard_studio.engines.design_file import save_design

        try:
            save_design(self.document.card, path)
        except (ScorecardError, OSError) as exc:
            self.warn("Cannot save design", str(exc))
            return
        remember_folder("save", path)
        add_recent_file(path)
        self.status(f"Design written to {Path(path).name}")

    def rename_scorecard(self) -> None:
        name, ok = QInputDialog.getText(
            self.window, "Rename scorecard", "Name:", text=self.document.card.name
        )
        if ok and name.strip():
            self.document.rename(name.strip())

    # --- import and export --------------------------------------------------------------

    def import_spreadsheet(self, path: str | None = None) -> None:
        from scorecard_studio.qt.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.document.card, self.window, path=path)
        if wizard.exec() and wizard.outcome is not None:
            add_recent_file(wizard.path)
            outcome = wizard.outcome
            self.add_source(outcome.source, outcome.frame, outcome.kpis)

    def add_source(self, source: DataSource, frame: pd.DataFrame, kpis: Sequence[Any] = ()) -> None:
        """Add (or refresh) a data source: one undoable design edit plus the new table.

        ``kpis`` are the suggestions the user accepted in the wizard (``SuggestedKpi``),
        added under the perspective they name (else the first) in the same edit.
        """
        from scorecard_studio.qt.dialogs.import_suggestions import add_kpis

        card = self.document.card
        kept = tuple(s for s in card.sources if s.id != source.id)
        self.document.add_table(source.id, frame)
        self.document.edit(
            f"Import {source.name}",
            lambda c: add_kpis(replace(c, sources=(*kept, source)), kpis),
        )
        self.documentOpened.emit()
        self.status(f"Imported {len(frame):,} rows into source “{source.name}”")

    # --- background work ----------------------------------------------------------------

    def loading_while(self, task: Any) -> None:
        """The document is loading until ``task`` ends, however it ends."""
        self.document.begin_loading()
        task.finished.connect(self.document.end_loading)

    def run_quietly(
        self, work: Any, on_success: Any, failure_title: str, on_failure: Any = None
    ) -> Any:
        """Background work without a progress dialog (start-up chores)."""
        task = BackgroundTask(work, self)
        task.succeeded.connect(on_success)
        report = on_failure or self.warn
        task.failed.connect(lambda message: report(failure_title, message))
        self._tasks.append(task)
        task.finished.connect(lambda: self._tasks.remove(task) if task in self._tasks else None)
        task.start()
        return task

    def _run(
        self, label: str, work: Any, on_success: Any, failure_title: str = "Something failed"
    ) -> Any:
        def failed(message: str) -> None:
            self.warn(failure_title, message)

        task = run_with_progress(
            self.window, label, work, on_success, failed, lambda: self.status("Cancelled")
        )
        self._tasks.append(task)
        task.finished.connect(lambda: self._tasks.remove(task) if task in self._tasks else None)
        return task
