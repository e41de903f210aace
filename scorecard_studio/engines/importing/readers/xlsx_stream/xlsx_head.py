"""Reading only the top of an xlsx sheet: the preview a large workbook needs.

A full parse of a million-row sheet takes seconds; finding its header needs its first few
hundred rows. This streams the sheet part and stops after ``rows`` rows, and resolves
shared strings by streaming that part only as far as the highest index seen. Parts are
parsed with a non-resolving, non-networking parser (the guard has already refused any part
that declares entities).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from lxml import etree

from scorecard_studio.engines.importing.columns.cells import (
    ERROR_CODES,
    ExcelError,
    decode_ooxml_escapes,
)
from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import (
    UnsupportedXmlError,
    read_digits,
)
from scorecard_studio.engines.importing.safety.guard import column_number

_CHUNK = 1 << 16
_LAST_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_CELL = np.frombuffer(b'<c r="', np.uint8)
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
#: Sheet parts up to this size are read whole as a grid (about 60,000 rows × 12 columns).
GRID_MAX_PART_BYTES = 24 * 1024**2
#: Shared-string items read at most while resolving a preview.
MAX_SST_ITEMS = 2_000_000


@dataclass(frozen=True, slots=True)
class SheetPart:
    name: str
    part: str  # path inside the zip
    visibility: str
    kind: str = "worksheet"  # worksheet, chartsheet, macrosheet, dialogsheet


def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def _parse_small(zf: zipfile.ZipFile, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zf.open(name) as fh:
        return etree.fromstring(fh.read(16 * 1024**2), parser)


_SHEET_KINDS = {
    "worksheet": "worksheet",
    "chartsheet": "chartsheet",
    "dialogsheet": "dialogsheet",
    "xlmacrosheet": "macrosheet",
    "xlintlmacrosheet": "macrosheet",
}


def sheet_parts(zf: zipfile.ZipFile) -> list[SheetPart]:
    """Worksheets in tab order with the part that holds each (Strict OOXML included)."""
    names = {n.lower(): n for n in zf.namelist()}
    wb_name = next((names[n] for n in names if n.endswith("workbook.xml")), None)
    if wb_name is None:
        return []
    rels_name = posixpath.join(posixpath.dirname(wb_name), "_rels", "workbook.xml.rels")
    targets: dict[str, str] = {}
    kinds: dict[str, str] = {}
    if rels_name.lower() in names:
        for rel in _parse_small(zf, names[rels_name.lower()]):
            target = rel.get("Target", "")
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(wb_name), target))
            targets[rel.get("Id", "")] = names.get(path.lower(), path)
            kinds[rel.get("Id", "")] = _SHEET_KINDS.get(
                str(rel.get("Type", "")).rsplit("/", 1)[-1].lower(), "worksheet"
            )
    out: list[SheetPart] = []
    for el in _parse_small(zf, wb_name).iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
        state = el.get("state", "visible")
        out.append(
            SheetPart(
                el.get("name", ""),
                targets.get(rid, ""),
                state if state in {"hidden", "veryHidden"} else "visible",
                kinds.get(rid, "worksheet"),
            )
        )
    return out


def is_large(zf: zipfile.ZipFile, parts: list[SheetPart], sheet: str | None) -> bool:
    """Whether the sheet to read (the first if none is named) is too large to read whole.

    Larger sheets are streamed (:mod:`.large_xlsx`); smaller ones are read as a grid.
    """
    wanted = sheet if sheet is not None else (parts[0].name if parts else None)
    part = next((p.part for p in parts if p.name == wanted), None)
    if part is None or part not in zf.namelist():
        return False
    return zf.getinfo(part).file_size > GRID_MAX_PART_BYTES


_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d+)"')


def declared_size(zf: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """(rows, columns) of the sheet's ``<dimension>``, from the part's first kilobytes.

    Some writers (Google Analytics among them) leave ``<dimension>`` out; a sheet part
    small enough to read as a grid is then measured from its row and cell references, so
    every sheet of the workbook is listed with its size, not only the one read.
    """
    try:
        with zf.open(part) as fh:
            head = fh.read(8192)
    except KeyError:
        return None
    match = re.search(
        rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"', head
    )
    if not match:
        return _measured_size(zf, part)
    c1, r1, c2, r2 = (g.decode() if g else None for g in match.groups())
    if c1 is None or r1 is None or c2 is None or r2 is None:
        return (1, 1) if b"<v>" in head or b"<is>" in head else (0, 0)
    return int(r2) - int(r1) + 1, column_number(c2) - column_number(c1) + 1


def _measured_size(zf: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """(last row, last column) from the references of a grid-sized part, else None."""
    if zf.getinfo(part).file_size > GRID_MAX_PART_BYTES:
        return None  # measuring would inflate the whole of a large sheet just to list it
    with zf.open(part) as fh:
        return measured_size(fh.read())


def measured_size(data: bytes) -> tuple[int, int]:
    """(last row, last column) of a sheet part from its row and cell references.

    One pass of array searches for the cells' ``<c r="`` and their column letters, instead
    of a regular expression building a string per cell; the last row is the largest row
    number written (rows are in order, but a writer may skip some).
    """
    a = np.frombuffer(data + bytes(16), np.uint8)
    lt = np.flatnonzero(a[: len(data)] == _CELL[0])
    at = lt
    for k in range(1, len(_CELL)):
        at = at[a[at + k] == _CELL[k]]
    if len(at) != data.count(b"<c ") or b":row" in data[:4096]:
        # cells whose reference is not their first attribute, or prefixed elements
        return _measured_by_pattern(data)
    rows = [int(m.group(1)) for m in _LAST_ROW.finditer(data[data.rfind(b"<row") :])]
    if len(at) == 0 and not rows:
        return data.count(b"<row"), 0
    p = at + len(_CELL)
    letters = np.zeros(len(p), np.int64)
    n_letters = np.zeros(len(p), np.int64)
    for k in range(3):
        byte = a[p + k].astype(np.int64)
        upper = (byte >= 65) & (byte <= 90) & (n_letters == k)
        letters = np.where(upper, letters * 26 + byte - 64, letters)
        n_letters += upper
    columns = int(letters.max()) if len(letters) else 0
    if len(p):
        try:
            cell_rows, _ = read_digits(a, p + n_letters, 7)
            rows.append(int(cell_rows.max()))
        except UnsupportedXmlError:
            pass
    return max(rows, default=0), columns


def _measured_by_pattern(data: bytes) -> tuple[int, int]:
    """(last row, last column) from every row and cell reference, whatever the markup."""
    cells = _CELL_REF.findall(data)
    rows = [int(r) for r in _ROW_NUMBER.findall(data)] + [int(r) for _c, r in cells]
    if not rows:  # no references at all: rows in order, their width unknown
        return data.count(b"<row"), 0
    columns = {c.decode() for c, _r in cells}
    return max(rows), max((column_number(c) for c in columns), default=0)


def _stream(zf: zipfile.ZipFile, part: str) -> Iterator[etree._Element]:
    parser = etree.XMLPullParser(
        events=("end",), resolve_entities=False, no_network=True, huge_tree=False
    )
    with zf.open(part) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            parser.feed(chunk)
            for _event, el in parser.read_events():
                yield el
    parser.close()


def head_rows(
    zf: zipfile.ZipFile, part: str, rows: int, date_styles: set[int] | None = None
) -> tuple[list[list[object]], int]:
    """The sheet's first ``rows`` rows from its first row with cells, as a grid, and the
    sheet row of its first row.

    Values are text, numbers, booleans or :class:`ExcelError`; numbers in date styles are
    left as numbers (the preview only needs to tell text from non-text).
    """
    raw: dict[int, dict[int, object]] = {}
    pending: dict[tuple[int, int], int] = {}
    for el in _stream(zf, part):
        tag = _local(el.tag)
        if tag != "row":
            continue
        row_no = int(el.get("r", "0") or 0) or (max(raw) + 1 if raw else 1)
        if raw and row_no >= min(raw) + rows:
            break  # a preview spans at most ``rows`` rows, however far the next one lies
        cells: dict[int, object] = {}
        for c in el:
            if _local(c.tag) != "c":
                continue
            match = _REF.fullmatch(c.get("r", ""))
            col = column_number(match.group(1)) - 1 if match else len(cells)
            kind = c.get("t", "n")
            value_el = next((x for x in c if _local(x.tag) == "v"), None)
            text = value_el.text if value_el is not None else None
            if kind == "inlineStr":
                cells[col] = decode_ooxml_escapes(
                    "".join(t.text or "" for t in c.iter() if _local(t.tag) == "t")
                )
            elif text is None:
                continue
            elif kind == "s":
                pending[(row_no, col)] = int(text)
            elif kind == "b":
                cells[col] = text.strip() == "1"
            elif kind == "e":
                cells[col] = ExcelError(text if text in ERROR_CODES else "#VALUE!")
            elif kind in {"str", "d"}:
                cells[col] = text
            else:
                try:
                    cells[col] = float(text)
                except ValueError:
                    cells[col] = text
        el.clear()
        raw[row_no] = cells
        if len(raw) >= rows:
            break
    if pending:
        strings = shared_strings(zf, max(pending.values()))
        for (r, c), index in pending.items():
            raw[r][c] = strings[index] if index < len(strings) else ""
    if not raw:
        return [], 0
    first = min(raw)
    last = max(raw)
    width = max((max(cells) + 1 for cells in raw.values() if cells), default=0)
    grid: list[list[object]] = []
    for r in range(first, last + 1):
        cells = raw.get(r, {})
        grid.append([cells.get(c) for c in range(width)])
    return grid, first - 1


def shared_strings(zf: zipfile.ZipFile, up_to: int) -> list[str]:
    """Shared strings 0..``up_to`` (rich-text runs joined), streamed."""
    names = {n.lower(): n for n in zf.namelist()}
    part = next((names[n] for n in names if n.endswith("sharedstrings.xml")), None)
    out: list[str] = []
    if part is None:
        return out
    limit = min(up_to, MAX_SST_ITEMS)
    for el in _stream(zf, part):
        if _local(el.tag) != "si":
            continue
        out.append(
            decode_ooxml_escapes(
                "".join(
                    t.text or ""
                    for t in el.iter()
                    if _local(t.tag) == "t" and _local(getattr(t.getparent(), "tag", "")) != "rPh"
                )
            )
        )
        el.clear()
        if len(out) > limit:
            break
    return out


_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*?\bt="e"[^>]*>(.*?)</(?:\w+:)?c>', re.S
)
_ERROR_CELL_T_FIRST = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*>(.*?)</(?:\w+:)?c>', re.S
)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def error_cells(zf: zipfile.ZipFile, part: str, limit: int) -> dict[tuple[int, int], str]:
    """Error cells of a sheet part no larger than ``limit`` bytes: (row, col) 0-based → code.

    calamine reports error cells as empty; this finds them so they are counted as errors.
    """
    out: dict[tuple[int, int], str] = {}
    with zf.open(part) as fh:
        data = fh.read(limit)
    if b't="e"' not in data:
        return out
    for pattern in (_ERROR_CELL, _ERROR_CELL_T_FIRST):
        for m in pattern.finditer(data):
            value = _VALUE.search(m.group(3))
            code = value.group(1).decode("utf-8", "replace") if value else "#VALUE!"
            out[(int(m.group(2)) - 1, column_number(m.group(1).decode()) - 1)] = code
    return out
