"""Governance entries travel in ``.scorecard`` files: exported, checked, merged by hash."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from governance_fixtures import governed_card, sales_table

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.domain.governance import ReviewState
from scorecard_studio.engines.store import Store, open_store
from scorecard_studio.engines.store.hashing import governance_hash

NAME = "Governed"


@pytest.fixture
def other_path(tmp_path: Path) -> Path:
    return tmp_path / "client.sqlite3"


@pytest.fixture
def other(other_path: Path) -> Store:
    opened = open_store(other_path)
    yield opened  # type: ignore[misc]
    opened.close()


def _governed_history(store: Store) -> None:
    """v1 with a comment, an exception, an action and a review, frozen; v2 with a comment."""
    store.save(governed_card(), {"sales": sales_table()}, "first")
    store.comment(NAME, 1, "revenue", "2026-Q3", "Lost a renewal", "Call the CFO", author="ana")
    store.mark_exception(NAME, 1, "2026-Q1", "one-off contract", kpi="revenue", author="ana")
    store.add_action(NAME, 1, "Win back Acme", owner="Ben", due="2026-09-30", kpis=("revenue",))
    store.review(NAME, 1, ReviewState.PROPOSED, "for the QBR", author="ana")
    store.freeze(NAME, 1, "FY26 Q3 QBR")
    store.save(governed_card(revenue_target=150), None, "second")
    store.comment(NAME, 2, "orders", "2026-Q3", "Orders dipped", author="ben")


def _view(store: Store, number: int) -> dict[str, object]:
    seen = store.governance(NAME, number)
    return {
        "comments": [c.to_json_dict() for c in seen.comments],
        "exceptions": [e.to_json_dict() for e in seen.exceptions],
        "actions": [a.to_json_dict() for a in seen.actions],
        "reviews": [r.to_json_dict() for r in seen.reviews],
    }


def _manifest(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))  # type: ignore[no-any-return]


def _with_manifest(src: Path, dst: Path, manifest: dict[str, object]) -> Path:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "manifest.json":
                data = json.dumps(manifest).encode()
            new.writestr(info, data)
    return dst


def _rehash(entry: dict[str, object]) -> None:
    """What a forger would do: recompute an altered entry's hash (the chain still breaks
    when a later entry names the old one; here the entry is the version's last)."""
    entry["hash"] = governance_hash(
        version_hash=entry["version"],  # type: ignore[arg-type]
        prev_hash=entry["prev"],  # type: ignore[arg-type]
        kind=entry["kind"],  # type: ignore[arg-type]
        subject=entry["subject"],  # type: ignore[arg-type]
        body=entry["body"],  # type: ignore[arg-type]
        author=entry["author"],  # type: ignore[arg-type]
        created_at=entry["created_at"],  # type: ignore[arg-type]
    )


def test_entries_travel_and_the_new_store_sees_the_same_governance(
    store: Store, other: Store, tmp_path: Path
) -> None:
    _governed_history(store)
    out = store.export_scorecard(NAME, tmp_path / "governed.scorecard")
    manifest = _manifest(out)
    assert manifest["format_version"] == 2
    entries = manifest["governance"]
    assert isinstance(entries, list)
    # 4 entries on v1 (comment, exception, action, review), 1 on v2.
    assert [(e["seq"], e["kind"]) for e in entries] == [
        (1, "comment"),
        (2, "exception"),
        (3, "action"),
        (4, "review"),
        (1, "comment"),
    ]
    summary = other.import_scorecard(out)
    assert (summary.added, summary.governance_added, summary.governance_not_merged) == (
        (1, 2),
        5,
        0,
    )
    assert _view(other, 1) == _view(store, 1)
    assert _view(other, 2) == _view(store, 2)
    assert [e.id for e in other.governance_entries(NAME)] == [
        e.id for e in store.governance_entries(NAME)
    ]
    seen = other.governance(NAME, 2)
    assert seen.latest_comment("revenue", "2026-Q3").recommendation == "Call the CFO"  # type: ignore[union-attr]
    assert seen.action("A1").owner == "Ben"
    assert seen.exceptional_periods("revenue") == frozenset({"2026-Q1"})
    assert other.governance(NAME, 1).review_state is ReviewState.PROPOSED
    assert other.verify() == []
    last = other.audit(NAME)[-1]
    assert last.operation == "import"
    assert len(last.detail["governance"]) == 5
    # A second import adds nothing.
    again = other.import_scorecard(out)
    assert (again.governance_added, again.governance_not_merged) == (0, 0)
    assert len(other.governance_entries(NAME)) == 5


