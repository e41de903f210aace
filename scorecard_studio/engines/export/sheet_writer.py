"""Saving the report: openpyxl's writer, with a faster serialisation of the cells.

openpyxl writes every cell through a chain of Python calls (an ``xmlfile`` context per
cell and per value, a style lookup hashing the cell's style on every cell). A report of a
thousand KPIs has some 300,000 cells, which made saving half the export's time. Here the
rows are formatted as XML text, exactly as openpyxl would write them (ASCII with
character references, the same attribute order, each distinct style looked up once), and
put where openpyxl's sheet file has its rows.

Everything else (sheet properties, columns, merges, print setup, drawings, styles,
workbook parts) is openpyxl's own code. A row with anything the fast path does not handle
(a comment, a hyperlink, a date, a boolean, rich text, an array formula, a non-finite
number) is written by openpyxl's own row writer. The tests compare the files both writers
make, byte for byte.
"""

from __future__ import annotations

import datetime
from io import BytesIO
from math import isfinite
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from lxml import etree
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import xmlfile

#: Rows joined and encoded at a time (the text of a whole large sheet at once would double
#: its memory for a moment).
_CHUNK_ROWS = 256


def _escape_text(text: str) -> str:
    """Text as XML character data, as lxml escapes it (a carriage return as a reference)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _escape_attribute(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class _FastSheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer with the rows formatted as text, spliced in afterwards.

    openpyxl writes an empty ``sheetData`` element where the rows go; :meth:`rows_xml`
    holds the rows' XML, which :class:`_ReportExcelWriter` puts in its place.
    """

    def write_rows(self) -> None:
        xf: Any = self.xf.send(True)
        xf.write(etree.Element("sheetData"))  # a placeholder: <sheetData/>
        self.xf.send(None)  # return control to openpyxl's generator
        self.rows_xml = self._format_rows()

    def _format_rows(self) -> list[bytes]:
        ws: Any = self.ws  # openpyxl's internals (its cells, its style registry)
        dims = ws.row_dimensions
        cells: dict[tuple[int, int], Any] = ws._cells
        # Rows in order, cells in column order, as openpyxl's writer sorts them; rows that
        # only have a dimension (a height) are written too, without cells.
        keys = sorted(cells)
        bare = sorted(dims.keys() - {row for row, _ in keys})
        bare.append(_NO_ROW)
        out: list[bytes] = []
        chunk: list[str] = []
        row_cells = _RowCells(ws.parent._cell_styles)
        b = 0
        start = 0
        n = len(keys)
        while start < n:
            row = keys[start][0]
            while bare[b] < row:
                chunk.append(_row_tag(bare[b], dims) + "</row>")
                b += 1
            end, text = row_cells.xml(keys, cells, start, row)
            if text is None:  # something only openpyxl's own writer handles
                text = self._openpyxl_row([cells[key] for key in keys[start:end]], row)
                chunk.append(text)
            else:
                chunk.append(_row_tag(row, dims) + text + "</row>")
            if len(chunk) >= _CHUNK_ROWS:
                out.append(_encode(chunk))
                chunk.clear()
            start = end
        for row in bare[b:-1]:
            chunk.append(_row_tag(row, dims) + "</row>")
        out.append(_encode(chunk))
        return out

    def _openpyxl_row(self, cells: list[Any], row: int) -> str:
        buffer = BytesIO()
        with xmlfile(buffer) as xf:
            self.write_row(xf, cells, row)
        return buffer.getvalue().decode("ascii")


def _encode(chunk: list[str]) -> bytes:
    """As lxml writes openpyxl's sheets: ASCII, anything else as a character reference."""
    return "".join(chunk).encode("ascii", "xmlcharrefreplace")


_NO_ROW = 1 << 30  # after every row
_UNSTYLED = StyleArray().tobytes()  # every id 0: no style attribute


def _row_tag(row: int, dims: Any) -> str:
    attrs = {"r": str(row)}
    attrs.update(dims.get(row, {}))
    return "<row" + "".join(f' {k}="{_escape_attribute(v)}"' for k, v in attrs.items()) + ">"


