"""Load test of the store: many clients saving one scorecard at once.

``--clients`` threads (default 8), each with a store connection of its own, save
``--saves`` versions each (default 250) of the same scorecard on top of whatever the head
is, as the CLI does. At the end every reported save must be in the store with its hash, the
version count must be exact and ``verify`` must find nothing. Prints throughput (saves per
second of wall time) and the median and 95th-percentile latency of one save.

    uv run python benchmarks/bench_team_store.py                       # a SQLite file
    uv run python benchmarks/bench_team_store.py --url postgresql://…  # a team store

With ``--url`` the store is made in a new schema of that database, dropped at the end (the
login needs the right to create schemas).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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
from scorecard_studio.engines.store import open_store

NAME = "Load test"


def design(client: int, n: int) -> Scorecard:
    """A 20-KPI scorecard whose targets differ per save (so every design is new)."""
    kpis = tuple(
        Kpi(
            f"k{i}",
            f"KPI {i}",
            Measure(Aggregation.SUM, source="billing", column="amount"),
            TargetSet(TargetValues(baseline=0, target=100.0 + i + client * 1000 + n)),
        )
        for i in range(20)
    )
    return Scorecard(
        NAME,
        (Perspective("fin", "Financial", objectives=(Objective("o", "Growth", kpis=kpis),)),),
        sources=(DataSource("billing", "Billing", file="billing.csv", key_column="account"),),
    )


def run(location: str, clients: int, saves: int) -> None:
    with open_store(location) as store:
        store.save(design(0, 0), None, "start")
    latencies: list[float] = []
    saved: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(c: int) -> None:
        try:
            with open_store(location) as store:
                store.head(NAME)  # connect before the clock starts
                barrier.wait()
                for n in range(saves):
                    start = time.perf_counter()
                    info = store.save(design(c + 1, n), None, f"client {c} save {n}")
                    elapsed = time.perf_counter() - start
                    with lock:
                        latencies.append(elapsed)
                        saved.append(info.hash)
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if errors:
        raise SystemExit(f"a client failed: {errors[0]}")
    with open_store(location) as store:
        log = store.log(NAME)
        hashes = {v.hash for v in log}
        lost = [h for h in saved if h not in hashes]
        problems = store.verify()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"{clients} clients x {saves} saves: {len(saved)} saved, {len(log)} versions "
        f"(expected {1 + clients * saves}), {len(lost)} lost, verify: "
        f"{'ok' if not problems else f'{len(problems)} problem(s)'}"
    )
    print(
        f"throughput {len(saved) / wall:.0f} saves/s; latency median "
        f"{statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a PostgreSQL database for a team store")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--saves", type=int, default=250)
    args = parser.parse_args()
    if not args.url:
        with tempfile.TemporaryDirectory() as folder:
            run(str(Path(folder) / "load.sqlite3"), args.clients, args.saves)
        return
    admin = make_url(args.url).set(drivername="postgresql+psycopg")
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    schema = f"load_{uuid.uuid4().hex[:8]}"
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = admin.set(drivername="postgresql", query={"options": f"-csearch_path={schema}"})
        run(url.render_as_string(hide_password=False), args.clients, args.saves)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


if __name__ == "__main__":
    main()
