"""Finding the table on a sheet: header row(s), columns in use, other tables beside it.

Real exports put title rows and notes above the table, merge header cells across the
columns they label, leave empty rows and columns at the edges, and sometimes stack a second
table under the first. This works on a preview grid (rows of plain values, row 1 of the
sheet first) so it runs unchanged on every format, before the full typed read.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from scorecard_studio.engines.importing.columns.cells import ExcelError, column_letter, is_blank
from scorecard_studio.engines.importing.tables.exporters import Layout, detect_layout

#: Rows looked at when searching for the header.
HEADER_SEARCH_ROWS = 40
#: Rows under a header candidate used to judge it.
LOOKAHEAD_ROWS = 25

Grid = list[list[object]]
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


@dataclass(frozen=True, slots=True)
class TableFound:
    """A table other than the one imported, so the user knows it is there."""

    header_row: int  # 0-based sheet row
    first_column: int
    last_column: int
    columns: tuple[str, ...]

    def to_json_dict(self) -> dict[str, object]:
        return {
            "header_row": self.header_row,
            "range": f"{column_letter(self.first_column)}{self.header_row + 1}:"
            f"{column_letter(self.last_column)}",
            "columns": list(self.columns),
        }


@dataclass(slots=True)
class TableSpec:
    """Where the chosen table is: header rows, data start, columns and their names."""

    header_row: int | None  # 0-based sheet row of the (last) header row; None: no header
    header_rows: int  # how many rows the header spans (2 for merged two-level headers)
    first_column: int  # 0-based sheet columns, inclusive
    last_column: int
    names: list[str]
    data_start: int  # 0-based sheet row of the first data row
    data_end: int | None = None  # exclusive; None: to the end of the sheet
    notes: list[str] = field(default_factory=list)
    others: list[TableFound] = field(default_factory=list)
    exporter: str | None = None  # the system whose export layout was recognised
    #: column offset → how the workbook formats its numbers (("percent", ""),
    #: ("currency", "$")), when the reader knows it
    displays: dict[int, tuple[str, str]] = field(default_factory=dict)


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    return None


def _kind(value: object) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, ExcelError):
        return "error"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return "date"
    return "text"


def _nonblank(row: list[object], lo: int, hi: int) -> list[int]:
    # :func:`is_blank` written out: this runs for every cell of the preview several
    # times, and the call per cell was most of the cost of finding the table
    return [
        c
        for c, v in enumerate(row[lo : hi + 1], lo)
        if not (
            v is None
            or (not v.strip() if isinstance(v, str) else isinstance(v, float) and math.isnan(v))
        )
    ]


def detect_table(
    grid: Grid,
    origin_row: int = 0,
    merges: list[Merge] | None = None,
    header_row: int | None = None,
) -> TableSpec:
    """The main table of ``grid`` (whose first row is sheet row ``origin_row``).

    ``header_row`` (0-based sheet row) forces the header, as a data source remembers it.
    """
    merges = merges or []
    width = max((len(r) for r in grid), default=0)
    if width == 0 or not any(not is_blank(v) for r in grid for v in r):
        return TableSpec(None, 0, 0, -1, [], origin_row, notes=["the sheet is empty"])
    blocks = _column_blocks(grid, width)
    best = max(blocks, key=lambda b: sum(len(_nonblank(r, b[0], b[1])) for r in grid))
    lo, hi = best
    layout = detect_layout(grid, lo, hi)
    if layout is not None and header_row in (None, origin_row + layout.header_row + layout.skip):
        return _exporter_spec(grid, origin_row, merges, lo, hi, layout, blocks, best)
    if header_row is not None:
        local = header_row - origin_row
        header = local if 0 <= local < len(grid) else None
    else:
        header = _find_header(grid, lo, hi)
    notes: list[str] = []
    others: list[TableFound] = []
    others += _other_blocks(grid, origin_row, merges, blocks, best)
    if header is None:
        names = [f"Column {column_letter(c)}" for c in range(lo, hi + 1)]
        first_data = next(i for i, r in enumerate(grid) if _nonblank(r, lo, hi))
        return TableSpec(None, 0, lo, hi, names, origin_row + first_data, notes=notes)
    rows = 1
    if header_row is None and header > 0:
        spans = [
            m
            for m in merges
            if m[0] == origin_row + header - 1 and m[3] > m[1] and lo <= m[1] <= hi
        ]
        if spans and _is_subheader(grid, header - 1, lo, hi, merges, origin_row):
            header -= 1  # merged group labels above the column labels
    if _is_subheader(grid, header, lo, hi, merges, origin_row):
        rows = 2
    names, name_notes = _names(grid, header, rows, lo, hi, merges, origin_row)
    notes += name_notes
    last_header = header + rows - 1
    data_end = _stacked_table_start(grid, last_header + 1, lo, hi)
    if data_end is not None:
        h2 = _find_header(grid[data_end:], lo, hi)
        h2 = data_end + (h2 or 0)
        names2 = _names(grid, h2, 1, lo, hi, merges, origin_row)[0]
        others.append(TableFound(origin_row + h2, lo, hi, tuple(n for n in names2 if n)))
    return TableSpec(
        header_row=origin_row + last_header,
        header_rows=rows,
        first_column=lo,
        last_column=hi,
        names=names,
        data_start=origin_row + last_header + 1,
        data_end=None if data_end is None else origin_row + data_end,
        notes=notes,
        others=others,
    )


def _other_blocks(
    grid: Grid,
    origin_row: int,
    merges: list[Merge],
    blocks: list[tuple[int, int]],
    best: tuple[int, int],
) -> list[TableFound]:
    """The tables beside the chosen one, so the user knows they are there."""
    others: list[TableFound] = []
    for b in blocks:
        if b != best:
            h = _find_header(grid, b[0], b[1])
            names = _names(grid, h, 1, b[0], b[1], merges, origin_row)[0] if h is not None else []
            others.append(
                TableFound(origin_row + (h or 0), b[0], b[1], tuple(n for n in names if n))
            )
    return others


def _exporter_spec(
    grid: Grid,
    origin_row: int,
    merges: list[Merge],
    lo: int,
    hi: int,
    layout: Layout,
    blocks: list[tuple[int, int]],
    best: tuple[int, int],
) -> TableSpec:
    """The table as the exporter laid it out (see :mod:`.exporters`)."""
    if layout.names is not None:
        names, notes = _unique(
            [n or f"Column {column_letter(lo + i)}" for i, n in enumerate(layout.names)]
        )
    else:
        names, notes = _names(grid, layout.header_row, 1, lo, hi, merges, origin_row)
    last_header = layout.header_row + layout.skip
    data_end = _stacked_table_start(grid, last_header + 1, lo, hi)
    others = _other_blocks(grid, origin_row, merges, blocks, best)
    return TableSpec(
        header_row=origin_row + last_header,
        header_rows=1 + layout.skip,
        first_column=lo,
        last_column=hi,
        names=names,
        data_start=origin_row + last_header + 1,
        data_end=None if data_end is None else origin_row + data_end,
        notes=[layout.note, *notes] if layout.note else notes,
        others=others,
        exporter=layout.exporter,
    )


def _column_blocks(grid: Grid, width: int) -> list[tuple[int, int]]:
    """Runs of used columns separated by columns empty in every row of the grid."""
    used = [any(c < len(r) and not is_blank(r[c]) for r in grid) for c in range(width)]
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    for c, u in enumerate([*used, False]):
        if u and start is None:
            start = c
        elif not u and start is not None:
            blocks.append((start, c - 1))
            start = None
    # A single empty column inside a table whose header spans it is not a separator:
    # merge blocks whose gap column has a header cell anywhere in the first rows.
    return blocks or [(0, width - 1)]


def _find_header(grid: Grid, lo: int, hi: int) -> int | None:
    """The first row that looks like column labels for the rows under it."""
    candidates = [i for i, r in enumerate(grid[:HEADER_SEARCH_ROWS]) if _nonblank(r, lo, hi)]
    if not candidates:
        return None
    widths = [len(_nonblank(grid[i], lo, hi)) for i in candidates]
    table_width = max(widths)
    for i in candidates:
        row = grid[i]
        filled = _nonblank(row, lo, hi)
        texts = [c for c in filled if _kind(row[c]) == "text"]
        if len(filled) < max(1, min(2, table_width)) or len(texts) < 0.8 * len(filled):
            continue
        if len(filled) < 0.5 * table_width:
            continue  # a title or a note above the table
        labels = [str(row[c]).strip().casefold() for c in texts]
        if len(set(labels)) < len(labels) * 0.8:
            continue
        below = [r for r in grid[i + 1 : i + 1 + LOOKAHEAD_ROWS] if _nonblank(r, lo, hi)]
        if not below:
            return i if len(grid) == i + 1 else None
        # Under a header, at least one of its columns holds something other than text,
        # or the rows below are as wide as the header (a text-only table).
        typed = any(
            _kind(r[c]) in {"number", "date", "bool"} for r in below for c in filled if c < len(r)
        )
        if typed or all(len(_nonblank(r, lo, hi)) >= 0.5 * len(filled) for r in below[:5]):
            return _wider_label_row_below(grid, i, lo, hi)
    first = grid[candidates[0]]
    filled = _nonblank(first, lo, hi)
    if all(_kind(first[c]) == "text" for c in filled) and len(filled) >= 0.5 * table_width:
        return candidates[0]
    return None


def _wider_label_row_below(grid: Grid, i: int, lo: int, hi: int) -> int:
    """Row ``i``, or the all-text row right under it when that one labels more columns.

    A title or a note above a narrow table passes the header tests too; the row of column
    labels under it is wider. (A one-column table under a one-cell title stays ambiguous:
    the first text row is taken, and the user can set the header row.)
    """
    filled = _nonblank(grid[i], lo, hi)
    nxt = next((k for k in range(i + 1, len(grid)) if _nonblank(grid[k], lo, hi)), None)
    if nxt is None:
        return i
    labels = _nonblank(grid[nxt], lo, hi)
    all_text = all(_kind(grid[nxt][c]) == "text" for c in labels)
    return nxt if all_text and len(labels) > len(filled) and len(filled) == 1 else i


def _is_subheader(
    grid: Grid, header: int, lo: int, hi: int, merges: list[Merge], origin: int
) -> bool:
    """A second header row under a row of merged group labels ("Revenue" over 2024 | 2025)."""
    if header + 1 >= len(grid):
        return False
    top, second = grid[header], grid[header + 1]
    spans = [m for m in merges if m[0] == origin + header and m[3] > m[1]]
    filled2 = _nonblank(second, lo, hi)
    if not filled2 or any(_kind(second[c]) != "text" for c in filled2):
        return False
    gaps_above = [c for c in filled2 if c >= len(top) or is_blank(top[c])]
    below = grid[header + 2 : header + 2 + LOOKAHEAD_ROWS]
    typed_below = any(
        _kind(r[c]) in {"number", "date", "bool"} for r in below for c in filled2 if c < len(r)
    )
    return bool(spans or gaps_above) and typed_below


def _names(
    grid: Grid, header: int, rows: int, lo: int, hi: int, merges: list[Merge], origin: int
) -> tuple[list[str], list[str]]:
    """Column names: merged labels repeated over their span, two-level labels joined."""
    notes: list[str] = []
    levels: list[list[str]] = []
    for level in range(rows):
        r = header + level
        row = grid[r] if r < len(grid) else []
        labels = [
            " ".join(str(row[c]).split()) if c < len(row) and not is_blank(row[c]) else ""
            for c in range(lo, hi + 1)
        ]
        for m in merges:
            if m[0] <= origin + r <= m[2] and m[3] > m[1]:
                source = labels[m[1] - lo] if lo <= m[1] <= hi else ""
                for c in range(max(m[1], lo), min(m[3], hi) + 1):
                    if not labels[c - lo]:
                        labels[c - lo] = source
        if level == 0 and rows == 2:  # group labels also run right over unmerged blanks
            last = ""
            for i, label in enumerate(labels):
                last = label or last
                labels[i] = last
        levels.append(labels)
    names: list[str] = []
    for i in range(hi - lo + 1):
        parts = [lv[i] for lv in levels if lv[i]]
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = parts[:1]
        name = " ".join(parts) or f"Column {column_letter(lo + i)}"
        if not parts:
            notes.append(f"column {column_letter(lo + i)} has no header; named {name!r}")
        names.append(name)
    names, dup_notes = _unique(names)
    notes += dup_notes
    if rows == 2:
        notes.append("the header spans two rows (merged group labels); their labels were joined")
    return names, notes


def _unique(names: list[str]) -> tuple[list[str], list[str]]:
    """Names made distinct: a repeated header's copies are numbered "(2)", "(3)"…"""
    out: list[str] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    taken = {n.casefold() for n in names}
    for name in names:
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            new = f"{name} ({seen[key]})"
            while new.casefold() in taken:
                seen[key] += 1
                new = f"{name} ({seen[key]})"
            taken.add(new.casefold())
            notes.append(f"header {name!r} appears more than once; the copy is named {new!r}")
            out.append(new)
        else:
            seen[key] = 1
            out.append(name)
    return out, notes


def _stacked_table_start(grid: Grid, start: int, lo: int, hi: int) -> int | None:
    """Row where a second table begins under the first, after at least one empty row."""
    empty_run = 0
    seen_data = False
    for i in range(start, len(grid)):
        filled = _nonblank(grid[i], lo, hi)
        if not filled:
            empty_run += 1
            continue
        if seen_data and empty_run >= 1:
            row = grid[i]
            texts = [c for c in filled if _kind(row[c]) == "text"]
            below = [r for r in grid[i + 1 : i + 6] if _nonblank(r, lo, hi)]
            typed_below = any(
                _kind(r[c]) in {"number", "date"} for r in below for c in texts if c < len(r)
            )
            if len(filled) >= 2 and len(texts) == len(filled) and typed_below:
                return i - empty_run
        seen_data = True
        empty_run = 0
    return None
