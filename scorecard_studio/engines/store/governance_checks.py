"""What a freeze requires, and the impact of a proposed version: governance that scores.

Both read a version's design and data from the store and score them, so they run outside
any write transaction (scoring takes seconds on large data; the write lock must not wait).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from scorecard_studio.domain.governance import ReviewState, missing_commentary
from scorecard_studio.engines.governance import (
    ImpactRun,
    compare_results,
    red_kpis,
    report_period_index,
)
from scorecard_studio.engines.governance.impact import IMPACT_PERIODS
from scorecard_studio.engines.scoring import score
from scorecard_studio.engines.store import governance_store
from scorecard_studio.engines.store.records import VersionInfo
from scorecard_studio.engines.store.unit_of_work import Transactions


class _Versions(Transactions, Protocol):
    """What these checks need of the store (the façade, which calls them, is one)."""

    def checkout(self, name: str, number: int | None = None) -> Any: ...

    def log(self, name: str) -> Sequence[VersionInfo]: ...


@dataclass(frozen=True, slots=True)
class FreezeBlockers:
    """Why a version may not be frozen yet (empty: it may)."""

    review_state: str | None = None  # set when approval is required and missing
    period: str | None = None
    missing_commentary: tuple[tuple[str, str], ...] = ()  # (KPI id, name)

    def __bool__(self) -> bool:
        return self.review_state is not None or bool(self.missing_commentary)

    def message(self, name: str, number: int) -> str:
        reasons: list[str] = []
        if self.review_state is not None:
            reasons.append(f"the scorecard requires approval and v{number} is {self.review_state}")
        if self.missing_commentary:
            names = ", ".join(n for _, n in self.missing_commentary)
            reasons.append(
                f"commentary is required on every red KPI and {len(self.missing_commentary)} "
                f"red KPI(s) in {self.period} have none: {names}"
            )
        return f"cannot freeze {name} v{number}: " + "; ".join(reasons)

    def to_json_dict(self) -> dict[str, object]:
        return {
            "review_state": self.review_state,
            "period": self.period,
            "missing_commentary": [{"kpi": k, "name": n} for k, n in self.missing_commentary],
        }


def freeze_blockers(store: _Versions, name: str, number: int, label: str) -> FreezeBlockers:
    """What stands between version ``number`` and a freeze labelled ``label``."""
    version = store.checkout(name, number)
    settings = version.design.settings
    if not settings.require_approval and not settings.require_commentary_on_red:
        return FreezeBlockers()
    seen = governance_store.view(store, name, number)
    state = None
    if settings.require_approval and seen.review_state is not ReviewState.APPROVED:
        state = seen.review_state.value
    missing: tuple[tuple[str, str], ...] = ()
    period = None
    if settings.require_commentary_on_red and version.design.all_kpis():
        result = score(version.design, version.load_snapshots())
        if result.period_labels:
            p = report_period_index(result, label)
            period = result.period_labels[p]
            names = {k.id: k.name for k in result.kpis}
            missing = tuple(
                (k, names[k]) for k in missing_commentary(red_kpis(result, p), period, seen)
            )
    return FreezeBlockers(state, period, missing)


def impact(
    store: _Versions,
    name: str,
    number: int,
    *,
    against: int | None = None,
    periods: int = IMPACT_PERIODS,
    frozen: bool = True,
) -> list[ImpactRun]:
    """Version ``number``'s design scored on the data of the version it would replace (its
    parent, or ``against``) and of every frozen version, compared with their own scores."""
    proposal = store.checkout(name, number)
    baselines: list[tuple[int, str]] = []
    base = against if against is not None else proposal.info.parent
    if base is not None:
        baselines.append((base, "replaced" if against is None else "chosen"))
    if frozen:
        for info in store.log(name):
            if info.frozen_label and info.number not in {number, *(b for b, _ in baselines)}:
                baselines.append((info.number, info.frozen_label))
    runs: list[ImpactRun] = []
    for base_number, label in baselines:
        old = store.checkout(name, base_number)
        tables = old.load_snapshots()
        runs.append(
            compare_results(
                score(old.design, tables),
                score(proposal.design, tables),
                base_number,
                label,
                periods,
            )
        )
    return runs
