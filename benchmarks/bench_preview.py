"""Preview benchmark: a what-if slider step until every visible chart is redrawn.

Two generated scorecards with data, 60 KPIs and 1,000 KPIs, both 4 tiers × 36 monthly
periods (rows and measures as in ``bench_scoring.py``). The preview panel is shown
offscreen at 1600 × 1000 with the what-if controls open; each step moves a slider, waits
for the frame (scored at once for the small card, on the worker thread for the large one),
and repaints the whole panel synchronously.

Reported per scorecard, medians over the steps:

* step → every chart redrawn (the figure the target applies to), for a perspective
  weight slider and for a KPI target slider (which also moves bullets, heat map, trend);
* the longest single stretch of UI-thread work within a step (the stall a user could feel);
* reference, same run: the engine's bare ``score_actuals`` of the scenario's design with a
  prebuilt plan, and the what-if scorer (``ScenarioScorer.evaluate``, which also computes
  the marginal effects).

    QT_QPA_PLATFORM=offscreen uv run python benchmarks/bench_preview.py [--steps 41]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scoring import COLUMNS, ROW_AGGREGATIONS, make_rows

from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Frequency,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    Settings,
    TargetOverride,
    TargetSet,
    TargetValues,
)


def make_card(n_kpis: int) -> Scorecard:
    """Four perspectives of objectives of five KPIs (the last one may be shorter)."""
    kpis = []
    for i in range(n_kpis):
        agg = ROW_AGGREGATIONS[i % len(ROW_AGGREGATIONS)]
        survey = agg in (Aggregation.NPS, Aggregation.CSAT, Aggregation.CES)
        column = "answer" if survey else COLUMNS[i % len(COLUMNS)]
        if agg is Aggregation.DISTINCT_COUNT:
            column = "account"
        measure = Measure(
            agg,
            source="rows",
            column=column,
            denominator=COLUMNS[(i + 1) % len(COLUMNS)] if agg is Aggregation.RATIO else None,
        )
        targets = TargetSet(
            TargetValues(baseline=10.0 + i % 7, target=100.0 + i % 13, stretch=150.0),
            (TargetOverride(TargetValues(target=120.0), tier="tier_1"),) if i % 5 == 0 else (),
        )
        kpis.append(Kpi(f"k{i}", f"KPI {i:04d}", measure, targets, weight=1.0 + i % 4))
    per_p = -(-n_kpis // 4)
    perspectives = []
    for p in range(4):
        chunk = kpis[p * per_p : (p + 1) * per_p]
        objectives = tuple(
            Objective(f"o{p}_{j}", f"Objective {p}.{j}", 1.0 + j % 3, tuple(chunk[s : s + 5]))
            for j, s in enumerate(range(0, len(chunk), 5))
        )
        perspectives.append(Perspective(f"p{p}", f"Perspective {p}", 1.0 + p, objectives))
    source = DataSource(
        "rows", "Rows", key_column="account", date_column="date", tier_column="tier"
    )
    return Scorecard(
        f"Preview benchmark {n_kpis}",
        tuple(perspectives),
        settings=Settings(frequency=Frequency.MONTH),
        sources=(source,),
    )


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def run(n_kpis: int, rows: int, steps: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from scorecard_studio.domain.scenario import Scenario, apply
    from scorecard_studio.engines.scoring import score_actuals
    from scorecard_studio.engines.scoring.engine import ScoringPlan
    from scorecard_studio.engines.scoring.whatif import ScenarioScorer
    from scorecard_studio.qt.document import ScorecardDocument
    from scorecard_studio.qt.preview import PreviewPanel

    app = QApplication.instance() or QApplication([])
    card = make_card(n_kpis)
    doc = ScorecardDocument()
    doc.load(card, {"rows": make_rows(rows)})
    base = doc.result
    assert base is not None
    assert len(base.kpis) == n_kpis

    panel = PreviewPanel(doc)
    panel.resize(1600, 1000)
    panel.show()
    panel.show_whatif(True)
    panel.select_kpi("k7")
    app.processEvents()
    panel.repaint()
    recomputer = panel.state.recomputer
    positions = [100 + (i * 37) % 800 for i in range(steps + 3)]

    def measure(control: object) -> tuple[list[float], list[float]]:
        step_times: list[float] = []
        stalls: list[float] = []
        for i, position in enumerate(positions):
            start = time.perf_counter()
            control.slider.setValue(position)  # type: ignore[attr-defined]  # a drag step
            longest = time.perf_counter() - start
            while recomputer.shown_request != recomputer.latest_request:
                t = time.perf_counter()
                app.processEvents()
                longest = max(longest, time.perf_counter() - t)
                time.sleep(0.0002)
            t = time.perf_counter()
            app.processEvents()
            panel.repaint()  # every visible chart painted before the clock stops
            longest = max(longest, time.perf_counter() - t)
            if i >= 3:  # the first steps warm caches (fonts, brushes, pyqtgraph pictures)
                step_times.append(time.perf_counter() - start)
                stalls.append(longest)
        return step_times, stalls

    # A weight moves the roll-up (bars, weights); a target moves a KPI's scores too
    # (bullets, heat map, trend): every chart.
    step_times, stalls = measure(panel.whatif.perspective_controls()["p1"])
    target_times, target_stalls = measure(panel.whatif.target_controls["target"])
    recomputer.wait()
    frame = panel.state.frame
    assert frame is not None
    assert frame.result.card.perspectives[1].weight != 2.0

    scenario = Scenario().with_weight("p1", 3.5)
    applied = apply(card, scenario)
    plan = ScoringPlan.of(applied, base.actuals)
    engine: list[float] = []
    whatif: list[float] = []
    scorer = ScenarioScorer(base)
    for _ in range(max(steps, 21)):
        t = time.perf_counter()
        score_actuals(applied, base.actuals, plan)
        engine.append(time.perf_counter() - t)
        t = time.perf_counter()
        scorer.evaluate(scenario)
        whatif.append(time.perf_counter() - t)
    panel.close()
    panel.deleteLater()
    app.processEvents()
    return {
        "cells": float(base.score.size),
        "step": median_ms(step_times),
        "step_max": max(step_times) * 1000,
        "stall": median_ms(stalls),
        "stall_max": max(stalls) * 1000,
        "target_step": median_ms(target_times),
        "target_step_max": max(target_times) * 1000,
        "target_stall_max": max(target_stalls) * 1000,
        "engine": median_ms(engine),
        "whatif": median_ms(whatif),
        "async": float(base.score.size > recomputer.sync_cell_limit),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=41)
    parser.add_argument("--rows-small", type=int, default=200_000)
    parser.add_argument("--rows-large", type=int, default=1_000_000)
    args = parser.parse_args()
    cases = [(60, args.rows_small, 30.0), (1000, args.rows_large, 200.0)]
    for n_kpis, rows, target in cases:
        r = run(n_kpis, rows, args.steps)
        where = "worker thread" if r["async"] else "UI thread"
        cells = int(r["cells"])
        print(f"{n_kpis} KPIs x 4 tiers x 36 periods ({cells:,} cells), scored on the {where}")
        print(
            f"  slider step -> every chart redrawn  median {r['step']:7.1f} ms"
            f"  (max {r['step_max']:.1f}; target <= {target:.0f})"
        )
        print(
            f"  longest UI-thread stretch per step  median {r['stall']:7.1f} ms"
            f"  (max {r['stall_max']:.1f}; target < 100)"
        )
        print(
            f"  target slider step -> redrawn      median {r['target_step']:7.1f} ms"
            f"  (max {r['target_step_max']:.1f}; longest UI stretch {r['target_stall_max']:.1f})"
        )
        print(f"  engine score_actuals (reference)    median {r['engine']:7.2f} ms")
        print(f"  what-if scorer + marginal effects   median {r['whatif']:7.2f} ms")
        print(f"  ratio step / engine                        {r['step'] / r['engine']:7.1f}")


if __name__ == "__main__":
    main()
