"""Next month's files for a stored scorecard: imported with the saved mapping, compared first.

Each data source of a design keeps how its file is read (file name and file pattern, sheet,
header row, date order, roles, tier value map, column units, the columns seen): that is its
import profile. A refresh imports the new file of every source with that profile (a folder
gives each source the newest file matching its pattern, else the file of its old name),
without the wizard, and compares the table with
the snapshot the latest version uses: new, missing and renamed columns, type changes, the
row count, new tier values, the date range. When nothing but rows and dates changed the
new version is saved at once; otherwise the changes are reported and nothing is saved
until the user accepts them, mapping renamed columns back to the names the design uses.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard_studio.domain.errors import DataImportError
from scorecard_studio.domain.model import DataSource, Scorecard
from scorecard_studio.engines.data_loading import assign_files
from scorecard_studio.engines.importing import import_table, unmapped_tiers
from scorecard_studio.engines.store import Store, VersionInfo


@dataclass(slots=True)
class SourceChanges:
    """How one source's new table differs from the snapshot the scorecard uses."""

    source: str
    file: str
    rows_before: int
    rows_after: int
    new_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # design's name → file's name
    type_changes: list[tuple[str, str, str]] = field(default_factory=list)  # name, was, is
    new_tier_values: list[str] = field(default_factory=list)
    dates_before: tuple[str, str] | None = None
    dates_after: tuple[str, str] | None = None
    roles_missing: list[str] = field(default_factory=list)
    #: The source's name as the user gave it (``source`` is its id, for machines).
    name: str = ""

    @property
    def needs_review(self) -> bool:
        """Whether the user must accept or map before the snapshot is replaced."""
        return bool(
            self.new_columns
            or self.missing_columns
            or self.renamed
            or self.type_changes
            or self.new_tier_values
            or self.roles_missing
        )

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "name": self.name or self.source,
            "file": self.file,
            "rows_before": self.rows_before,
            "rows_after": self.rows_after,
            "new_columns": self.new_columns,
            "missing_columns": self.missing_columns,
            "renamed": self.renamed,
            "type_changes": [{"column": n, "was": a, "is": b} for n, a, b in self.type_changes],
            "new_tier_values": self.new_tier_values,
            "dates_before": list(self.dates_before) if self.dates_before else None,
            "dates_after": list(self.dates_after) if self.dates_after else None,
            "roles_missing": self.roles_missing,
            "needs_review": self.needs_review,
        }

    def lines(self) -> list[str]:
        """The report as lines for the terminal."""
        shown = self.name or self.source
        out = [f"{shown} ({self.file}): {self.rows_before:,} → {self.rows_after:,} rows"]
        if self.dates_before != self.dates_after and self.dates_after:
            was = " to ".join(self.dates_before) if self.dates_before else "none"
            out.append(f"  dates: {was} → {' to '.join(self.dates_after)}")
        out += [f"  renamed: {a!r} → {b!r}" for a, b in self.renamed.items()]
        out += [f"  missing column: {n!r}" for n in self.missing_columns]
        out += [f"  new column: {n!r}" for n in self.new_columns]
        out += [f"  type changed: {n!r} {a} → {b}" for n, a, b in self.type_changes]
        if self.new_tier_values:
            out.append(f"  new tier values: {', '.join(map(repr, self.new_tier_values))}")
        out += [f"  role column missing: {n!r}" for n in self.roles_missing]
        return out


@dataclass(slots=True)
class RefreshPlan:
    """The imported tables of a refresh and what changed, before anything is saved."""

    scorecard: str
    version: int
    design: Scorecard
    tables: dict[str, pd.DataFrame]
    changes: list[SourceChanges]

    @property
    def needs_review(self) -> bool:
        return any(c.needs_review for c in self.changes)


def kind(values: pd.Series) -> str:
    """A column's kind as typing names it: number, date, boolean, text or empty."""
    if values.isna().all():
        return "empty"
    if pd.api.types.is_bool_dtype(values.dtype):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return "date"
    if pd.api.types.is_numeric_dtype(values.dtype):
        return "number"
    return "text"


