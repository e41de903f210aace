"""Cheap safety checks that run before any reader touches a file.

Readers written in Rust abort the whole process (no exception) when a sheet asks for more
memory than there is, and XML readers can be made to expand entities without end. The
checks here look only at what is cheap to read — the first bytes, the zip directory, the
first kilobytes of each XML part and the declared sheet dimensions — so they add almost
nothing to a large import. What they cannot rule out (a lying dimension, a crash deep in a
damaged file) is contained by :mod:`.isolation`, which runs every workbook parse in a child
process with a memory cap and a time limit.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from scorecard_studio.engines.importing.errors import (
    FileTooLargeError,
    NotASpreadsheetError,
    UnsafeFileError,
)

#: Largest file accepted at all (a 1,000,000-row × 12-column xlsx is about 70 MB).
MAX_FILE_BYTES = 2 * 1024**3
#: Parts in a zip container; real workbooks have tens, a 1,024-sheet workbook about 2,100.
MAX_ZIP_ENTRIES = 20_000
#: Total unpacked size of a zip container.
MAX_UNPACKED_BYTES = 6 * 1024**3
#: Compression ratio above which a large part is treated as a zip bomb. Real sheet XML
#: compresses 5-30 times; a bomb of repeated bytes compresses about 1,000 times.
MAX_RATIO = 200
#: Parts smaller than this are never called bombs, whatever their ratio.
RATIO_FLOOR_BYTES = 16 * 1024**2
#: Cells a sheet may declare (rows × columns of its dimension); readers allocate the grid.
MAX_CELLS = 150_000_000
#: Bytes of text that shared strings may expand to across one sheet.
MAX_STRING_BYTES = 4 * 1024**3
#: XML parts are inspected up to this many bytes for a document type declaration.
XML_HEAD_BYTES = 8192
#: Parts whose text is read in full for the shared-string estimate.
FULL_SCAN_BYTES = 64 * 1024**2

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


class FileKind(StrEnum):
    """What the first bytes say a file is, whatever its name claims."""

    XLSX = "xlsx"  # OOXML zip (xlsx, xlsm, Strict)
    ODS = "ods"  # OpenDocument spreadsheet zip
    CFB = "cfb"  # OLE2 compound file: xls (BIFF5/8) or an encrypted OOXML workbook
    BIFF = "biff"  # bare BIFF2-4 worksheet stream (Excel 2.x-4.0)
    TEXT = "text"  # CSV, TSV or other delimited text


@dataclass(frozen=True, slots=True)
class GuardReport:
    """What the checks learned; ``part_sizes`` are unpacked sizes of zip parts."""

    kind: FileKind
    size: int
    part_sizes: dict[str, int] = field(default_factory=dict)


def column_number(letters: str) -> int:
    """``"A"`` → 1, ``"XFD"`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def check_file(path: Path) -> GuardReport:
    """Classify ``path`` by content and refuse what no reader should be given."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(65536)
    except FileNotFoundError:
        raise NotASpreadsheetError(f"{path.name}: no such file") from None
    except OSError as exc:
        raise NotASpreadsheetError(f"{path.name}: cannot be opened ({exc.strerror})") from None
    if size == 0:
        raise NotASpreadsheetError(f"{path.name} is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise FileTooLargeError(
            f"{path.name} is {size / 1024**3:.1f} GiB; the limit is "
            f"{MAX_FILE_BYTES / 1024**3:.0f} GiB"
        )
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind, parts = _check_zip(path)
        return GuardReport(kind, size, parts)
    if head.startswith(_CFB_MAGIC):
        if size < 1536:
            raise NotASpreadsheetError(f"{path.name}: truncated compound document")
        return GuardReport(FileKind.CFB, size)
    if head[:2] in _BIFF_BOF and len(head) >= 8:
        return GuardReport(FileKind.BIFF, size)
    if _looks_like_text(head):
        lowered = head[:2048].lstrip().lower()
        if lowered.startswith((b"<!doctype html", b"<html")):
            raise NotASpreadsheetError(
                f"{path.name} is a web page saved with a spreadsheet name; open it in a "
                "spreadsheet application and save it as xlsx or csv"
            )
        if lowered.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            raise NotASpreadsheetError(
                f"{path.name} is an Excel 2003 XML spreadsheet; save it as xlsx"
            )
        return GuardReport(FileKind.TEXT, size)
    raise NotASpreadsheetError(f"{path.name}: unrecognised binary file")


def _looks_like_text(head: bytes) -> bool:
    """No NUL bytes (or a UTF-16 byte-order mark) and few control characters."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head[:4096] if b < 9 or 13 < b < 32)
    return controls <= len(head[:4096]) // 100


def _check_zip(path: Path) -> tuple[FileKind, dict[str, int]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise NotASpreadsheetError(f"{path.name}: damaged zip archive ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise UnsafeFileError(f"{path.name} holds {len(infos):,} parts")
        names = {i.filename for i in infos}
        parts: dict[str, int] = {}
        total = 0
        for info in infos:
            parts[info.filename] = info.file_size
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
                raise UnsafeFileError(
                    f"{path.name}: part {info.filename} unpacks {ratio:,.0f} times larger "
                    f"({info.file_size / 1024**2:,.0f} MiB) — a zip bomb"
                )
        if total > MAX_UNPACKED_BYTES:
            raise FileTooLargeError(
                f"{path.name} unpacks to {total / 1024**3:.1f} GiB; the limit is "
                f"{MAX_UNPACKED_BYTES / 1024**3:.0f} GiB"
            )
        if "xl/workbook.bin" in names:
            raise NotASpreadsheetError(f"{path.name} is a binary workbook (xlsb); save it as xlsx")
        if "mimetype" in names:
            if _read_part(zf, path, "mimetype", 200).strip() != _ODS_MIME:
                raise NotASpreadsheetError(
                    f"{path.name}: an OpenDocument file that is not a spreadsheet"
                )
            kind = FileKind.ODS
        elif any(n.lower().endswith("workbook.xml") for n in names):
            kind = FileKind.XLSX
        else:
            raise NotASpreadsheetError(f"{path.name}: a zip archive without a workbook in it")
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")) and info.file_size:
                head = _read_part(zf, path, info.filename, XML_HEAD_BYTES)
                if _DTD.search(head):
                    raise UnsafeFileError(
                        f"{path.name}: part {info.filename} declares XML entities or a "
                        "document type (entity expansion or external entity attack)"
                    )
                if kind is FileKind.XLSX and "worksheets/" in info.filename:
                    _check_dimension(zf, path, info, head)
        if kind is FileKind.XLSX:
            _check_shared_strings(zf, path, infos)
        return kind, parts


def _read_part(zf: zipfile.ZipFile, path: Path, name: str, limit: int) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(limit)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise NotASpreadsheetError(f"{path.name}: damaged part {name} ({exc})") from None


# A cell with content: an opening tag (not self-closing, which is formatting only).
_VALUED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*(?<!/)>')


def _check_dimension(zf: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo, head: bytes) -> None:
    """Refuse a sheet whose cells span more than :data:`MAX_CELLS`.

    Some writers (Gnumeric) declare the whole grid as the dimension of a small sheet, so a
    huge declared dimension is checked against the cells actually present when the part is
    small enough to scan; a large part with a huge dimension is refused on the declaration.
    """
    match = _DIMENSION.search(head)
    if not match or not match.group(3):
        return
    c1, r1, c2, r2 = match.groups()
    rows = int(r2) - int(r1 or 1) + 1
    cols = column_number(c2.decode()) - column_number((c1 or b"A").decode()) + 1
    if rows * cols <= MAX_CELLS:
        return
    ref = f"{(c1 or b'').decode()}{(r1 or b'').decode()}:{c2.decode()}{r2.decode()}"
    if info.file_size <= FULL_SCAN_BYTES:
        data = _read_part(zf, path, info.filename, FULL_SCAN_BYTES)
        refs = _VALUED_CELL.findall(data) or [(b"A", b"1")]
        row_numbers = [int(r) for _c, r in refs]
        numbers = [column_number(c.decode()) for c in {c for c, _r in refs}]
        rows = max(row_numbers) - min(row_numbers) + 1
        cols = max(numbers) - min(numbers) + 1
        if rows * cols <= MAX_CELLS:
            return
        ref = "its cells"
    raise FileTooLargeError(
        f"{path.name}: {info.filename.rsplit('/', 1)[-1]} spans {ref} ({rows:,} rows × "
        f"{cols:,} columns = {rows * cols:,} cells; the limit is {MAX_CELLS:,})"
    )


def _check_shared_strings(zf: zipfile.ZipFile, path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a sheet whose string cells would expand a long shared string many times.

    The bound is (string cells in the sheet) × (longest shared string); it is computed only
    when the longest string is long enough for the product to matter, so ordinary files pay
    for one split of the shared-string part.
    """
    sst = next((i for i in infos if i.filename.lower().endswith("sharedstrings.xml")), None)
    if sst is None or sst.file_size > FULL_SCAN_BYTES:
        return
    text = _read_part(zf, path, sst.filename, FULL_SCAN_BYTES)
    longest = max((len(s) for s in re.split(rb"<(?:\w+:)?si>", text)), default=0)
    for info in infos:
        if "worksheets/" not in info.filename or not info.filename.endswith(".xml"):
            continue
        # A string cell takes at least ~20 bytes of XML (<c r="A1" t="s"><v>0</v></c>).
        if longest * (info.file_size // 20) <= MAX_STRING_BYTES:
            continue
        if info.file_size > FULL_SCAN_BYTES:
            continue  # left to the memory cap of the isolated reader
        sheet = _read_part(zf, path, info.filename, FULL_SCAN_BYTES)
        cells = len(re.findall(rb't="s"', sheet))
        if cells * longest > MAX_STRING_BYTES:
            raise UnsafeFileError(
                f"{path.name}: {cells:,} cells of {info.filename.rsplit('/', 1)[-1]} refer "
                f"to shared strings of up to {longest:,} bytes, "
                f"{cells * longest / 1024**3:,.1f} GiB in all — a shared-string bomb"
            )


def split_ref(ref: str) -> tuple[int, int]:
    """``"B3"`` → (row 3, column 2), both 1-based."""
    match = _CELL_REF.match(ref)
    if not match:
        raise ValueError(ref)
    return int(match.group(2)), column_number(match.group(1))
