"""Version store benchmark: save, log and open, each beside a bare sqlite3 reference.

* **save** of a 100-KPI scorecard (design only; the data snapshots are unchanged, as when a
  strategy manager edits targets). Reference: a bare ``sqlite3`` INSERT of the same
  canonical design bytes plus COMMIT, on a database with the same WAL and
  ``synchronous=FULL`` settings.
* **log** of a scorecard with 10,000 versions, through ``Store.log`` and through the
  ``store log`` command's text output (in-process). Reference: a bare ``sqlite3`` SELECT of
  the same columns of the same rows.
* **open** of a store of 100 scorecards: ``open_store`` + ``list_scorecards`` + ``close``.
  Reference: ``sqlite3.connect`` + SELECT of the scorecard names + close.

Every figure is a median over ``--repeat`` runs, in one process after imports (the window
opens the store once it is running). The stores live in a temporary folder.

    uv run python benchmarks/bench_store.py [--repeat 21]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert

from scorecard_studio.domain.design_codec import dumps_design
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
)
from scorecard_studio.engines.store import Store, open_store
from scorecard_studio.engines.store.documents import encode_design
from scorecard_studio.engines.store.hashing import version_hash
from scorecard_studio.engines.store.location import now_utc
from scorecard_studio.engines.store.schema import VersionRow


def make_card(n_kpis: int = 100, name: str = "Benchmark", target: float = 100.0) -> Scorecard:
    """Four perspectives, two objectives each, KPIs spread evenly, targets per KPI."""
    source = DataSource("billing", "Billing", file="billing.csv", date_column="month")
    kpis = [
        Kpi(
            f"k{i:03d}",
            f"KPI number {i}",
            Measure(Aggregation.SUM, source="billing", column=f"m{i % 12}"),
            TargetSet(TargetValues(baseline=0.0, target=target + i, stretch=target * 1.2 + i)),
            weight=1.0 + i % 3,
            description=f"Measure {i} of the benchmark scorecard",
            unit="USD",
            owner="Customer success",
        )
        for i in range(n_kpis)
    ]
    per_objective = max(1, n_kpis // 8)
    perspectives = []
    for p in range(4):
        objectives = tuple(
            Objective(
                f"o{p}{o}",
                f"Objective {p}.{o}",
                kpis=tuple(kpis[(p * 2 + o) * per_objective : (p * 2 + o + 1) * per_objective]),
            )
            for o in range(2)
        )
        perspectives.append(Perspective(f"p{p}", f"Perspective {p}", objectives=objectives))
    return Scorecard(name, tuple(perspectives), sources=(source,))


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bare_db(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, data BLOB)")
    return db


def bench_save(folder: Path, repeat: int) -> tuple[float, float, int]:
    store = open_store(folder / "save.sqlite3")
    cards = [make_card(target=100.0 + k) for k in range(repeat + 3)]
    texts = [dumps_design(c).encode() for c in cards]
    for card in cards[:3]:  # warm-up: first statements compile, first pages are allocated
        store.save(card, None, "warm-up")
    queue = iter(cards[3:])
    saved = median_ms(lambda: store.save(next(queue), None, "edit targets"), repeat)
    store.close()
    db = bare_db(folder / "bare-save.sqlite3")
    blobs = iter(texts * 2)

    def bare_insert() -> None:
        db.execute("BEGIN")
        db.execute("INSERT INTO t (data) VALUES (?)", (next(blobs),))
        db.execute("COMMIT")

    bare_insert()
    reference = median_ms(bare_insert, repeat)
    db.close()
    return saved, reference, len(texts[0])


def build_long_history(store: Store, versions: int) -> None:
    """``versions`` chained versions of one scorecard, written in one transaction."""
    design = encode_design(make_card(20, name="Long history"))
    with store.unit_of_work(write=True) as uow:
        card = uow.repo.add_scorecard("Long history", now_utc())
        uow.repo.add_design(design.hash, design.codec, len(design.text), design.stored)
        rows = []
        parent: str | None = None
        for number in range(1, versions + 1):
            created = now_utc()
            message = f"Weekly update {number}: targets reviewed with the account team"
            digest = version_hash(
                parent_hash=parent,
                design_hash=design.hash,
                snapshots={},
                message=message,
                author="analyst",
                created_at=created,
            )
            rows.append(
                {
                    "scorecard_id": card.id,
                    "number": number,
                    "parent_number": number - 1 if number > 1 else None,
                    "parent_hash": parent,
                    "design_hash": design.hash,
                    "message": message,
                    "author": "analyst",
                    "created_at": created,
                    "hash": digest,
                }
            )
            parent = digest
        uow.session.execute(insert(VersionRow), rows)
        card.last_number = versions
        uow.commit()


def bench_log(folder: Path, repeat: int, versions: int) -> tuple[float, float, float]:
    from scorecard_studio.cli.main import run_cli

    path = folder / "log.sqlite3"
    store = open_store(path)
    build_long_history(store, versions)
    assert len(store.log("Long history")) == versions
    api = median_ms(lambda: store.log("Long history"), repeat)
    store.close()

    def cli_text() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            run_cli(["store", "log", "Long history", "--store-path", str(path)])

    cli_text()
    cli = median_ms(cli_text, repeat)
    db = sqlite3.connect(path)

    def bare_select() -> None:
        db.execute(
            "SELECT number, hash, parent_number, parent_hash, design_hash, message, author,"
            " created_at, frozen_label, frozen_at, frozen_by FROM versions"
            " WHERE scorecard_id = 1 ORDER BY number"
        ).fetchall()

    bare_select()
    reference = median_ms(bare_select, repeat)
    db.close()
    return api, cli, reference


def bench_open(folder: Path, repeat: int, scorecards: int) -> tuple[float, float]:
    path = folder / "open.sqlite3"
    with open_store(path) as store:
        for i in range(scorecards):
            store.save(make_card(10, name=f"Customer {i:03d}"), None, "first version")

    def open_and_list() -> None:
        store = open_store(path)
        assert len(store.list_scorecards()) == scorecards
        store.close()

    open_and_list()
    opened = median_ms(open_and_list, repeat)

    def bare_open() -> None:
        db = sqlite3.connect(path)
        db.execute("SELECT name FROM scorecards ORDER BY name").fetchall()
        db.close()

    bare_open()
    return opened, median_ms(bare_open, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--scorecards", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        saved, bare_insert, size = bench_save(folder, args.repeat)
        api, cli, bare_select = bench_log(folder, args.repeat, args.versions)
        opened, bare_open = bench_open(folder, args.repeat, args.scorecards)
    rows = [
        ("save, 100-KPI scorecard", saved, bare_insert, "≤ 20 ms"),
        (f"log, {args.versions:,} versions (Store.log)", api, bare_select, "≤ 50 ms"),
        (f"log, {args.versions:,} versions (store log text)", cli, bare_select, "≤ 50 ms"),
        (f"open + list, {args.scorecards} scorecards", opened, bare_open, "≤ 100 ms"),
    ]
    print(f"design document of the 100-KPI scorecard: {size:,} bytes")
    print(f"{'what':<44} {'median':>10} {'bare sqlite3':>13} {'ratio':>6}  target")
    for what, value, reference, target in rows:
        print(
            f"{what:<44} {value:>7.2f} ms {reference:>10.2f} ms {value / reference:>6.1f}  {target}"
        )


if __name__ == "__main__":
    main()
