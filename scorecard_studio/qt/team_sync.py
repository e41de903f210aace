"""The team store in the window: where it is (File › Team store…) and Sync (File › Sync
with team store), which pushes this computer's versions and pulls the team's, by hash.

The team store's URL is a window setting (``store/team_url``), remembered without a
password (PostgreSQL reads passwords from ``~/.pgpass``). Ticking "work directly on the
team store" opens it in place of the local store, now and at the next start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from scorecard_studio.qt.settings import settings

URL_KEY = "store/team_url"
DIRECT_KEY = "store/team_direct"


def team_store_url() -> str:
    return str(settings().value(URL_KEY, "") or "")


def works_on_team_store() -> bool:
    """Whether the window opens the team store itself rather than the local store."""
    return bool(team_store_url()) and str(settings().value(DIRECT_KEY, "false")) == "true"


def sync_summary(pushed: Sequence[Any], pulled: Sequence[Any]) -> str:
    """What a sync did, in a few lines a person reads (reports from ``Store.push/pull``)."""
    lines = []
    for verb, reports in (("Sent", pushed), ("Received", pulled)):
        done = [
            f"{r.scorecard} ({', '.join(f'v{n}' for n in r.added)})" for r in reports if r.added
        ]
        if done:
            lines.append(f"{verb}: {'; '.join(done)}.")
        entries = sum(r.governance_added for r in reports)
        if entries:
            lines.append(f"{verb}: {entries} governance entry(ies).")
    for r in pushed:
        if r.diverged:
            lines.append(
                f"{r.scorecard}: your {', '.join(f'v{n}' for n in r.diverged)} build on an older "
                f"version than the team's {r.conflicts_with}; kept in the team store as a draft, "
                "not as a version. Open the latest version and redo the change on top of it."
            )
        if r.freezes_left_out:
            lines.append(
                f"{r.scorecard}: freezes not sent (only an approver may freeze on the team store)."
            )
    return "\n".join(lines) or "Everything was already in sync."


class TeamStoreDialog(QDialog):
    """The team store's URL, and whether to work on it directly."""

    def __init__(self, parent: QWidget | None, url: str, direct: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team store")
        layout = QVBoxLayout(self)
        hint = QLabel(
            "The team's PostgreSQL store, e.g. postgresql://ana@db.example.com/scorecards.\n"
            "Passwords are not kept here: PostgreSQL reads them from ~/.pgpass."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("postgresql://USER@HOST/DATABASE")
        layout.addWidget(self.url)
        self.direct = QCheckBox("Work directly on the team store (instead of syncing)")
        self.direct.setChecked(direct)
        layout.addWidget(self.direct)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class TeamSync:
    """File › Team store… and File › Sync with team store."""

    def __init__(
        self,
        window: QWidget,
        store: Callable[[], Any],
        reopen: Callable[[str | None], object],
        run: Callable[..., Any],
        warn: Callable[[str, str], None],
        inform: Callable[[str, str], None],
    ) -> None:
        self.window = window
        self._store = store
        self._reopen = reopen
        self._run = run
        self._warn = warn
        self._inform = inform

    def choose(self) -> bool:
        """Ask for the team store; False when cancelled or not a team store URL."""
        from scorecard_studio.domain.errors import StoreError
        from scorecard_studio.engines.store.postgres import (
            is_team_url,
            parse_team_url,
            public_name,
        )

        dialog = TeamStoreDialog(self.window, team_store_url(), works_on_team_store())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        text = dialog.url.text().strip()
        if text and not is_team_url(text):
            self._warn("Team store", f"{text}: expected postgresql://USER@HOST/DATABASE")
            return False
        try:
            url = public_name(parse_team_url(text)) if text else ""
        except StoreError as exc:
            self._warn("Team store", str(exc))
            return False
        direct = dialog.direct.isChecked() and bool(url)
        was_direct = works_on_team_store()
        settings().setValue(URL_KEY, url)
        settings().setValue(DIRECT_KEY, "true" if direct else "false")
        if direct or was_direct:
            self._reopen(url if direct else None)
        return bool(url)

    def sync(self) -> None:
        """Push this computer's versions to the team store, then pull the team's."""
        if not team_store_url() and not self.choose():
            return
        url = team_store_url()
        local = self._store()
        if getattr(local, "team", False):
            self._inform(
                "Sync",
                "The window works directly on the team store, so there is nothing to sync.",
            )
            return

        def work(_progress: Any, _cancel: Any) -> str:
            from scorecard_studio.engines.store import open_store

            with open_store(url=url) as team:
                pushed = local.push(team)
                pulled = local.pull(team)
            return sync_summary(pushed, pulled)

        self._run(
            "Syncing with the team store…",
            work,
            lambda summary: self._inform("Sync with team store", summary),
            "Cannot sync with the team store",
        )
