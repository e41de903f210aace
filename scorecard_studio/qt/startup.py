"""The window's first start and the bundled sample scorecard.

What the window shows first (a given file, the scorecard used last, or the sample) and how
the sample gets into the store are start-up chores with their own timing: the store opens
in the background after the first paint, so they live apart from the File menu's
operations in :mod:`scorecard_studio.qt.workspace`, which hands itself over as the host.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.drafts import DraftKeeper
from scorecard_studio.qt.settings import settings
from scorecard_studio.resources import resource

if TYPE_CHECKING:
    import pandas as pd

    from scorecard_studio.engines.scoring import Actuals
    from scorecard_studio.engines.store.portable_head import PortableHead

log = logging.getLogger(__name__)

SAMPLE_NAME = "Customer-centric scorecard (sample)"
#: Milliseconds after the window shows before the store opens in the background: the first
#: paint and first clicks get the interpreter to themselves.
STORE_OPEN_DELAY_MS = 250


def sample_data_dir() -> Path:
    """Where the bundled sample workbooks are (source tree or package)."""
    bundled = resource("sample_data")
    return bundled if bundled.is_dir() else resource("..", "sample_workbooks")


class StartHost(Protocol):
    """What the start-up needs of the workspace: its store, document and ways to open."""

    document: ScorecardDocument
    window: QMainWindow
    drafts: DraftKeeper

    def store(self) -> Any: ...

    def open_card(
        self,
        card: Scorecard,
        tables: dict[str, pd.DataFrame],
        *,
        path: Path | None = None,
        store_name: str | None = None,
        base_version: int | None = None,
        actuals: Actuals | None = None,
    ) -> None: ...

    def open_path(self, path: str) -> None: ...

    def open_from_store(self, name: str, number: int | None = None) -> None: ...

    def open_version(
        self, name: str, number: int | None = None, *, quietly: bool = False
    ) -> Any: ...

    def load_source_files(self, card: Scorecard, near: Path | None) -> None: ...

    def status(self, message: str, ms: int = 6000) -> None: ...

    def store_failed(self, title: str, message: str) -> None: ...

    def confirm_discard(self, doing: str) -> bool: ...

    def loading_while(self, task: Any) -> None: ...

    def run_quietly(
        self, work: Any, on_success: Any, failure_title: str, on_failure: Any = None
    ) -> Any: ...


class StartUp:
    """The first start and the sample, run through the workspace that owns them."""

    def __init__(self, host: StartHost) -> None:
        self._host = host
        #: The bundled sample as shown before the store had it (first start), if so.
        self._preview: PortableHead | None = None
        self._shown: Scorecard | None = None

    def open_sample(self) -> None:
        """The bundled sample scorecard, with its saved versions, from the store."""
        if not self._host.confirm_discard("opening the sample"):
            return
        self.show_sample_design()
        self.attach_sample()

    def show_sample_design(self) -> bool:
        """Show the sample's design at once (a small JSON file); data and history follow."""
        # The bundled design is trusted and checked by the tests: decoding it without the
        # JSON-schema pass keeps jsonschema out of the start-up path.
        from scorecard_studio.domain.design_codec import loads_design

        design = resource("sample", "sample_design.json")
        if not design.is_file():
            design = resource("templates", "customer_centric.json")
        if not design.is_file():
            return False
        try:
            card = loads_design(design.read_text(encoding="utf-8"))
        except (ScorecardError, OSError) as exc:
            log.warning("sample design not shown: %s", exc)
            return False
        self._host.open_card(card, {})
        self._shown = card
        self._host.status("Opening the sample scorecard…", 3000)
        return True

    def preview_sample(self) -> Any:
        """First start: the sample's scores straight from its bundled file.

        Reading the file's latest version needs pandas and pyarrow but no SQL, so the
        scores reach the screen while the store opens and imports the file's history
        beside it (about a second sooner). Nothing is shown if the user has opened or
        changed anything meanwhile; any failure leaves the store's way to bring the sample.
        """
        portable = resource("sample", "sample.scorecard")
        if not portable.is_file():
            return None

        def work(_progress: Any, _cancel: Any) -> Any:
            from scorecard_studio.engines.scoring import compute_actuals
            from scorecard_studio.engines.store.portable_head import read_portable_head

            head = read_portable_head(portable)
            return head, compute_actuals(head.design, head.tables)

        def done(outcome: Any) -> None:
            head, actuals = outcome
            if not self._still_shown():
                return
            self._preview = head
            self._host.open_card(head.design, head.tables, actuals=actuals)
            self._shown = self._host.document.card

        return self._host.run_quietly(
            work, done, "Sample", lambda _t, m: log.info("sample preview skipped: %s", m)
        )

    def _still_shown(self) -> bool:
        """True while the window shows the sample as start-up put it there, untouched."""
        document = self._host.document
        return (
            self._shown is not None
            and document.card is self._shown
            and document.store_name is None
            and document.path is None
            and not document.is_modified()
        )

    def attach_sample(self) -> None:
        """Put the sample into the store (first start) and open its head version.

        Runs in the background: loading SQL and the data snapshots takes longer than the
        window takes to appear, and the window stays usable meanwhile.
        """
        portable = resource("sample", "sample.scorecard")

        def work(progress: Any, _cancel: Any) -> Any:
            store = self._host.store()
            names = {s.name for s in store.list_scorecards()}
            if SAMPLE_NAME not in names:
                if not portable.is_file():
                    return None
                store.import_scorecard(portable)
            progress(0.5)
            version = store.checkout(SAMPLE_NAME)
            preview = self._preview
            if preview is not None and preview.hash == version.info.hash:
                return version, None  # the tables on screen are this version's
            return version, version.load_snapshots()

        def done(outcome: Any) -> None:
            if outcome is None:
                self._host.load_source_files(self._host.document.card, None)
                return
            version, tables = outcome
            if self._host.document.is_modified():
                return  # the user started editing: keep their work, do not replace it
            actuals = None
            if tables is None:
                if self._preview is None or not self._still_shown():
                    tables = version.load_snapshots()
                else:
                    tables, actuals = self._preview.tables, self._host.document.actuals
            self._preview = None
            self._host.open_card(
                version.design,
                tables,
                store_name=SAMPLE_NAME,
                base_version=version.number,
                actuals=actuals if version.design == self._host.document.card else None,
            )
            self._host.status(f"Sample scorecard, version {version.number}")

        self._host.loading_while(
            self._host.run_quietly(work, done, "The sample scorecard could not be opened")
        )

    def start(self, paths: list[str]) -> None:
        """What the window shows first: a given file, the last scorecard, or the sample.

        The first start shows the sample's design immediately and fetches its history and
        data in the background; later starts reopen the scorecard used last. A draft left
        by a crash is offered for recovery in every case.
        """
        if paths:
            self._host.open_path(paths[0])
            self.check_recovery()
            return
        last = settings().value("last/store_name")
        preview = self.preview_sample() if not last and self.show_sample_design() else None

        def work(_progress: Any, _cancel: Any) -> Any:
            store = self._host.store()
            return store.recover_drafts(), {s.name for s in store.list_scorecards()}

        def done(outcome: Any) -> None:
            drafts, names = outcome
            if drafts and self._host.drafts.offer_recovery(drafts[0]):
                return
            if last and str(last) in names:
                self._host.open_version(str(last), quietly=True)
            elif not names or SAMPLE_NAME in names or not last:
                self.attach_sample()
            else:
                self._host.window.show_start_page(True)  # type: ignore[attr-defined]

        def open_store() -> None:
            task = self._host.run_quietly(
                work, done, "The version store cannot be opened", self._host.store_failed
            )
            task.finished.connect(self._host.document.end_loading)

        # Open the store (SQL, migrations) once the window has painted and is usable; the
        # views say data is on its way from now until the scorecard's data is in. On a
        # first start the sample's scores come first: loading SQL beside them would only
        # share the interpreter with them.
        self._host.document.begin_loading()
        if preview is not None:
            preview.finished.connect(lambda: QTimer.singleShot(0, open_store))
        else:
            QTimer.singleShot(STORE_OPEN_DELAY_MS, open_store)

    def check_recovery(self) -> None:
        """Offer a draft a crash left behind, once the store is open."""

        def work(_progress: Any, _cancel: Any) -> Any:
            return self._host.store().recover_drafts()

        self._host.run_quietly(
            work, lambda d: d and self._host.drafts.offer_recovery(d[0]), "Version store"
        )
