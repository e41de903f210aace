"""Saving, history, checkout and restore: the everyday operations of the store."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from store_fixtures import billing_table, card, survey_table, with_weight

from scorecard_studio.domain.design_codec import dumps_design
from scorecard_studio.domain.errors import ConflictError, StoreError
from scorecard_studio.engines.store import Store
from scorecard_studio.engines.store.hashing import version_hash


def test_first_save_creates_version_1_with_hashes_computed_independently(store: Store) -> None:
    design = card()
    who = store.identity() if store.team else "ana"  # a team store records the login
    info = store.save(design, {"billing": billing_table()}, "first", author=who)
    assert (info.number, info.parent, info.parent_hash) == (1, None, None)
    text = dumps_design(design).encode()
    assert info.design_hash == hashlib.sha256(text).hexdigest()
    # The chain rule written out by hand: sorted compact JSON with the format tag.
    payload = {
        "author": who,
        "created_at": info.created_at,
        "design": info.design_hash,
        "message": "first",
        "parent": None,
        "snapshots": {"billing": info.snapshot_hashes["billing"]},
        "tag": "scorecard-studio/version/1",
    }
    expected = hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert info.hash == expected


def test_log_lists_versions_oldest_first_with_parents(store: Store) -> None:
    a = store.save(card(), None, "one")
    b = store.save(with_weight(card(), "nps", 2), None, "two")
    c = store.save(with_weight(card(), "nps", 3), None, "three")
    log = store.log("Retention")
    assert [v.number for v in log] == [1, 2, 3]
    assert [v.message for v in log] == ["one", "two", "three"]
    assert [v.parent for v in log] == [None, 1, 2]
    assert log[1].parent_hash == a.hash
    assert log[2].parent_hash == b.hash
    assert log[2].hash == c.hash
    assert [v.author for v in log] == ["tester"] * 3


def test_checkout_gives_the_design_and_the_typed_tables_back(store: Store) -> None:
    billing, survey = billing_table(8), survey_table()
    store.save(card(), {"billing": billing, "survey": survey}, "with data")
    version = store.checkout("Retention")
    assert version.design == card()
    tables = version.load_snapshots()
    pd.testing.assert_frame_equal(tables["billing"], billing)
    pd.testing.assert_frame_equal(tables["survey"], survey)
    assert str(tables["billing"]["tier"].dtype) == "str"
    assert tables["billing"]["tier"].isna().tolist() == [False, False, True, False] * 2


def test_a_source_left_out_keeps_the_parents_snapshot(store: Store) -> None:
    first = store.save(card(), {"billing": billing_table(), "survey": survey_table()}, "data")
    second = store.save(card(target=250), {"billing": billing_table(seed=1)}, "new billing")
    assert second.snapshot_hashes["survey"] == first.snapshot_hashes["survey"]
    assert second.snapshot_hashes["billing"] != first.snapshot_hashes["billing"]


def test_identical_tables_are_stored_once(store: Store) -> None:
    store.save(card(), {"billing": billing_table()}, "a")
    store.save(card(target=300), {"billing": billing_table()}, "b")
    with store.unit_of_work() as uow:
        assert len(uow.repo.snapshot_hashes()) == 1


def test_stale_parent_is_a_conflict_and_the_content_is_kept(store: Store) -> None:
    store.save(card(), None, "base")  # v1
    store.save(card(target=210), None, "someone else", parent=1)  # v2
    mine = with_weight(card(), "revenue", 5)
    with pytest.raises(ConflictError, match=r"latest version is v2.*based on v1.*draft") as err:
        store.save(mine, {"billing": billing_table()}, "mine", parent=1)
    assert [v.number for v in store.log("Retention")] == [1, 2]
    drafts = store.recover_drafts("Retention")
    assert len(drafts) == 1
    assert drafts[0].kind == "conflict"
    assert drafts[0].base_number == 1
    assert drafts[0].design == mine
    assert drafts[0].message == "mine"
    assert drafts[0].id == err.value.draft_id  # type: ignore[attr-defined]
    pd.testing.assert_frame_equal(store.draft_tables(drafts[0].id)["billing"], billing_table())


def test_parent_none_on_an_existing_scorecard_is_a_conflict(store: Store) -> None:
    store.save(card(), None, "base")
    with pytest.raises(ConflictError):
        store.save(card(target=1), None, "also new", parent=None)


def test_restore_saves_the_old_design_and_data_as_a_new_head(store: Store) -> None:
    v1 = store.save(card(), {"billing": billing_table()}, "one")
    store.save(card(target=999), {"billing": billing_table(seed=3)}, "two")
    v3 = store.restore("Retention", 1)
    assert (v3.number, v3.parent, v3.message) == (3, 2, "Restore version 1")
    assert v3.design_hash == v1.design_hash
    assert v3.snapshot_hashes == v1.snapshot_hashes
    assert store.checkout("Retention").design == card()


def test_unknown_names_and_numbers_are_one_line_store_errors(store: Store) -> None:
    with pytest.raises(StoreError, match=r"no scorecard named 'Nope'.*empty"):
        store.log("Nope")
    store.save(card(), None, "one")
    with pytest.raises(StoreError, match=r"has no version 7 \(the latest is v1\)"):
        store.checkout("Retention", 7)


def test_data_for_a_source_the_design_lacks_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="'crm', which is not a data source"):
        store.save(card(), {"crm": billing_table()}, "x")


def test_list_scorecards_reports_heads_and_counts(store: Store) -> None:
    store.save(card("B"), None, "b1")
    store.save(card("A"), None, "a1")
    last = store.save(card("A", target=5), None, "a2")
    listed = store.list_scorecards()
    assert [(s.name, s.versions, s.head) for s in listed] == [("A", 2, 2), ("B", 1, 1)]
    assert listed[0].head_hash == last.hash
    assert listed[0].updated_at == last.created_at


def test_version_hash_changes_with_every_hashed_field() -> None:
    base = {
        "parent_hash": None,
        "design_hash": "d" * 64,
        "snapshots": {"s": "e" * 64},
        "message": "m",
        "author": "a",
        "created_at": "2026-01-01T00:00:00.000000Z",
    }
    digests = {version_hash(**base)}  # type: ignore[arg-type]
    for key, other in [
        ("parent_hash", "f" * 64),
        ("design_hash", "0" * 64),
        ("snapshots", {"s": "1" * 64}),
        ("message", "m2"),
        ("author", "b"),
        ("created_at", "2026-01-01T00:00:00.000001Z"),
    ]:
        digests.add(version_hash(**{**base, key: other}))  # type: ignore[arg-type]
    assert len(digests) == 7
