"""The validation report every import produces: per column, per row, and dropped rows.

Nothing is dropped without a reason listed here, and values that could not be used are
counted per column with the rows they are on. Survey answers outside their scale (an NPS
answer of 11) are reported, not changed: the scoring engine checks scales again and the
user decides. Which columns are surveys is read from their names (``nps``, ``csat``,
``ces``), since the import does not know the KPIs yet.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import DataSource
from scorecard_studio.engines.importing.columns.arrow_text import strictly_increasing
from scorecard_studio.engines.importing.columns.column_types import ColumnType, TypedColumn

#: Row issues kept in full; beyond this only counts are kept (the columns say how many).
MAX_ROW_ISSUES = 10_000

#: Survey scales recognised from column names: (pattern, low, high, integers only).
SCALES: tuple[tuple[re.Pattern[str], float, float], ...] = (
    (re.compile(r"(^|[^a-z])nps([^a-z]|$)|recommend", re.I), 0, 10),
    (re.compile(r"(^|[^a-z])csat([^a-z]|$)|satisfaction", re.I), 1, 5),
    (re.compile(r"(^|[^a-z])ces([^a-z]|$)|effort", re.I), 1, 7),
)


@dataclass(frozen=True, slots=True)
class ColumnReport:
    name: str
    type: str
    missing: int
    blank_text: int
    errors: int
    unparseable: int
    out_of_scale: int
    duplicated: int
    future: int

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "missing": self.missing,
            "blank_text": self.blank_text,
            "errors": self.errors,
            "unparseable": self.unparseable,
            "out_of_scale": self.out_of_scale,
            "duplicated": self.duplicated,
            "future": self.future,
        }


@dataclass(frozen=True, slots=True)
class RowIssue:
    row: int  # sheet row (1-based) or record number of a text file
    column: str
    issue: str  # unparseable, error, out_of_scale, duplicated, future
    value: str

    def to_json_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "issue": self.issue, "value": self.value}


@dataclass(frozen=True, slots=True)
class DroppedRow:
    row: int
    reason: str

    def to_json_dict(self) -> dict[str, Any]:
        return {"row": self.row, "reason": self.reason}


@dataclass(slots=True)
class ValidationReport:
    """Everything the import found; ``findings`` summarise it for the window and CLI."""

    rows: int = 0
    columns: list[ColumnReport] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    issue_count: int = 0
    dropped: list[DroppedRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add_issue(self, issue: RowIssue) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_ROW_ISSUES:
            self.issues.append(issue)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "columns": [c.to_json_dict() for c in self.columns],
            "row_issues": [i.to_json_dict() for i in self.issues],
            "row_issue_count": self.issue_count,
            "dropped_rows": [d.to_json_dict() for d in self.dropped],
            "findings": [f.to_json_dict() for f in self.findings],
        }


def scale_of(name: str) -> tuple[float, float] | None:
    for pattern, low, high in SCALES:
        if pattern.search(name):
            return low, high
    return None


def validate(
    frame: pd.DataFrame,
    typed: dict[str, TypedColumn],
    source: DataSource | None,
    item: str,
    *,
    today: dt.date | None = None,
) -> ValidationReport:
    """Count, per column and per row, what is missing, unusable, odd or in the future."""
    report = ValidationReport(rows=len(frame))
    rows = frame.index.to_numpy()
    today_ts = pd.Timestamp(today or dt.date.today()) + pd.Timedelta(days=1)
    key = source.key_column if source else None
    when = (source.date_column or source.period_column) if source else None
    dup_mask = np.zeros(len(frame), dtype=bool)
    if key and key in frame.columns:
        subset = [key] + ([when] if when and when in frame.columns else [])
        # Sorted by key (and date), as many exports are: no row can repeat another.
        if not strictly_increasing(frame, subset):
            present = frame[subset].notna().all(axis=1).to_numpy()
            dup_mask = frame.duplicated(subset=subset, keep=False).to_numpy() & present
    for name, col in typed.items():
        values = frame[name]
        out_of_scale = 0
        future = 0
        duplicated = 0
        for i, raw in zip(col.unparseable_at[:MAX_ROW_ISSUES], col.bad_values, strict=False):
            report.add_issue(RowIssue(int(rows[i]), name, "unparseable", raw))
        if col.unparseable > MAX_ROW_ISSUES:
            report.issue_count += col.unparseable - MAX_ROW_ISSUES
        if col.type in {ColumnType.NUMBER, ColumnType.PERCENT, ColumnType.CURRENCY}:
            scale = scale_of(name)
            if scale is not None:
                arr = values.to_numpy(dtype="float64", na_value=np.nan)
                fraction = np.floor(arr) != arr  # not a whole answer (cheaper than % 1)
                bad = ~np.isnan(arr) & ((arr < scale[0]) | (arr > scale[1]) | fraction)
                out_of_scale = int(bad.sum())
                for i in np.flatnonzero(bad)[:MAX_ROW_ISSUES]:
                    report.add_issue(RowIssue(int(rows[i]), name, "out_of_scale", f"{arr[i]:g}"))
                if out_of_scale:
                    report.findings.append(
                        Finding(
                            Severity.WARNING,
                            "out_of_scale",
                            item,
                            f"{name!r}: {out_of_scale:,} answers are outside the "
                            f"{scale[0]:g}–{scale[1]:g} scale (kept as read)",
                        )
                    )
        if col.type is ColumnType.DATE:
            arr_d = values.to_numpy(dtype="datetime64[ns]")
            late = ~np.isnat(arr_d) & (arr_d > today_ts.to_datetime64())
            future = int(late.sum())
            for i in np.flatnonzero(late)[:MAX_ROW_ISSUES]:
                report.add_issue(
                    RowIssue(int(rows[i]), name, "future", str(pd.Timestamp(arr_d[i]).date()))
                )
            if future:
                report.findings.append(
                    Finding(
                        Severity.WARNING,
                        "future_dates",
                        item,
                        f"{name!r}: {future:,} dates are in the future",
                    )
                )
        if name == key:
            duplicated = int(dup_mask.sum())
            for i in np.flatnonzero(dup_mask)[:MAX_ROW_ISSUES]:
                report.add_issue(
                    RowIssue(int(rows[i]), name, "duplicated", _key_text(values.iat[i]))
                )
            if duplicated:
                what = f"{key!r}" + (f" and {when!r}" if when and when in frame.columns else "")
                report.findings.append(
                    Finding(
                        Severity.WARNING,
                        "duplicate_keys",
                        item,
                        f"{duplicated:,} rows share their {what} with another row",
                    )
                )
        report.columns.append(
            ColumnReport(
                name=name,
                type=col.type.value,
                missing=col.missing,
                blank_text=col.blank_text,
                errors=col.errors,
                unparseable=col.unparseable,
                out_of_scale=out_of_scale,
                duplicated=duplicated,
                future=future,
            )
        )
        for severity, code, text in col.notes:
            report.findings.append(Finding(Severity(severity), code, item, text))
    return report


def _key_text(value: object) -> str:
    """A key as the file wrote it: an account number typed as a number is 1001, not 1001.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
