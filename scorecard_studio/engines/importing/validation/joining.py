"""Joining several sources (CRM, billing, survey…) on a customer key.

Keys are compared after normalisation: text trimmed, inner runs of spaces collapsed and
case ignored; numbers written as ``1001.0`` become ``1001``. Leading zeros are dropped only
when every key of *every* source is made of digits (so ``00123`` and ``123`` meet when all
systems use numeric ids, but ``A-007`` never becomes ``A-7``). Keys found in one source and
not another are reported per source; duplicate keys within a source are reported too, and
the join keeps every row (a one-to-many join, stated in the findings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from scorecard_studio.domain.findings import Finding, Severity

KEY = "_key"


@dataclass(slots=True)
class JoinResult:
    frame: pd.DataFrame  # outer join; ``_key`` is the normalised key
    only_in: dict[str, list[str]] = field(default_factory=dict)  # source → keys only there
    missing_from: dict[str, list[str]] = field(default_factory=dict)  # source → keys absent
    duplicates: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    strip_zeros: bool = False

    def to_json_dict(self) -> dict[str, object]:
        return {
            "rows": len(self.frame),
            "only_in": self.only_in,
            "missing_from": self.missing_from,
            "duplicates": self.duplicates,
            "leading_zeros_dropped": self.strip_zeros,
            "findings": [f.to_json_dict() for f in self.findings],
        }


def _text_keys(series: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(series.dtype):
        whole = series.notna() & (series % 1 == 0)
        text = series.astype("string")
        text = text.where(~whole, series[whole].astype("Int64").astype("string"))
    else:
        text = series.astype("string")
    text = text.str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()
    return text.where(text != "")


def normalise_keys(columns: Mapping[str, pd.Series]) -> tuple[dict[str, pd.Series], bool]:
    """Normalised keys per source, and whether leading zeros were dropped."""
    texts = {name: _text_keys(s) for name, s in columns.items()}
    digits = all(bool(t.dropna().str.fullmatch(r"\d+").all()) for t in texts.values())
    if digits:
        texts = {
            n: t.str.lstrip("0").where(~t.str.fullmatch(r"0+").fillna(False), "0")
            for n, t in texts.items()
        }
    return texts, digits


def _as_written(
    key: str,
    keys: Mapping[str, pd.Series],
    frames: Mapping[str, pd.DataFrame],
    key_columns: Mapping[str, str],
) -> str:
    """A normalised key as a source wrote it (``A-007`` rather than ``a-007``)."""
    for name, normalised in keys.items():
        at = (normalised == key).fillna(False).to_numpy(dtype=bool).nonzero()[0]
        if len(at):
            value = frames[name][key_columns[name]].iloc[int(at[0])]
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            return str(value).strip()
    return key


def join_sources(frames: dict[str, pd.DataFrame], key_columns: dict[str, str]) -> JoinResult:
    """Outer-join ``frames`` on their key columns; clashing columns get ``source.`` prefixes."""
    names = list(frames)
    missing = [n for n in names if key_columns.get(n) not in frames[n].columns]
    if missing:
        raise KeyError(f"no key column for {', '.join(missing)}")
    keys, stripped = normalise_keys({n: frames[n][key_columns[n]] for n in names})
    result = JoinResult(pd.DataFrame(), strip_zeros=stripped)
    seen: dict[str, set[str]] = {n: set(keys[n].dropna()) for n in names}
    everything = set().union(*seen.values()) if seen else set()
    counts = {c: 0 for n in names for c in frames[n].columns}
    for n in names:
        for c in frames[n].columns:
            counts[c] = counts.get(c, 0) + 1
    joined: pd.DataFrame | None = None
    for n in names:
        part = frames[n].copy()
        part.columns = [
            f"{n}.{c}" if (counts[c] > 1 and c != key_columns[n]) or c == KEY else c
            for c in part.columns
        ]
        part[KEY] = keys[n].to_numpy()
        blank = int(part[KEY].isna().sum())
        if blank:
            result.findings.append(
                Finding(Severity.WARNING, "join_blank_key", n, f"{n}: {blank:,} rows have no key")
            )
        dup = int(part[KEY].dropna().duplicated().sum())
        result.duplicates[n] = dup
        if dup:
            result.findings.append(
                Finding(
                    Severity.WARNING,
                    "join_duplicate_key",
                    n,
                    f"{n}: {dup:,} rows repeat a key; each of them is joined",
                )
            )
        part = part[part[KEY].notna()]
        joined = part if joined is None else joined.merge(part, on=KEY, how="outer")
    result.frame = joined if joined is not None else pd.DataFrame()
    for n in names:
        others = set().union(*(seen[m] for m in names if m != n)) if len(names) > 1 else set()
        result.only_in[n] = sorted(seen[n] - others)
        result.missing_from[n] = sorted(everything - seen[n])
        if result.missing_from[n]:
            sample = ", ".join(
                _as_written(k, keys, frames, key_columns) for k in result.missing_from[n][:5]
            )
            result.findings.append(
                Finding(
                    Severity.WARNING,
                    "join_missing_keys",
                    n,
                    f"{n}: {len(result.missing_from[n]):,} keys found in other sources are not "
                    f"here (e.g. {sample})",
                )
            )
    return result
