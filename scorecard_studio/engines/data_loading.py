"""Loading the data files a design's sources point at, for headless scoring and saving.

A ``--data`` argument is either ``PATH`` (matched to the sources whose ``file`` has the same
name, else whose ``file_pattern`` it fits; one file and one source match each other) or
``SOURCE_ID=PATH``. A workbook feeds every source that names one of its sheets.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.domain.model import DataSource, Scorecard


def assign_files(card: Scorecard, data: Sequence[str]) -> dict[str, Path]:
    """Which file feeds which source; raises when an argument matches nothing."""
    by_source: dict[str, Path] = {}
    loose: list[Path] = []
    ids = {s.id for s in card.sources}
    for arg in data:
        source_id, sep, named = arg.partition("=")
        if sep and source_id in ids:
            by_source[source_id] = Path(named)
        else:
            loose.append(Path(arg))
    for path in loose:
        if not path.exists():
            raise DataImportError(f"{path}: no such file")
        matched = [s for s in card.sources if s.file and Path(s.file).name == path.name]
        if not matched:  # next month's file, named by the source's file pattern
            matched = [
                s
                for s in card.sources
                if s.file_pattern
                and fnmatch.fnmatchcase(path.name.casefold(), s.file_pattern.casefold())
            ]
        if not matched and len(loose) == 1 and len(card.sources) == 1:
            matched = list(card.sources)
        if not matched:
            names = ", ".join(sorted({Path(s.file).name for s in card.sources if s.file})) or "none"
            raise DataImportError(
                f"{path.name}: no data source of the design reads this file "
                f"(expected: {names}); use SOURCE_ID={path.name} to assign it"
            )
        for source in matched:
            by_source.setdefault(source.id, path)
    return by_source


def load_source_tables(
    card: Scorecard, data: Sequence[str | os.PathLike[str]]
) -> dict[str, pd.DataFrame]:
    """Read the table of every source that a ``--data`` argument feeds."""
    from scorecard_studio.engines.importing import import_tables

    files = assign_files(card, [os.fspath(d) for d in data])
    by_file: dict[Path, list[str]] = {}
    for sid, path in files.items():
        by_file.setdefault(path, []).append(sid)
    tables: dict[str, pd.DataFrame] = {}
    # One read per file: the sheets of a workbook share its opening, sheet list and strings.
    for path, ids in by_file.items():
        results = import_tables(path, [card.source(sid) for sid in ids])
        for sid, result in zip(ids, results, strict=True):
            tables[sid] = result.frame.reset_index(drop=True)
    return {sid: tables[sid] for sid in files}


def read_source_table(source: DataSource, path: Path) -> pd.DataFrame:
    """One source's table, through the guarded importer (typed, validated, never lossy).

    The importer refuses hostile files with a one-line error, finds the header under title
    rows (or uses the one the source remembers) and types every column; the validation
    report is not needed here, so only the table is returned, numbered from 0.
    """
    from scorecard_studio.engines.importing import import_table

    result = import_table(path, source)
    return result.frame.reset_index(drop=True)
