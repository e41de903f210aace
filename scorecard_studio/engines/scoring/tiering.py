"""Each customer's tier, from a tier column or from rules on a numeric column.

The tier of a customer is taken from the tiering source and then given to that customer's
rows in every other source through the customer key, so CRM can say who is Tier 1 while
billing and survey rows carry only the account id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity
from scorecard_studio.domain.model import DataSource, Scorecard, TierMode
from scorecard_studio.domain.periods import calendar_of
from scorecard_studio.engines.scoring.prepare import (
    normalise_keys,
    period_ordinals,
    tiers_from_column,
    time_stamps,
    to_datetime,
)


def customer_tiers(
    card: Scorecard, tables: dict[str, pd.DataFrame], findings: list[Finding]
) -> dict[str, int] | None:
    """Normalised customer key -> tier index, or None when no tiering source is set."""
    tiering = card.tiering
    if not tiering.source or tiering.source not in tables:
        return None
    source = card.source(tiering.source)
    frame = tables[tiering.source]
    if not source.key_column or source.key_column not in frame.columns:
        findings.append(
            Finding(
                Severity.ERROR,
                "bad_tiering",
                source.id,
                f"{source.name}: the tiering source needs a customer key column",
            )
        )
        return None
    column = tiering.column or source.tier_column
    if not column or column not in frame.columns:
        findings.append(
            Finding(
                Severity.ERROR,
                "bad_tiering",
                source.id,
                f"{source.name}: tier column {column!r} not found",
            )
        )
        return None
    latest = _latest_per_key(frame, source, card)
    keys = normalise_keys(latest[source.key_column])
    if tiering.mode is TierMode.RULES:
        tiers = _tiers_by_rules(card, pd.to_numeric(latest[column], errors="coerce"))
    else:
        tiers, _unknown = tiers_from_column(card, latest[column])
    mapping = dict(zip(keys.to_numpy(dtype=object), tiers.tolist(), strict=True))
    mapping.pop(pd.NA, None)
    return {str(k): int(v) for k, v in mapping.items() if v >= 0 and k is not None}


def _latest_per_key(frame: pd.DataFrame, source: DataSource, card: Scorecard) -> pd.DataFrame:
    """The latest row per key: by date when the source has one, else the last row.

    An undated row never outranks a dated one: it speaks for a customer only when that
    customer has no dated row at all (a row without a date is not "newer" than any other).
    Rows at the same time keep file order, so the later one in the file wins.
    """
    assert source.key_column is not None
    date_column, period_column = source.date_column, source.period_column
    stamps = None
    if date_column and date_column in frame.columns:
        when = to_datetime(frame[date_column], source.date_order, card.settings.timezone)
        stamps = time_stamps(when)
        undated = stamps == np.iinfo(np.int64).max
    elif period_column and period_column in frame.columns:
        stamps, _ = period_ordinals(frame[period_column], calendar_of(card), card.settings.timezone)
        undated = stamps < 0
    if stamps is not None:
        # Undated rows first, then dated ones by time: the last row per key is its latest.
        stamps = np.where(undated, np.iinfo(np.int64).min, stamps)
        frame = frame.iloc[np.argsort(stamps, kind="stable")]
    normal = normalise_keys(frame[source.key_column])
    return frame[~normal.duplicated(keep="last") & normal.notna()]


def _tiers_by_rules(card: Scorecard, values: pd.Series) -> np.ndarray:
    """First rule (highest minimum first) that a value reaches; -1 when none does."""
    index = {t.id: i for i, t in enumerate(card.tiers)}
    out = np.full(len(values), -1, dtype=np.int64)
    assigned = np.zeros(len(values), dtype=bool)
    numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
    for rule in sorted(card.tiering.rules, key=lambda r: -r.minimum):
        if rule.tier not in index:
            continue
        hit = ~assigned & (numbers >= rule.minimum)
        out[hit] = index[rule.tier]
        assigned |= hit
    return out
