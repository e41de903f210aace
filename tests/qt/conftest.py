"""Qt test set-up: shared design fixtures importable, settings isolated per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """QSettings (layout, recent files) written to a temporary folder, never the user's."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("Scorecard Studio Tests")
    QCoreApplication.setApplicationName("Scorecard Studio Tests")
    return folder


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes answer at once (Discard / OK) and are recorded, so no test can hang.

    A modal dialog in an offscreen test waits for a click that never comes; tests that
    expect a dialog assert on the returned list instead.
    """
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def answer(kind: str, result: QMessageBox.StandardButton) -> object:
        def show(_parent: object, title: str, text: str, *_args: object) -> object:
            shown.append((kind, title))
            return result

        return show

    button = QMessageBox.StandardButton
    monkeypatch.setattr(QMessageBox, "question", answer("question", button.Discard))
    monkeypatch.setattr(QMessageBox, "warning", answer("warning", button.Ok))
    monkeypatch.setattr(QMessageBox, "information", answer("information", button.Ok))
    monkeypatch.setattr(QMessageBox, "critical", answer("critical", button.Ok))
    return shown