def _folded(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _date_range(frame: pd.DataFrame, column: str | None) -> tuple[str, str] | None:
    if column is None or column not in frame.columns:
        return None
    values = pd.to_datetime(frame[column], errors="coerce", utc=True).dropna()
    if values.empty:
        return None
    return values.min().date().isoformat(), values.max().date().isoformat()


def compare(
    source: DataSource,
    before: pd.DataFrame,
    after: pd.DataFrame,
    file: str,
    mapping: Mapping[str, str] | None = None,
) -> SourceChanges:
    """What changed from ``before`` (the snapshot) to ``after`` (the new file's table).

    ``mapping`` (design's name → file's name) states renames; a missing and a new column
    whose names differ only in case, spaces or punctuation are taken as renamed too.
    """
    mapping = dict(mapping or {})
    old, new = [str(c) for c in before.columns], [str(c) for c in after.columns]
    missing = [c for c in old if c not in new]
    added = [c for c in new if c not in old]
    renamed: dict[str, str] = {}
    for name in missing:
        target = mapping.get(name)
        if target is None:
            target = next((n for n in added if _folded(n) == _folded(name)), None)
        if target is not None and target in added:
            renamed[name] = target
            added.remove(target)
    missing = [c for c in missing if c not in renamed]
    types = []
    for name in old:
        there = renamed.get(name, name)
        if there in after.columns:
            was, now = kind(before[name]), kind(after[there])
            if "empty" not in (was, now) and was != now:
                types.append((name, was, now))
    tiers: list[str] = []
    tier = source.tier_column
    if tier and tier in before.columns and renamed.get(tier, tier) in after.columns:
        seen = {str(v).strip() for v in before[tier].dropna()}
        tier_now = after[renamed.get(tier, tier)]
        tiers = sorted({str(v).strip() for v in tier_now.dropna()} - seen)
        if source.tier_values:  # values the profile maps are known tiers, not news
            left = set(unmapped_tiers(source, tier_now))
            tiers = [t for t in tiers if t in left]
    roles = [
        r
        for r in (
            source.key_column,
            source.name_column,
            source.date_column,
            source.period_column,
            tier,
            source.metric_column,
            source.value_column,
        )
        if r and r in missing
    ]
    date = source.date_column
    return SourceChanges(
        source=source.id,
        name=source.name,
        file=file,
        rows_before=len(before),
        rows_after=len(after),
        new_columns=added,
        missing_columns=missing,
        renamed=renamed,
        type_changes=types,
        new_tier_values=tiers,
        dates_before=_date_range(before, date),
        dates_after=_date_range(after, renamed.get(date, date) if date else None),
        roles_missing=roles,
    )


_DATED = re.compile(r"\d+(?:[-_.]\d+)*")


def suggest_pattern(file_name: str) -> str:
    """A glob for next month's file of a dated export name (``stripe_payments_2025-06.csv``
    → ``stripe_payments_*.csv``); empty when the name holds no digits to vary."""
    path = Path(file_name)
    stem = _DATED.sub("*", path.stem)
    return "" if stem == path.stem else stem + path.suffix


def _matches(pattern: str, name: str) -> bool:
    """Whether a file name fits a profile's glob (case ignored, as file systems differ)."""
    return fnmatch.fnmatchcase(name.casefold(), pattern.casefold())


def newest(paths: Sequence[Path]) -> Path | None:
    """The most recently modified file (the later name on a tie): this month's export."""
    if not paths:
        return None
    return max(paths, key=lambda p: (p.stat().st_mtime, p.name))


def source_files(card: Scorecard, folder: Path) -> dict[str, Path]:
    """Each source's file in ``folder``: the newest match of its file pattern, else the
    file of the name it was imported from. Sources with neither in the folder are left out.
    """
    files = sorted(p for p in folder.iterdir() if p.is_file())
    found: dict[str, Path] = {}
    for source in card.sources:
        chosen = None
        if source.file_pattern:
            chosen = newest([p for p in files if _matches(source.file_pattern, p.name)])
        if chosen is None and source.file:
            chosen = next((p for p in files if p.name == Path(source.file).name), None)
        if chosen is not None:
            found[source.id] = chosen
    return found


def _expand(data: Sequence[str], card: Scorecard) -> list[str]:
    """``--data`` arguments with every folder replaced by ``SOURCE=FILE`` for each source
    whose pattern or file name is found in it."""
    out: list[str] = []
    for arg in data:
        path = Path(arg)
        if path.is_dir():
            found = source_files(card, path)
            if not found:
                expected = sorted(
                    {s.file_pattern or Path(s.file).name for s in card.sources if s.file}
                )
                raise DataImportError(
                    f"{path}: no file of the design's sources is in this folder "
                    f"(expected: {', '.join(expected) or 'none'})"
                )
            out += [f"{sid}={os.fspath(p)}" for sid, p in found.items()]
        else:
            out.append(arg)
    return out


def read_tables(
    card: Scorecard,
    files: Mapping[str, Path],
    progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, pd.DataFrame]:
    """Each source's new file imported with its profile (the slow part; nothing compared).

    ``progress`` gets the share of all the files read; ``cancel`` stops between slices.
    """
    tables: dict[str, pd.DataFrame] = {}
    for i, (source_id, path) in enumerate(files.items()):
        step = (lambda f, i=i: progress((i + f) / len(files))) if progress else None
        result = import_table(path, card.source(source_id), progress=step, cancel=cancel)
        tables[source_id] = result.frame.reset_index(drop=True)
    return tables


def review(
    source: DataSource,
    before: pd.DataFrame | None,
    frame: pd.DataFrame,
    file: str,
    mapping: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, SourceChanges]:
    """The new table with the design's names for renamed columns, and what changed.

    Cheap: a changed ``mapping`` is reviewed again without reading the file again.
    """
    before = frame.iloc[:0] if before is None else before
    found = compare(source, before, frame, file, mapping)
    if found.renamed:  # the design keeps its names: the file's columns take them
        frame = frame.rename(columns={b: a for a, b in found.renamed.items()})
    return frame, found


def plan_tables(
    card: Scorecard,
    snapshots: Mapping[str, pd.DataFrame],
    files: Mapping[str, Path],
    mapping: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[dict[str, pd.DataFrame], list[SourceChanges]]:
    """Import each source's new file with its profile and compare it with its snapshot.

    ``files`` is per source id; ``mapping`` per source id: design's column name → the new
    file's name. The tables come back with the design's names for renamed columns.
    """
    tables: dict[str, pd.DataFrame] = {}
    changes: list[SourceChanges] = []
    for source_id, frame in read_tables(card, files).items():
        tables[source_id], found = review(
            card.source(source_id),
            snapshots.get(source_id),
            frame,
            files[source_id].name,
            (mapping or {}).get(source_id),
        )
        changes.append(found)
    return tables, changes


def plan_refresh(
    store: Store,
    name: str,
    data: Sequence[str],
    mapping: Mapping[str, Mapping[str, str]] | None = None,
) -> RefreshPlan:
    """Import the new files of ``name``'s sources and compare them with its latest version.

    ``mapping`` is per source id: design's column name → the new file's name.
    """
    stored = store.checkout(name)
    card = stored.design
    files = assign_files(card, _expand(data, card))
    tables, changes = plan_tables(card, stored.load_snapshots(), files, mapping)
    return RefreshPlan(stored.info.scorecard, stored.number, card, tables, changes)


def refreshed_design(card: Scorecard, tables: Mapping[str, pd.DataFrame]) -> Scorecard:
    """The design with each refreshed source recording its new table's columns, so the
    next refresh compares with them."""
    sources = tuple(
        dataclasses.replace(s, columns=tuple(str(c) for c in tables[s.id].columns))
        if s.id in tables
        else s
        for s in card.sources
    )
    return dataclasses.replace(card, sources=sources)


def apply_refresh(
    store: Store, plan: RefreshPlan, message: str | None = None, author: str | None = None
) -> VersionInfo:
    """Save the refreshed tables as a new version on top of the version compared with."""
    card = refreshed_design(plan.design, plan.tables)
    text = message or "Refresh " + ", ".join(f"{c.source} from {c.file}" for c in plan.changes)
    return store.save(
        card, plan.tables, text, author=author, parent=plan.version, name=plan.scorecard
    )
