"""Governance entries travel with push and pull, by hash, checked as a file's are.

The team store is the ``store`` fixture (a SQLite file, and a PostgreSQL team store when a
server is given); the consultant's store is always a local SQLite file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from governance_fixtures import governed_card, sales_table

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import Store, open_store
from scorecard_studio.engines.store.dialect import GUARD_TRIGGERS_V1, GUARD_TRIGGERS_V3

NAME = "Governed"


@pytest.fixture
def laptop_path(tmp_path: Path) -> Path:
    return tmp_path / "laptop.sqlite3"


@pytest.fixture
def laptop(laptop_path: Path) -> Iterator[Store]:
    with open_store(laptop_path) as opened:
        yield opened


def _hashes(store: Store) -> list[tuple[int, str]]:
    return [(e.version, e.id) for e in store.governance_entries(NAME)]


def test_entries_go_out_with_push_and_come_back_with_pull(store: Store, laptop: Store) -> None:
    team = store
    laptop.save(governed_card(), {"sales": sales_table()}, "v1")
    laptop.comment(NAME, 1, "revenue", "2026-Q3", "Lost a renewal", "Call the CFO", "ana")
    laptop.add_action(NAME, 1, "Win back renewals", owner="Ana", kpis=("revenue",))

    [pushed] = laptop.push(team)
    assert (pushed.added, pushed.governance_added, pushed.governance_not_merged) == ((1,), 2, 0)
    assert _hashes(team) == _hashes(laptop)
    assert len(_hashes(team)) == 2
    seen = team.governance(NAME, 1)
    comment = seen.latest_comment("revenue", "2026-Q3")
    assert comment is not None
    assert (comment.analysis, comment.recommendation, comment.author) == (
        "Lost a renewal",
        "Call the CFO",
        "ana",
    )
    assert [(a.id, a.title, a.owner) for a in seen.actions] == [("A1", "Win back renewals", "Ana")]
    push_audit = [e for e in team.audit(NAME) if e.operation == "push"][-1]
    assert [pair[0] for pair in push_audit.detail["governance"]] == [h for _, h in _hashes(team)]

    again = laptop.push(team)[0]  # pushing twice adds nothing
    assert (again.governance_added, again.governance_not_merged) == (0, 0)

    # At the office: the action is done and a second comment is written, on the same v1.
    team.update_action(NAME, 1, "A1", status="done")
    team.comment(NAME, 1, "orders", "2026-Q3", "Orders slipped", author="ben")
    [pulled] = laptop.pull(team)
    assert (pulled.added, pulled.governance_added, pulled.governance_not_merged) == ((), 2, 0)
    assert _hashes(laptop) == _hashes(team)
    assert len(_hashes(laptop)) == 4
    assert laptop.governance(NAME, 1).action("A1").status.value == "done"
    assert team.verify() == []
    assert laptop.verify() == []


def test_entries_written_on_both_sides_of_one_version_keep_each_stores_chain(
    store: Store, laptop: Store
) -> None:
    team = store
    laptop.save(governed_card(), {"sales": sales_table()}, "v1")
    laptop.comment(NAME, 1, "revenue", "2026-Q3", "shared note")
    laptop.push(team)
    # Both write a second entry on v1 before syncing again: the chains part after entry 1.
    team.comment(NAME, 1, "orders", "2026-Q3", "theirs", author="ben")
    team.comment(NAME, 1, "orders", "2026-Q2", "theirs too", author="ben")
    laptop.comment(NAME, 1, "orders", "2026-Q3", "mine", author="ana")

    [pushed] = laptop.push(team)
    assert (pushed.governance_added, pushed.governance_not_merged) == (0, 1)
    [pulled] = laptop.pull(team)
    assert (pulled.governance_added, pulled.governance_not_merged) == (0, 2)
    team_orders = team.governance(NAME, 1).latest_comment("orders", "2026-Q3")
    laptop_orders = laptop.governance(NAME, 1).latest_comment("orders", "2026-Q3")
    assert team_orders is not None
    assert laptop_orders is not None
    assert (team_orders.analysis, laptop_orders.analysis) == ("theirs", "mine")
    assert len(_hashes(team)) == 3
    assert len(_hashes(laptop)) == 2
    assert _hashes(team)[0] == _hashes(laptop)[0]  # the shared first entry, once each
    assert team.verify() == []
    assert laptop.verify() == []


def test_entries_on_a_diverged_version_stay_behind_with_it(store: Store, laptop: Store) -> None:
    team = store
    laptop.save(governed_card(), {"sales": sales_table()}, "v1")
    laptop.push(team)
    team.save(governed_card(revenue_target=150.0), None, "at the office")
    laptop.save(governed_card(revenue_target=125.0), None, "offline")
    laptop.comment(NAME, 2, "revenue", "2026-Q3", "on the offline version")
    laptop.comment(NAME, 1, "revenue", "2026-Q3", "on the shared version")

    [pushed] = laptop.push(team)
    assert (pushed.diverged, pushed.governance_added, pushed.governance_not_merged) == (
        (2,),
        1,
        1,
    )
    notes = [(e.version, e.body["analysis"]) for e in team.governance_entries(NAME)]
    assert notes == [(1, "on the shared version")]


def test_a_tampered_entry_in_the_source_stops_the_push(
    store: Store, laptop: Store, laptop_path: Path
) -> None:
    team = store
    laptop.save(governed_card(), {"sales": sales_table()}, "v1")
    laptop.comment(NAME, 1, "revenue", "2026-Q3", "Lost a renewal")
    db = sqlite3.connect(laptop_path, isolation_level=None)
    try:
        for trigger in (*GUARD_TRIGGERS_V1, *GUARD_TRIGGERS_V3):
            db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        body = json.dumps({"analysis": "Won everything", "period": "2026-Q3"})
        db.execute("UPDATE governance_entries SET body = ?", (body,))
    finally:
        db.close()
    with pytest.raises(StoreError) as refused:
        laptop.push(team)
    assert "governance entry 1 does not match its hash" in str(refused.value)
    assert "nothing was merged" in str(refused.value)
    assert NAME not in [c.name for c in team.list_scorecards()]