def test_an_imported_entry_that_goes_missing_is_reported_by_verify(
    store: Store, other: Store, other_path: Path, tmp_path: Path
) -> None:
    _governed_history(store)
    other.import_scorecard(store.export_scorecard(NAME, tmp_path / "g.scorecard"))
    with sqlite3.connect(other_path) as db:  # v2 is not frozen: the trigger lets this through
        db.execute(
            "DELETE FROM governance_entries WHERE version_id = "
            "(SELECT id FROM versions WHERE number = 2)"
        )
    problems = [p.message for p in other.verify()]
    assert any("(the audit log records it) is gone" in m for m in problems), problems


def test_a_tampered_entry_is_refused_with_a_clear_message(
    store: Store, other: Store, tmp_path: Path
) -> None:
    _governed_history(store)
    out = store.export_scorecard(NAME, tmp_path / "g.scorecard")
    manifest = _manifest(out)
    cases: dict[str, tuple[dict[str, object], str]] = {}

    altered = json.loads(json.dumps(manifest))
    altered["governance"][0]["body"]["analysis"] = "All fine"
    cases["altered comment"] = (
        altered,
        r"governance entry 1 of version [0-9a-f]{12} does not match its hash: the "
        "commentary, exception, action or review was altered",
    )
    forged = json.loads(json.dumps(manifest))
    forged["governance"][0]["body"]["analysis"] = "All fine"
    _rehash(forged["governance"][0])
    cases["re-hashed, breaking the chain"] = (forged, "entry 2 of version .* does not follow")
    dropped = json.loads(json.dumps(manifest))
    del dropped["governance"][1]
    cases["entry dropped"] = (dropped, "entries before it are missing or repeated")
    bad_status = json.loads(json.dumps(manifest))
    bad_status["governance"][2]["body"]["status"] = "finished"
    cases["unknown status"] = (bad_status, "'finished' is not an action status")
    orphan = json.loads(json.dumps(manifest))
    orphan["governance"][4]["version"] = "0" * 64
    cases["orphan"] = (orphan, "on a version the file does not have")
    not_a_list = {**manifest, "governance": {"a": 1}}
    cases["not a list"] = (not_a_list, "'governance' is not a list")

    for case, (changed, message) in cases.items():
        path = _with_manifest(out, tmp_path / "bad.scorecard", changed)
        with pytest.raises(StoreError, match=message) as err:
            other.import_scorecard(path)
        assert "\n" not in str(err.value), case
        assert other.list_scorecards() == [], case
    assert other.verify() == []


def test_a_file_of_the_previous_release_still_imports(
    store: Store, other: Store, tmp_path: Path
) -> None:
    _governed_history(store)
    out = store.export_scorecard(NAME, tmp_path / "g.scorecard")
    old = _manifest(out)
    del old["governance"]
    old["format_version"] = 1
    summary = other.import_scorecard(_with_manifest(out, tmp_path / "old.scorecard", old))
    assert (summary.added, summary.governance_added) == ((1, 2), 0)
    assert other.governance_entries(NAME) == []
    assert other.verify() == []


def test_a_history_without_governance_is_written_as_format_1(store: Store, tmp_path: Path) -> None:
    store.save(governed_card(), {"sales": sales_table()}, "first")
    manifest = _manifest(store.export_scorecard(NAME, tmp_path / "plain.scorecard"))
    assert manifest["format_version"] == 1
    assert "governance" not in manifest


def test_later_entries_extend_the_chain_and_diverged_ones_are_counted(
    store: Store, other: Store, tmp_path: Path
) -> None:
    store.save(governed_card(), {"sales": sales_table()}, "first")
    store.comment(NAME, 1, "revenue", "2026-Q3", "first note")
    other.import_scorecard(store.export_scorecard(NAME, tmp_path / "a.scorecard"))
    store.comment(NAME, 1, "revenue", "2026-Q2", "second note")
    grown = other.import_scorecard(store.export_scorecard(NAME, tmp_path / "b.scorecard"))
    assert (grown.governance_added, grown.governance_not_merged) == (1, 0)
    assert [c.analysis for c in other.governance(NAME, 1).comments] == [
        "first note",
        "second note",
    ]
    # Both sides write a third entry on v1: the local chain is kept, theirs is counted.
    store.comment(NAME, 1, "orders", "2026-Q3", "theirs")
    other.comment(NAME, 1, "orders", "2026-Q3", "mine")
    diverged = other.import_scorecard(store.export_scorecard(NAME, tmp_path / "c.scorecard"))
    assert (diverged.governance_added, diverged.governance_not_merged) == (0, 1)
    assert other.governance(NAME, 1).latest_comment("orders", "2026-Q3").analysis == "mine"  # type: ignore[union-attr]
    assert other.verify() == []
