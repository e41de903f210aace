"""Text exports holding several tables, each offered as its own sheet.

Google Analytics writes a report's tables into one CSV one after the other: ``#`` comment
lines (a ruled title block first, a ``# ----`` rule before each later table), blank lines,
then a header row and its records, each table ending with an unlabelled totals row. Read as
one table, the later tables would be rows of the first. Here the file is cut at its comment
lines into sections, named ``Dataset1``, ``Dataset2``… as the same report's xlsx export
names its sheets, so a data source saved from either export reads the other.

A file is sectioned only when it starts with a comment line and at least two runs of
records are separated by comment lines; any other text file is one table as before. The
records of a section are read with the standard ``csv`` module as text (typing reads the
numbers), indexed by their line numbers in the file so every finding points at the line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.engines.importing.readers.sheets import SheetMeta
from scorecard_studio.engines.importing.tables.detect import TableSpec, detect_table
from scorecard_studio.engines.importing.tables.exporters import GOOGLE_ANALYTICS

#: Larger files are not scanned for sections (a report export is far smaller).
_MAX_BYTES = 256 << 20


@dataclass(frozen=True, slots=True)
class Section:
    """One table of a sectioned text file: its name and its records with line numbers."""

    name: str
    records: list[tuple[int, list[str]]]  # (1-based line number, fields)

    @property
    def width(self) -> int:
        return max((len(r) for _n, r in self.records), default=0)

    def meta(self) -> SheetMeta:
        return SheetMeta(self.name, "visible", "text", len(self.records), self.width)


def _comment(fields: list[str]) -> bool:
    return bool(fields) and fields[0].lstrip().startswith("#")


def _blank(fields: list[str]) -> bool:
    return not any(f.strip() for f in fields)


def find_sections(path: Path, encoding: str, delimiter: str) -> list[Section]:
    """The tables of a sectioned export, or an empty list for an ordinary text file."""
    if path.stat().st_size > _MAX_BYTES:
        return []
    with path.open("r", encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        groups: list[list[tuple[int, list[str]]]] = [[]]
        start = 1
        for fields in reader:
            if fields:
                fields[0] = fields[0].lstrip("\ufeff")
            if _comment(fields):
                if groups[-1]:
                    groups.append([])
            elif not _blank(fields):
                groups[-1].append((start, fields))
            start = reader.line_num + 1
    groups = [g for g in groups if g]
    if len(groups) < 2:
        return []
    return [Section(f"Dataset{i}", g) for i, g in enumerate(groups, start=1)]


def sections_of(path: Path) -> list[Section]:
    """:func:`find_sections` with the file's own encoding and delimiter."""
    from scorecard_studio.engines.importing.readers.csv_sniff import (
        detect_encoding,
        sniff_delimiter,
    )

    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if not head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"#"):
        return []  # not a sectioned export: nothing more is read
    encoding, _notes = detect_encoding(path)
    sample = head.decode(encoding, errors="replace")
    lines = [ln for ln in sample.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return find_sections(path, encoding, sniff_delimiter("\n".join(lines)))


def choose(sections: list[Section], sheet: str | None, file: str) -> Section:
    """The section named ``sheet`` (the first when None)."""
    if sheet is None:
        return sections[0]
    for section in sections:
        if section.name == sheet:
            return section
    names = ", ".join(s.name for s in sections)
    raise DataImportError(f"{file}: no sheet named {sheet!r} (sheets: {names})")


def read_section(section: Section, header_row: int | None) -> tuple[pd.DataFrame, TableSpec]:
    """The section's table as text, its header found as on a sheet; index: line numbers."""
    width = section.width
    rows = [r + [""] * (width - len(r)) for _n, r in section.records]
    grid: list[list[object]] = [[c if c.strip() else None for c in r] for r in rows]
    lines = [n - 1 for n, _r in section.records]  # 0-based file lines, as sheets count rows
    within = None
    if header_row is not None:  # the file's line, as the inspection showed it
        within = lines.index(header_row) if header_row in lines else 0
    spec = detect_table(grid, 0, [], within)
    if spec.header_row is None:
        spec.first_column, spec.last_column = 0, width - 1
        spec.names = [f"Column {i + 1}" for i in range(width)]
        start = 0
    else:
        start = spec.data_start
    end = len(rows) if spec.data_end is None else spec.data_end
    lo, hi = spec.first_column, spec.last_column
    body = [[c if c.strip() else None for c in r[lo : hi + 1]] for r in rows[start:end]]
    numbers = [n for n, _r in section.records[start:end]]
    frame = pd.DataFrame(body, columns=list(spec.names[: hi - lo + 1]), dtype="str")
    frame.index = pd.Index(numbers, name="row")
    if spec.header_row is not None:
        spec.header_row = lines[spec.header_row]
    spec.exporter = GOOGLE_ANALYTICS
    spec.notes.append(
        f"Google Analytics export with {section.name} as one of its tables; each table of "
        "the file is offered as its own sheet"
    )
    return frame, spec
