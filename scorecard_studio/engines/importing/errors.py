"""Why a file could not be imported, as one line the user can act on.

Every message starts with a stable prefix ("encrypted:", "not a spreadsheet:", "file too
large:", "unsafe file:", "memory limit:") so the window and scripts can tell the cases apart
without parsing the rest, and the CLI prints it unchanged before exiting with code 2.
"""

from __future__ import annotations

from scorecard_studio.domain.errors import DataImportError


class ImportCancelled(DataImportError):  # noqa: N818 - an outcome, like StopIteration
    """The caller set the cancel event; nothing was imported."""

    def __init__(self) -> None:
        super().__init__("import cancelled")


class PasswordRequiredError(DataImportError):
    """The workbook is encrypted and neither the default nor a given password opens it."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("encrypted: password required" + (f" ({detail})" if detail else ""))


class WrongPasswordError(DataImportError):
    """A password was given and it does not open the workbook."""

    def __init__(self) -> None:
        super().__init__("encrypted: wrong password")


class UnsupportedEncryptionError(DataImportError):
    """Encrypted with a scheme this app cannot decrypt (e.g. ODF encrypted to a PGP key)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"encrypted: {detail}")


class NotASpreadsheetError(DataImportError):
    """Empty, truncated, damaged or simply not a spreadsheet or text table."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"not a spreadsheet: {detail}")


class FileTooLargeError(DataImportError):
    """Over a size, cell-count or memory limit; the limit is named in the message."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"file too large: {detail}")


class MemoryLimitError(DataImportError):
    """The address-space limit the program runs under leaves a reader too little memory."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"memory limit: {detail}")


class UnsafeFileError(DataImportError):
    """Built to attack readers: entity expansion, external entities, bombs, endless reads."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"unsafe file: {detail}")


#: Name → class, so an error raised in the isolated reader process is raised again here.
ERROR_CLASSES: dict[str, type[DataImportError]] = {
    cls.__name__: cls
    for cls in (
        PasswordRequiredError,
        WrongPasswordError,
        UnsupportedEncryptionError,
        NotASpreadsheetError,
        FileTooLargeError,
        MemoryLimitError,
        UnsafeFileError,
    )
}


def rebuild(name: str, message: str) -> DataImportError:
    """The error a child process reported, with its message kept verbatim."""
    error = DataImportError(message)
    cls = ERROR_CLASSES.get(name)
    if cls is not None:
        error = cls.__new__(cls)
        DataImportError.__init__(error, message)
    return error
