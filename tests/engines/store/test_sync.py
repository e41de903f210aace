"""Offline work synced by hash: a consultant's local store and the team store.

The team store is the ``store`` fixture (a SQLite file, and a PostgreSQL team store when a
server is given); the consultant's store is always a local SQLite file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import cli
from store_fixtures import billing_table, card

from scorecard_studio.domain.design_codec import dumps_design
from scorecard_studio.engines.store import Store, open_store


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "laptop.sqlite3") as opened:
        yield opened


def _chain(store: Store) -> list[tuple[int, str, str | None]]:
    return [(v.number, v.hash, v.parent_hash) for v in store.log("Retention")]


def test_offline_versions_round_trip_through_push_and_pull(store: Store, laptop: Store) -> None:
    team = store
    one = laptop.save(card(target=100), {"billing": billing_table()}, "offline one")
    two = laptop.save(card(target=110), None, "offline two")
    laptop.freeze("Retention", 1, "Client review")

    [pushed] = laptop.push(team)
    assert (pushed.added, pushed.renumbered, pushed.diverged) == ((1, 2), {}, ())
    assert pushed.freezes_left_out == ()
    assert _chain(team) == _chain(laptop) == [(1, one.hash, None), (2, two.hash, one.hash)]
    assert team.version_info("Retention", 1).frozen_label == "Client review"
    assert team.checkout("Retention", 1).load_snapshots()["billing"].equals(billing_table())
    assert [e.operation for e in team.audit("Retention")] == ["push"]

    again = laptop.push(team)[0]  # pushing twice adds nothing
    assert (again.added, again.already_present, again.drafts) == ((), 2, ())
    three = team.save(card(target=120), None, "at the office")
    [pulled] = laptop.pull(team)
    assert (pulled.added, pulled.diverged) == ((3,), ())
    assert laptop.version_info("Retention", 3).hash == three.hash
    assert team.verify() == []
    assert laptop.verify() == []


def test_a_diverged_history_becomes_a_draft_and_nothing_is_overwritten(
    store: Store, laptop: Store
) -> None:
    team = store
    laptop.save(card(target=100), None, "base")
    laptop.push(team)
    office = team.save(card(target=200), None, "saved at the office")
    mine = laptop.save(card(target=300, extra=2), {"billing": billing_table(8)}, "saved offline")

    [pushed] = laptop.push(team)
    assert (pushed.added, pushed.diverged) == ((), (2,))
    assert pushed.conflicts_with == f"v2 by {office.author}"
    [draft] = [d for d in team.recover_drafts("Retention") if d.id in pushed.drafts]
    assert draft.kind == "conflict"
    assert dumps_design(draft.design) == dumps_design(card(target=300, extra=2))
    assert team.draft_tables(draft.id)["billing"].equals(billing_table(8))
    assert draft.base_number == 1
    assert draft.conflicts_with == f"v2 by {office.author}"
    assert mine.hash[:12] in draft.message
    assert [v.hash for v in team.log("Retention")][-1] == office.hash  # the team's head stays
    assert laptop.push(team)[0].drafts == ()  # the draft is made once

    [pulled] = laptop.pull(team)  # the team's version comes in beside the offline one
    assert (pulled.added, pulled.renumbered) == ((3,), {2: 3})
    assert laptop.version_info("Retention", 2).hash == mine.hash  # never rewritten
    assert laptop.version_info("Retention", 3).hash == office.hash
    assert laptop.head("Retention") == 3
    redone = laptop.save(card(target=310, extra=2), None, "redone on the team's latest")
    [last] = laptop.push(team)
    assert last.added == (4,)
    assert last.diverged == (2,)  # still not a version there, still only one draft
    assert last.drafts == ()
    assert team.version_info("Retention", 4).hash == redone.hash
    assert team.version_info("Retention", 4).parent_hash == office.hash
    assert team.verify() == []
    assert laptop.verify() == []


def test_push_and_pull_on_the_command_line(tmp_path: Path, team_url: str) -> None:
    from scorecard_studio.engines.design_file import save_design

    design = tmp_path / "retention.json"
    save_design(card(), design)
    laptop = tmp_path / "laptop.sqlite3"
    saved = cli("store", "save", str(design), "-m", "offline", "--store-path", str(laptop))
    assert saved.returncode == 0, saved.stderr
    pushed = cli("store", "push", "--json", "--store-path", str(laptop), "--store-url", team_url)
    assert pushed.returncode == 0, pushed.stderr
    assert json.loads(pushed.stdout)["scorecards"][0]["added"] == [1]
    listed = cli("store", "log", "Retention", "--json", "--store-url", team_url)
    assert [v["message"] for v in json.loads(listed.stdout)["versions"]] == ["offline"]
    pulled = cli("store", "pull", "--store-path", str(laptop), "--store-url", team_url)
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.stdout.startswith("pull Retention: added nothing new (1 already there)")
    missing = cli("store", "push", "--store-path", str(laptop))
    assert missing.returncode == 2
    assert "push needs the team store" in missing.stderr
