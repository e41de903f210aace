"""Impact of a change: a proposed design scored on the data of the versions it would replace.

For each baseline (the version the proposal would replace, and every frozen QBR version)
the baseline's own design and the proposed design are both scored on the baseline's data
snapshots, and compared value by value over the last N periods the baseline reports:
headline, every tier, every perspective in every tier, and every KPI's score and status in
every tier. Only values that differ are listed; a KPI or perspective that exists in one
design only is listed with the other side empty.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scorecard_studio.domain.model import STATUS_BY_CODE, STATUS_LABELS
from scorecard_studio.engines.scoring import ScoreResult

#: Periods compared by default, ending at each baseline's latest.
IMPACT_PERIODS = 4

#: Two scores closer than this are the same (float noise of a reordered sum).
_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Impact:
    """One value that the proposal changes."""

    period: str
    level: str  # headline, tier, perspective, kpi
    item: str  # id ("" for the headline)
    name: str
    tier: str  # tier id ("" for the headline)
    old_score: float | None
    new_score: float | None
    old_status: str | None
    new_status: str | None

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status

    def describe(self) -> str:
        where = self.name if self.level == "headline" else f"{self.level} {self.name}"
        if self.tier and self.level != "tier":
            where += f" [{self.tier}]"
        text = f"{self.period} {where}: {_score(self.old_score)} → {_score(self.new_score)}"
        if self.status_changed:
            text += f", {_label(self.old_status)} → {_label(self.new_status)}"
        return text

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "level": self.level,
            "item": self.item,
            "name": self.name,
            "tier": self.tier,
            "old_score": self.old_score,
            "new_score": self.new_score,
            "old_status": self.old_status,
            "new_status": self.new_status,
        }


@dataclass(frozen=True, slots=True)
class ImpactRun:
    """The proposal against one baseline version."""

    baseline: int
    baseline_label: str  # "v4 (replaced)" or the freeze label
    periods: tuple[str, ...]
    changes: tuple[Impact, ...] = field(default=())
    compared: int = 0  # values compared

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "baseline_label": self.baseline_label,
            "periods": list(self.periods),
            "compared": self.compared,
            "changed": len(self.changes),
            "changes": [c.to_json_dict() for c in self.changes],
        }

    def lines(self) -> list[str]:
        head = (
            f"against v{self.baseline} ({self.baseline_label}), "
            f"{', '.join(self.periods) or 'no periods'}: "
            f"{len(self.changes)} of {self.compared} values change"
        )
        return [head, *(f"  {c.describe()}" for c in self.changes)]


def compare_results(
    old: ScoreResult,
    new: ScoreResult,
    baseline: int,
    baseline_label: str,
    periods: int = IMPACT_PERIODS,
) -> ImpactRun:
    """Every value ``new`` gives differently from ``old`` in old's last ``periods`` periods."""
    last = old.period_index(None)
    shown = [p for p in old.period_labels[: last + 1] if p in new.period_labels][-periods:]
    changes: list[Impact] = []
    compared = 0
    for label in shown:
        pair = _Pair(old, new, old.period_labels.index(label), new.period_labels.index(label))
        for level, item, name, tier, a, b in pair.values():
            compared += 1
            old_score, old_status = _value(a)
            new_score, new_status = _value(b)
            if not (_same(old_score, new_score) and old_status == new_status):
                changes.append(
                    Impact(
                        label, level, item, name, tier, old_score, new_score, old_status, new_status
                    )
                )
    return ImpactRun(baseline, baseline_label, tuple(shown), tuple(changes), compared)


_Cell = tuple[float, int] | None


class _Pair:
    """The two results at one period, walked value by value in the same order."""

    def __init__(self, old: ScoreResult, new: ScoreResult, po: int, pn: int) -> None:
        self.old, self.new, self.po, self.pn = old, new, po, pn
        self.tiers_old = {t: i for i, t in enumerate(old.tier_ids)}
        self.tiers_new = {t: i for i, t in enumerate(new.tier_ids)}
        self.tier_ids = [t for t in old.tier_ids if t in self.tiers_new]
        self.tier_names = dict(zip(old.tier_ids, old.tier_names(), strict=True))

    def values(self) -> list[tuple[str, str, str, str, _Cell, _Cell]]:
        old, new, po, pn = self.old, self.new, self.po, self.pn
        out: list[tuple[str, str, str, str, _Cell, _Cell]] = [
            (
                "headline",
                "",
                "headline",
                "",
                (float(old.rollup.headline[po]), int(old.headline_status[po])),
                (float(new.rollup.headline[pn]), int(new.headline_status[pn])),
            )
        ]
        for tier in self.tier_ids:
            to, tn = self.tiers_old[tier], self.tiers_new[tier]
            out.append(
                (
                    "tier",
                    tier,
                    self.tier_names[tier],
                    tier,
                    (float(old.rollup.tier_score[to, po]), int(old.tier_status[to, po])),
                    (float(new.rollup.tier_score[tn, pn]), int(new.tier_status[tn, pn])),
                )
            )
        out += self._items(
            "perspective",
            [(p.id, p.name) for p in old.card.perspectives],
            [(p.id, p.name) for p in new.card.perspectives],
            lambda r, i, t, p: (
                float(r.rollup.perspective_score[i, t, p]),
                int(r.perspective_status[i, t, p]),
            ),
        )
        out += self._items(
            "kpi",
            [(k.id, k.name) for k in old.kpis],
            [(k.id, k.name) for k in new.kpis],
            lambda r, i, t, p: (float(r.score[i, t, p]), int(r.status[i, t, p])),
        )
        return out

    def _items(
        self,
        level: str,
        old_items: Sequence[tuple[str, str]],
        new_items: Sequence[tuple[str, str]],
        cell: Callable[[ScoreResult, int, int, int], tuple[float, int]],
    ) -> list[tuple[str, str, str, str, _Cell, _Cell]]:
        old_index = {item: i for i, (item, _) in enumerate(old_items)}
        new_index = {item: i for i, (item, _) in enumerate(new_items)}
        names = dict((*old_items, *new_items))
        order = [item for item, _ in old_items] + [i for i, _ in new_items if i not in old_index]
        out: list[tuple[str, str, str, str, _Cell, _Cell]] = []
        for item in order:
            for tier in self.tier_ids:
                a = (
                    cell(self.old, old_index[item], self.tiers_old[tier], self.po)
                    if item in old_index
                    else None
                )
                b = (
                    cell(self.new, new_index[item], self.tiers_new[tier], self.pn)
                    if item in new_index
                    else None
                )
                out.append((level, item, names[item], tier, a, b))
        return out


def _value(pair: _Cell) -> tuple[float | None, str | None]:
    if pair is None:
        return None, None
    score, code = pair
    return (None if math.isnan(score) else score), STATUS_BY_CODE[code].value


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= _EPSILON


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _label(status: str | None) -> str:
    return "—" if status is None else STATUS_LABELS.get(status, status)