class _RowCells:
    """Formats the cells of one row; each distinct style is registered once per sheet."""

    def __init__(self, styles: Any) -> None:
        self._styles = styles
        self._style_attr: dict[bytes, str] = {_UNSTYLED: ""}
        self._letters: dict[int, str] = {}

    def xml(
        self, keys: list[tuple[int, int]], cells: dict[tuple[int, int], Any], start: int, row: int
    ) -> tuple[int, str | None]:
        """(index after the row's last cell, the cells' XML or None for openpyxl's writer)."""
        style_attr = self._style_attr
        letters = self._letters
        parts: list[str] = []
        r = str(row)
        fallback = False
        n = len(keys)
        i = start
        while i < n:
            key = keys[i]
            at_row, column = key
            if at_row != row:
                break
            i += 1
            cell = cells[key]
            if fallback:
                continue
            # (a merged range's inner cells have no hyperlink slot, and never a link)
            if cell._comment is not None or getattr(cell, "_hyperlink", None) is not None:
                fallback = True
                continue
            value = cell._value
            style = cell._style
            s = "" if style is None else style_attr.get(ids := style.tobytes())
            if s is None:
                s = style_attr[ids] = f' s="{self._styles.add(StyleArray(style))}"'
            if value is None and not s:
                continue
            letter = letters.get(column)
            if letter is None:
                letter = letters[column] = get_column_letter(column)
            kind = cell.data_type
            if kind == "n":
                if value is None or value == "":
                    parts.append(f'<c r="{letter}{r}"{s} t="n"></c>')
                elif type(value) in (float, int) and isfinite(value):
                    # openpyxl's safe_string: "%.16g", which this format spec is.
                    parts.append(f'<c r="{letter}{r}"{s} t="n"><v>{value:.16g}</v></c>')
                else:
                    fallback = True
            elif kind == "s":
                if value is None or value == "":
                    parts.append(f'<c r="{letter}{r}"{s} t="inlineStr"></c>')
                elif type(value) is str:
                    space = ' xml:space="preserve"' if value != value.strip() else ""
                    parts.append(
                        f'<c r="{letter}{r}"{s} t="inlineStr"><is><t{space}>'
                        f"{_escape_text(value)}</t></is></c>"
                    )
                else:
                    fallback = True
            elif kind == "f" and type(value) is str:
                parts.append(f'<c r="{letter}{r}"{s}><f>{_escape_text(value[1:])}</f><v></v></c>')
            else:
                fallback = True
        return i, None if fallback else "".join(parts)


class _ReportExcelWriter(ExcelWriter):
    """openpyxl's workbook writer using :class:`_FastSheetWriter` for ordinary sheets."""

    def write_worksheet(self, ws: Any) -> None:  # openpyxl's internals: drawing, rels
        # As openpyxl's own write_worksheet for a normal workbook, with the faster writer.
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _FastSheetWriter(ws)
        writer.write()
        ws._rels = writer._rels  # type: ignore[attr-defined]
        archive: ZipFile = self._archive  # type: ignore[attr-defined]
        _write_spliced(archive, str(writer.out), ws.path[1:], writer.rows_xml)
        self.manifest.append(ws)
        writer.cleanup()


def _write_spliced(archive: ZipFile, path: str, name: str, rows: list[bytes]) -> None:
    """Store openpyxl's sheet file with the rows in place of its empty ``sheetData``.

    The archive entry is made as ``ZipFile.write`` makes it from the file (its time stamp
    and permissions), with the rows' XML put in on the way.
    """
    with open(path, "rb") as source:
        sheet = source.read()
    at = sheet.find(_PLACEHOLDER)  # the first: earlier elements hold no text, only attributes
    if at < 0:
        raise RuntimeError(f"{name}: openpyxl wrote no rows placeholder")
    parts = [sheet[:at], b"<sheetData>", *rows, b"</sheetData>", sheet[at + len(_PLACEHOLDER) :]]
    info = ZipInfo.from_file(path, name)
    info.compress_type = archive.compression
    info.file_size = sum(len(part) for part in parts)
    with archive.open(info, "w") as target:
        for part in parts:
            target.write(part)


_PLACEHOLDER = b"<sheetData/>"


class Workbook(OpenpyxlWorkbook):
    """openpyxl's workbook whose :meth:`save` serialises the cells faster (same file)."""

    def save(self, filename: Any) -> None:  # a path or a binary file, as openpyxl takes
        """Save as ``openpyxl.Workbook.save`` does: the same parts, the same modified time."""
        if self.read_only or self.write_only:
            super().save(filename)  # openpyxl refuses the one and streams the other
            return
        archive = ZipFile(filename, "w", ZIP_DEFLATED, allowZip64=True)
        try:
            self.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
            _ReportExcelWriter(self, archive).save()
        finally:
            archive.close()


__all__ = ["Workbook"]
