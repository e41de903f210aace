"""Compare the engine's ScoreResult with the reference scorer, value by value.

Every actual, sample, score, status, low-sample flag, coverage, roll-up score and status,
tier weight and effective share is compared (relative 1e-9, absolute 1e-12; NaN equals
NaN). A status may differ only where the reference score sits within 1e-9 of a threshold,
where summation order alone can tip it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from reference_scorer import Reference, minimum_coverage, reference_score

from scorecard_studio.domain.model import STATUS_BY_CODE, Scorecard
from scorecard_studio.engines.scoring.engine import score


def same(a: float, b: float) -> bool:
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def status_name(code: Any) -> str:
    code = int(code)
    if code < len(STATUS_BY_CODE):
        return STATUS_BY_CODE[code].value
    return {4: "insufficient_data"}.get(code, f"code {code}")


def _near(x: float, edges: Sequence[float]) -> bool:
    return not math.isnan(x) and any(abs(x - e) <= 1e-9 for e in edges)


class Comparison:
    """Collects every difference, so one failing example reports them all."""

    def __init__(self, card: Scorecard, ref: Reference) -> None:
        self.card = card
        self.ref = ref
        self.problems: list[str] = []
        rag = card.settings.rag
        self.edges = (rag.green, rag.amber)

    def num(self, what: str, want: float, got: float) -> None:
        if not same(want, got):
            self.problems.append(f"{what}: reference {want!r}, engine {float(got)!r}")

    def status(self, what: str, want: str, got: Any, s: float, cov: float = 1.0) -> None:
        name = status_name(got)
        if name == want:
            return
        if _near(s, self.edges) or _near(cov, (minimum_coverage(self.card),)):
            return
        self.problems.append(f"{what}: reference {want}, engine {name} (score {s!r})")


def compare(
    card: Scorecard, tables: Mapping[str, pd.DataFrame], periods: Sequence[str] | None = None
) -> list[str]:
    """Every difference between the engine and the reference, as readable lines."""
    ref = reference_score(card, tables, periods)
    res = score(card, tables, periods)
    c = Comparison(card, ref)
    if list(res.period_labels) != ref.labels:
        return [f"periods: reference {ref.labels}, engine {list(res.period_labels)}"]
    tiers = [*card.tier_ids(), "all"]
    labels = ref.labels
    for k, kpi_id in enumerate(ref.kpi_ids):
        for t, tier in enumerate(tiers):
            for p, label in enumerate(labels):
                at = f"{kpi_id}[{tier}, {label}]"
                c.num(f"actual {at}", ref.value[k][t][p], res.actuals.value[k, t, p])
                c.num(f"sample {at}", ref.sample[k][t][p], res.actuals.sample[k, t, p])
                s = ref.score[k][t][p]
                c.num(f"score {at}", s, res.score[k, t, p])
                c.status(f"status {at}", ref.status[k][t][p], res.status[k, t, p], s)
                if bool(res.low_sample[k, t, p]) != ref.low_sample[k][t][p]:
                    c.problems.append(f"low sample {at}: reference {ref.low_sample[k][t][p]}")
    r = res.rollup
    objectives = [o.id for p_ in card.perspectives for o in p_.objectives]
    nodes = [
        ("objective", objectives, ref.objective_score, ref.objective_coverage,
         ref.objective_status, r.objective_score, r.objective_coverage, res.objective_status),
        ("perspective", [p_.id for p_ in card.perspectives], ref.perspective_score,
         ref.perspective_coverage, ref.perspective_status, r.perspective_score,
         r.perspective_coverage, res.perspective_status),
    ]  # fmt: skip
    for kind, ids, rs, rc, rst, es, ec, est in nodes:
        for i, node in enumerate(ids):
            for t, tier in enumerate(tiers):
                for p, label in enumerate(labels):
                    at = f"{kind} {node}[{tier}, {label}]"
                    s, cov = rs[i][t][p], rc[i][t][p]
                    c.num(f"score {at}", s, es[i, t, p])
                    c.num(f"coverage {at}", cov, ec[i, t, p])
                    c.status(f"status {at}", rst[i][t][p], est[i, t, p], s, cov)
    for t, tier in enumerate(tiers):
        for p, label in enumerate(labels):
            at = f"tier {tier}[{label}]"
            s, cov = ref.tier_score[t][p], ref.tier_coverage[t][p]
            c.num(f"score {at}", s, r.tier_score[t, p])
            c.num(f"coverage {at}", cov, r.tier_coverage[t, p])
            c.status(f"status {at}", ref.tier_status[t][p], res.tier_status[t, p], s, cov)
            if t < len(card.tiers):
                c.num(f"weight {at}", ref.tier_weights[t][p], res.actuals.tier_weights[t, p])
    for p, label in enumerate(labels):
        s, cov = ref.headline[p], ref.headline_coverage[p]
        c.num(f"headline [{label}]", s, r.headline[p])
        c.num(f"headline coverage [{label}]", cov, r.headline_coverage[p])
        c.status(
            f"headline status [{label}]", ref.headline_status[p], res.headline_status[p], s, cov
        )
    for k, kpi_id in enumerate(ref.kpi_ids):
        c.num(f"effective share {kpi_id}", ref.effective_share[k], res.effective_share[k])
    return c.problems


def assert_matches(
    card: Scorecard, tables: Mapping[str, pd.DataFrame], periods: Sequence[str] | None = None
) -> None:
    problems = compare(card, tables, periods)
    shown = "\n".join(problems[:25])
    more = f"\n… and {len(problems) - 25} more" if len(problems) > 25 else ""
    assert not problems, f"{len(problems)} differences from the reference:\n{shown}{more}"
