"""Reading delimited text: encoding, delimiter, decimal mark, quoting and the header row.

* Encoding: a byte-order mark wins; otherwise the whole file is checked as UTF-8; if that
  fails, the legacy code page is guessed (Mac Roman, windows-1252, Greek or Cyrillic) and
  a warning says which one was used — a Greek or Cyrillic file is never quietly read as
  Latin-1.
* Delimiter: the one of ``, ; TAB |`` that splits the first records into the most
  consistent number of fields.
* Decimal mark: a comma when the delimiter is not a comma and numbers are written
  ``12,5`` and never ``12.5``.
* Header: the same detection as for sheets, on the first records (title lines above).

The file is then parsed by pyarrow's multi-threaded reader (types inferred, text columns
left as text for :mod:`..columns.column_types`); records with the wrong number of fields are left
out *and listed*. Columns whose sample has numbers with leading zeros are read as text so
identifiers such as ``00123`` survive.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard_studio.engines.importing.errors import NotASpreadsheetError
from scorecard_studio.engines.importing.tables.detect import TableSpec, detect_table
from scorecard_studio.engines.importing.tables.footers import footer_reason

_SAMPLE_BYTES = 1 << 20
_DELIMITERS = (",", ";", "\t", "|")
_NUMBERISH = re.compile(r"^[+-]?\d[\d.,]*$")
_LEADING_ZERO = re.compile(r"^0\d+$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d+\.\d+$")
WORKBOOK_SUFFIXES = {".xls", ".xlsx", ".xlsm", ".ods"}


@dataclass(slots=True)
class TextTable:
    frame: pd.DataFrame  # index: record number in the file (1-based, header included)
    spec: TableSpec
    encoding: str
    delimiter: str
    decimal: str
    records: int
    findings: list[tuple[str, str, str]] = field(default_factory=list)
    dropped: list[tuple[int, str]] = field(default_factory=list)


def detect_encoding(path: Path, full_check: bool = True) -> tuple[str, list[tuple[str, str, str]]]:
    """The file's encoding and, when it is not UTF-8, a warning saying what was chosen."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", []
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample)  # a cut last character is fine
        if not full_check:
            return "utf-8", []  # the parser validates the rest and falls back on failure
        with path.open("rb") as fh:
            decoder = codecs.getincrementaldecoder("utf-8")()
            while chunk := fh.read(16 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8", []
    except UnicodeDecodeError:
        pass
    name, script = guess_legacy_encoding(sample)
    return name, [
        (
            "warning",
            "legacy_encoding",
            f"{path.name} is not UTF-8; read as {codecs.lookup(name).name} ({script}, "
            "detected) — check that names with accents or other alphabets look right",
        )
    ]


#: The most frequent letters of each alphabet's languages, for telling code pages apart.
_SCRIPTS = (
    ("cp1253", "Greek", set("αεοιτνσςρηκπμλυάέίόήύώ")),
    ("cp1251", "Cyrillic", set("оеаинтсрвлкмдпу")),
    ("koi8_r", "Cyrillic", set("оеаинтсрвлкмдпу")),
)
_WORD = re.compile(r"[^\W\d_]+")


def guess_legacy_encoding(sample: bytes) -> tuple[str, str]:
    """A single-byte code page for text that is not UTF-8, and the alphabet it implies.

    Western text has a few accented letters inside otherwise ASCII words; Greek or
    Cyrillic text has whole words outside ASCII. For those, the code page whose decoding
    uses the language's most frequent letters most often wins.
    """
    if _looks_mac_roman(sample):
        return "mac_roman", "Western European, Mac"
    western = sample.decode("cp1252", errors="replace")
    words = [w for w in _WORD.findall(western) if any(ord(c) > 127 for c in w)]
    foreign = sum(len(w) for w in words if sum(ord(c) > 127 for c in w) >= 0.8 * len(w))
    latin = sum(len(w) for w in words) - foreign
    if foreign <= latin:
        return "cp1252", "Western European"
    best = ("cp1252", "Western European", -1.0)
    for code, script, common in _SCRIPTS:
        text = sample.decode(code, errors="replace").lower()
        letters = [c for c in text if c.isalpha() and ord(c) > 127]
        score = sum(c in common for c in letters) / max(len(letters), 1)
        if score > best[2]:
            best = (code, script, score)
    return best[0], best[1]


#: Bytes 0x80–0x9F that windows-1252 text uses every day: € … ‘ ’ “ ” • – — ™.
_CP1252_EVERYDAY = frozenset(b"\x80\x85\x91\x92\x93\x94\x95\x96\x97\x99")


def _looks_mac_roman(sample: bytes) -> bool:
    """Whether non-UTF-8 text reads as Mac Roman rather than a Windows code page.

    Mac Roman puts its accented letters (é, è, à, ç, å…) at 0x80–0x9F, where the Windows
    code pages have punctuation and symbols; windows-1252 text only uses a few of those
    (quotes, dashes, €) and writes its letters at 0xA0 and above. Files saved by older Mac
    programs (SurveyMonkey exports among them) have the first kind and few of the second.
    """
    mac = windows = 0
    for byte in sample:
        if byte < 0x80:
            continue
        if byte < 0xA0 and byte not in _CP1252_EVERYDAY:
            mac += 1
        else:
            windows += 1
    return mac > 0 and mac >= windows


def sniff_delimiter(text: str) -> str:
    """The delimiter that gives the most rows with the same number (> 1) of fields."""
    best, best_score = ",", 0.0
    lines = text.splitlines()[:60]
    for delim in _DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = counts.count(mode) / len(counts) * min(mode, 50)
        if score > best_score:
            best, best_score = delim, score
    return best


def _cell(text: str) -> object:
    if not text.strip():
        return None
    if _NUMBERISH.match(text.strip()):
        return 0.0  # only the kind matters for header detection
    return text


class _NotUtf8Error(Exception):
    """The UTF-8 sample was followed by bytes that are not UTF-8."""


def read_text(path: Path, header_row: int | None = None) -> TextTable:
    """The table in a CSV/TSV/TXT file, its header found and its columns lightly typed.

    UTF-8 is first assumed from a 1 MiB sample and checked by the parser as it goes (no
    separate pass over the file); if it turns out wrong, the whole file is checked and the
    read starts again with the detected code page.
    """
    try:
        return _read_text(path, header_row, quick=True)
    except _NotUtf8Error:
        return _read_text(path, header_row, quick=False)


def _read_text(path: Path, header_row: int | None, quick: bool) -> TextTable:
    import pyarrow as pa
    from pyarrow import csv as pacsv

    encoding, findings = detect_encoding(path, full_check=not quick)
    with path.open("rb") as fh:
        sample_bytes = fh.read(_SAMPLE_BYTES)
    sample = sample_bytes.decode(encoding, errors="replace")
    if sample.startswith("\ufeff"):
        sample = sample[1:]
    if not sample.strip():
        raise NotASpreadsheetError(f"{path.name} holds no text")
    delim = sniff_delimiter(sample)
    sample_lines = sample.splitlines()
    if len(sample_bytes) == _SAMPLE_BYTES:
        sample_lines = sample_lines[:-1]  # the last line may be cut
    records = list(csv.reader(sample_lines[:400], delimiter=delim))[:200]
    width = max((len(r) for r in records), default=0)
    if width < 2 and path.suffix.lower() in WORKBOOK_SUFFIXES:
        raise NotASpreadsheetError(
            f"{path.name} has a spreadsheet name but holds plain text, not a table"
        )
    grid: list[list[object]] = [[_cell(c) for c in r] for r in records]
    spec = detect_table(grid, 0, [], header_row)
    header_index = spec.header_row if spec.header_row is not None else -1
    body = [c for r in records[header_index + 1 :] for c in r]
    decimal = "."
    comma = any(_COMMA_DECIMAL.match(c) for c in body)
    if delim != "," and comma and not any(_DOT_DECIMAL.match(c) for c in body):
        decimal = ","
    text_columns: list[int] = []
    for j in range(width):
        column = [r[j] for r in records[header_index + 1 :] if j < len(r)]
        if any(_LEADING_ZERO.match(v.strip()) for v in column):
            text_columns.append(j)
    multiline = sample.count('"') % 2 == 1 or bool(re.search(r'"[^"\n]*\n', sample))
    dropped: list[tuple[int, str]] = []
    expected = len(records[header_index + 1]) if len(records) > header_index + 1 else width

    def invalid(row: pacsv.InvalidRow) -> str:
        cells: list[object] = list(next(csv.reader([row.text or ""], delimiter=delim), []))
        reason = footer_reason(cells) or (
            f"has {row.actual_columns} fields where the header has {row.expected_columns}"
        )
        dropped.append((int(row.number or 0), reason))
        return "skip"

    n_cols = spec.last_column - spec.first_column + 1 if spec.header_row is not None else expected
    names = [f"f{i}" for i in range(max(n_cols, expected))]
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding=encoding.replace("-sig", "") if encoding == "utf-8-sig" else encoding,
                skip_rows=header_index + 1,
                column_names=names,
                block_size=8 << 20,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delim, newlines_in_values=multiline, invalid_row_handler=invalid
            ),
            convert_options=pacsv.ConvertOptions(
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                decimal_point=decimal,
                column_types={names[j]: pa.string() for j in text_columns if j < len(names)},
                timestamp_parsers=[pacsv.ISO8601],
            ),
        )
        frame = table.to_pandas(date_as_object=False, split_blocks=True)  # no block copy
    except (pa.ArrowInvalid, UnicodeDecodeError, ValueError) as exc:
        if quick and encoding == "utf-8" and detect_encoding(path)[0] != "utf-8":
            raise _NotUtf8Error() from None
        findings.append(
            (
                "info",
                "slow_text_reader",
                f"the fast text reader stopped ({' '.join(str(exc).split())[:120]}); "
                "read with the standard one",
            )
        )
        frame, dropped = _read_plain(path, encoding, delim, header_index, len(names))
    lo, hi = spec.first_column, spec.last_column
    if spec.header_row is None:
        lo, hi = 0, frame.shape[1] - 1
        spec.names = [f"Column {i + 1}" for i in range(frame.shape[1])]
        spec.first_column, spec.last_column = lo, hi
    frame = frame.iloc[:, lo : hi + 1]
    frame.columns = spec.names[: frame.shape[1]]
    first = header_index + 2  # record numbers are 1-based; the header is record h + 1
    skipped = sorted(r for r, _ in dropped)
    numbers = _record_numbers(first, len(frame), skipped)
    frame.index = pd.Index(numbers, name="row")
    return TextTable(
        frame,
        spec,
        encoding,
        delim,
        decimal,
        records=len(frame) + len(dropped),
        findings=findings,
        dropped=dropped,
    )


def _record_numbers(first: int, n: int, skipped: list[int]) -> npt.NDArray[np.int64]:
    """Record numbers of the ``n`` records kept, counting from ``first`` past ``skipped``."""
    numbers = np.arange(first, first + n + len(skipped), dtype=np.int64)
    if skipped:
        numbers = numbers[~np.isin(numbers, np.asarray(skipped, dtype=np.int64))]
    return numbers[:n]


def _read_plain(
    path: Path, encoding: str, delim: str, header_index: int, width: int
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Every field as text through the standard csv module (tolerant of odd quoting)."""
    rows: list[list[str | None]] = []
    dropped: list[tuple[int, str]] = []
    with path.open("r", encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delim)
        for number, record in enumerate(reader, start=1):
            if number <= header_index + 1:
                continue
            if len(record) > width and any(v.strip() for v in record[width:]):
                dropped.append((number, f"has {len(record)} fields where the header has {width}"))
                continue
            rows.append([v if v != "" else None for v in (record + [""] * width)[:width]])
    frame = pd.DataFrame(rows, columns=[f"f{i}" for i in range(width)], dtype="str")
    return frame, dropped
