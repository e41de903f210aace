"""Errors a user can act on.

Every front end (the CLI, the window) shows the message of a :class:`ScorecardError` as it
is, on one line, and never a traceback: the message must therefore name the file, field or
item at fault and say what was expected.
"""

from __future__ import annotations


class ScorecardError(Exception):
    """Base class of all errors caused by input the user can fix."""


class DesignError(ScorecardError):
    """A design file or design edit is malformed; ``path`` names the field at fault."""

    def __init__(self, path: str, message: str, *, origin: str = "") -> None:
        self.path = path
        self.detail = message
        self.origin = origin
        text = f"{path}: {message}" if path else message
        super().__init__(f"{origin}: {text}" if origin else text)


class DataImportError(ScorecardError):
    """A spreadsheet or CSV cannot be read (not a spreadsheet, encrypted, too large...)."""


class StoreError(ScorecardError):
    """The versioned store refused an operation (unknown scorecard, frozen version...)."""


class ConflictError(StoreError):
    """A save was based on a version that is no longer the head; the content was kept."""


class StoreOpenError(StoreError):
    """The store file cannot be used at all; ``kind`` says why, for the window to explain.

    ``kind`` is one of ``not_a_store`` (some other file), ``damaged`` (a store whose file
    was truncated or overwritten), ``newer`` (written by a newer release), ``disk_full`` and
    ``unreadable`` (the operating system refused to read or write it).
    """

    def __init__(self, message: str, *, kind: str, path: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.path = path
