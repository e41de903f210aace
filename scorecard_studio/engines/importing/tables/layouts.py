"""Wide and long tables.

Wide: one column per measure (``revenue``, ``nps``…). Long: a metric-name column and a
value column, one row per (entity, date, metric). The scoring engine reads both; these
helpers check a long table and convert between the two when the user asks.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import DataSource, Layout


def check_layout(frame: pd.DataFrame, source: DataSource) -> list[Finding]:
    """Findings about the layout: a long source needs its metric and numeric value columns."""
    if source.layout is not Layout.LONG:
        return []
    out: list[Finding] = []
    metric, value = source.metric_column, source.value_column
    for role, column in (("metric name", metric), ("value", value)):
        if not column or column not in frame.columns:
            out.append(
                Finding(
                    Severity.ERROR,
                    "long_layout_column",
                    source.id,
                    f"{source.name}: the long layout needs a {role} column"
                    + (f" ({column!r} is not in the file)" if column else ""),
                )
            )
    if out:
        return out
    if metric is None or value is None:  # pragma: no cover - checked above
        return out
    if not pd.api.types.is_numeric_dtype(frame[value].dtype):
        out.append(
            Finding(
                Severity.ERROR,
                "long_layout_value",
                source.id,
                f"{source.name}: value column {value!r} is not numeric",
            )
        )
    names = frame[metric].dropna().astype(str).unique()
    out.append(
        Finding(
            Severity.INFO,
            "long_layout_metrics",
            source.id,
            f"{source.name}: {len(names):,} metrics in {metric!r}: "
            + ", ".join(sorted(names)[:10])
            + ("…" if len(names) > 10 else ""),
        )
    )
    return out


def long_to_wide(frame: pd.DataFrame, keys: Sequence[str], metric: str, value: str) -> pd.DataFrame:
    """One column per metric; the last value wins where a (keys, metric) pair repeats."""
    wide = frame.pivot_table(index=list(keys), columns=metric, values=value, aggfunc="last")
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def wide_to_long(
    frame: pd.DataFrame,
    keys: Sequence[str],
    measures: Sequence[str],
    metric: str = "metric",
    value: str = "value",
) -> pd.DataFrame:
    """A metric-name column and a value column; missing values are kept as rows with NA."""
    return frame.melt(
        id_vars=list(keys), value_vars=list(measures), var_name=metric, value_name=value
    )
