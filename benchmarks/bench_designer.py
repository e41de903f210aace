"""The designer's responsiveness: an edit of one weight to the Results view updated, and
the longest UI-thread stall while a large workbook is imported in the background.

    uv run python benchmarks/bench_designer.py --repeat 21

1. A 60-KPI × 4-tier scorecard over 200,000 rows is open in the Results view. Each step
   sets one KPI's weight through the document (the undoable edit the tree and Properties
   make) and waits until the Results model shows the new headline. Reference in the same
   run: the engine's bare ``score_actuals`` on the same actuals.
2. A 100,000-row workbook is imported with the wizard's background task while a 5 ms timer
   on the UI thread records the largest gap between its ticks (a stall the user would feel).
   Reference: the same timer with nothing running.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import pandas as pd
from bench_scoring import make_card, make_rows
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from scorecard_studio.domain import edits
from scorecard_studio.engines.scoring import compute_actuals, score_actuals
from scorecard_studio.qt.document import ScorecardDocument
from scorecard_studio.qt.widgets.results_view import ResultsView


def weight_edit(repeat: int) -> None:
    card = make_card(60)
    tables = {"rows": make_rows(200_000)}
    doc = ScorecardDocument()
    doc.load(card, tables)
    view = ResultsView(doc)
    view.resize(1000, 700)
    view.show()
    app = QApplication.instance()
    assert app is not None
    app.processEvents()
    kpi_ids = [k.id for k in card.all_kpis()]
    times = []
    for i in range(repeat):
        kpi_id = kpi_ids[i % len(kpi_ids)]
        start = time.perf_counter()
        doc.edit("weight", edits.set_weight, kpi_id, 1.0 + (i % 5), merge_key=None)
        text = view.headline.text()
        view.table.viewport().repaint()
        times.append(time.perf_counter() - start)
        assert text
    actuals = compute_actuals(doc.card, tables)
    engine = []
    for _ in range(repeat):
        start = time.perf_counter()
        score_actuals(doc.card, actuals)
        engine.append(time.perf_counter() - start)
    a, r = statistics.median(times), statistics.median(engine)
    print(f"weight edit → Results updated (60 KPIs × 4 tiers): median {a * 1000:.1f} ms")
    print(f"engine score_actuals alone: median {r * 1000:.1f} ms; ratio {a / r:.2f}")


def _largest_gap(app: QApplication, seconds_or_task: object) -> float:
    """Largest interval between 5 ms timer ticks while ``seconds_or_task`` runs."""
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    worst = [0]

    def tick() -> None:
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    if isinstance(seconds_or_task, float):
        end = time.monotonic() + seconds_or_task
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)
    else:
        task = seconds_or_task
        task.start()  # type: ignore[attr-defined]
        while task.running:  # type: ignore[attr-defined]
            app.processEvents()
            time.sleep(0.001)
    timer.stop()
    return float(worst[0])


def import_stall(rows: int) -> None:
    from openpyxl import Workbook

    from scorecard_studio.domain.model import DataSource
    from scorecard_studio.engines.importing import import_table
    from scorecard_studio.qt.tasks import BackgroundTask

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        rng = np.random.default_rng(3)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Data")
        ws.append(["account_id", "month", "tier", "revenue", "logins", "nps"])
        months = pd.date_range("2024-01-01", periods=24, freq="MS")
        for i in range(rows):
            ws.append(
                [
                    f"A{i % 5000:05d}",
                    months[i % 24].date(),
                    f"Tier {1 + i % 4}",
                    float(rng.normal(1000, 200)),
                    int(rng.poisson(20)),
                    int(rng.integers(0, 11)),
                ]
            )
        wb.save(path)
        source = DataSource("data", "Data", file=path.name, sheet="Data")
        idle = _largest_gap(app, 1.0)
        results: list[object] = []
        task = BackgroundTask(
            lambda progress, cancel: import_table(path, source, progress=progress, cancel=cancel)
        )
        task.succeeded.connect(results.append)
        task.failed.connect(results.append)
        start = time.perf_counter()
        busy = _largest_gap(app, task)
        seconds = time.perf_counter() - start
    outcome = results[0]
    assert not isinstance(outcome, str), outcome
    print(f"import of {rows:,} rows in the background: {seconds:.2f} s")
    print(f"largest UI-thread gap while importing: {busy:.0f} ms (idle reference {idle:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert app is not None
    weight_edit(args.repeat)
    import_stall(args.rows)


if __name__ == "__main__":
    main()
