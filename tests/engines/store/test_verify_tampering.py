"""Verify that cannot be crashed or fooled: raw-SQL tampering of every kind is reported.

Each test tampers the way someone with write access to the file would (triggers dropped,
rows rewritten with recomputed hashes, triggers put back) and checks what ``verify`` says.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_fixtures import billing_table, card

from scorecard_studio.cli.main import run_cli
from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import Store, open_store
from scorecard_studio.engines.store.dialect import GUARD_TRIGGERS_V1, guard_statements_v1
from scorecard_studio.engines.store.hashing import version_hash
from scorecard_studio.engines.store.witness import read_witness


def _three_versions(store: Store) -> None:
    store.save(card(), {"billing": billing_table()}, "one")
    store.save(card(target=210), None, "two")
    store.save(card(target=220), None, "three")


def _tamper(path: Path, *statements: tuple[str, tuple[object, ...]], restore: bool = False) -> None:
    """Drop the guards, run ``statements``, and put the guards back when ``restore``."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for name in GUARD_TRIGGERS_V1:
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql, params in statements:
            db.execute(sql, params)
        if restore:
            for ddl in guard_statements_v1("sqlite"):
                db.execute(ddl)
    finally:
        db.close()


def _messages(store: Store) -> list[str]:
    return [str(p) for p in store.verify()]


def _forged_v3(store: Store, message: str) -> tuple[str, str]:
    """(old hash, new hash) of v3 with its message changed and its hash recomputed."""
    info = store.version_info("Retention", 3)
    forged = version_hash(
        parent_hash=info.parent_hash,
        design_hash=info.design_hash,
        snapshots=info.snapshot_hashes,
        message=message,
        author=info.author,
        created_at=info.created_at,
    )
    return info.hash, forged


def test_text_in_place_of_blobs_is_reported_and_never_crashes(
    store: Store, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _three_versions(store)
    _tamper(
        store_path,
        ("UPDATE designs SET data = 'hello'", ()),
        ("UPDATE snapshots SET data = 'world'", ()),
        ("UPDATE audit_log SET detail = 'not json' WHERE id = 1", ()),
    )
    messages = _messages(store)
    assert messages[: len(GUARD_TRIGGERS_V1)] == [
        f"guard trigger {name} is missing: frozen versions are unprotected"
        for name in sorted(GUARD_TRIGGERS_V1)
    ]
    rest = messages[len(GUARD_TRIGGERS_V1) :]
    assert rest[:2] == [
        "Retention v1: its design document is stored as str, not as bytes",
        "Retention v1: a data snapshot is stored as str, not as bytes (source 'billing')",
    ]
    assert "audit entry 1 is damaged (its detail is not JSON)" in rest
    for command in (["checkout", "Retention", "--out", str(tmp_path / "d.json")], ["audit"]):
        code = run_cli(["store", command[0], "--store-path", str(store_path), *command[1:]])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert code in (0, 2)
    with pytest.raises(StoreError, match="design document damaged"):
        store.checkout("Retention", 2)
    assert run_cli(["store", "verify", "--store-path", str(store_path)]) == 1


def test_values_of_the_wrong_kind_in_a_version_are_reported(store: Store, store_path: Path) -> None:
    _three_versions(store)
    _tamper(
        store_path,
        ("UPDATE versions SET message = x'00ff' WHERE number = 2", ()),
        ("UPDATE versions SET number = 'three' WHERE number = 3", ()),
    )
    messages = _messages(store)
    assert "Retention v2: its record was altered: message no longer holds text" in messages
    assert any(m.startswith("Retention: its number is stored as str") for m in messages)


def test_listing_and_exporting_a_tampered_history_never_crash(
    store: Store, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _three_versions(store)
    _tamper(store_path, ("UPDATE versions SET message = x'00ff' WHERE number = 2", ()))
    assert [v.message for v in store.log("Retention")] == [
        "one",
        "(damaged: b'\\x00\\xff')",
        "three",
    ]
    sp = ["--store-path", str(store_path)]
    assert run_cli(["store", "log", "Retention", "--json", *sp]) == 0
    assert json.loads(capsys.readouterr().out)["versions"][1]["message"].startswith("(damaged")
    out = tmp_path / "r.scorecard"
    assert run_cli(["store", "export", "Retention", "--out", str(out), *sp]) == 2
    assert capsys.readouterr().err == (
        "scorecard-studio: Retention v2 does not match its hash (the store was altered): "
        "nothing was exported; run 'store verify'\n"
    )
    assert not out.exists()


def test_a_raw_delete_of_the_unfrozen_head_is_reported(store: Store, store_path: Path) -> None:
    _three_versions(store)
    _tamper(
        store_path,
        (
            "DELETE FROM version_snapshots WHERE version_id = (SELECT id FROM versions "
            "WHERE number = 3)",
            (),
        ),
        ("DELETE FROM versions WHERE number = 3", ()),
        restore=True,
    )
    messages = _messages(store)
    assert any(
        m.startswith("Retention v3: it was saved on ") and "is gone from the store" in m
        for m in messages
    )
    assert any("Retention v3: the witness kept outside the store names v3" in m for m in messages)


def test_a_deleted_head_with_its_audit_entry_gone_is_still_reported(
    store: Store, store_path: Path
) -> None:
    _three_versions(store)
    _tamper(
        store_path,
        (
            "DELETE FROM version_snapshots WHERE version_id = (SELECT id FROM versions "
            "WHERE number = 3)",
            (),
        ),
        ("DELETE FROM versions WHERE number = 3", ()),
        ("DELETE FROM audit_log WHERE version = 3", ()),
        ("UPDATE scorecards SET last_number = 2", ()),
        restore=True,
    )
    messages = _messages(store)
    assert messages == [
        "Retention v3: the witness kept outside the store names v3 (hash "
        f"{read_witness(store_path)['scorecards']['Retention']['hash'][:12]}) as the latest "  # type: ignore[index]
        "version, but the store no longer has it",
        "the audit log up to entry 3 differs from the witness kept outside the store "
        "(2 entries now, 3 then): entries were edited or deleted",
    ]


def test_a_head_rewritten_with_a_recomputed_hash_is_reported(
    store: Store, store_path: Path
) -> None:
    _three_versions(store)
    old, forged = _forged_v3(store, "a better story")
    _tamper(
        store_path,
        ("UPDATE versions SET message = ?, hash = ? WHERE number = 3", ("a better story", forged)),
        restore=True,
    )
    messages = _messages(store)
    assert messages == [
        f"Retention v3: its hash is not the one the audit log recorded when it was saved "
        f"(recorded {old[:12]}, now {forged[:12]})",
        f"Retention v3: the witness kept outside the store recorded hash {old[:12]} for this "
        f"version; the store now holds {forged[:12]}: it was rewritten",
    ]


def test_audit_rows_edited_to_match_and_triggers_recreated_are_reported(
    store: Store, store_path: Path
) -> None:
    _three_versions(store)
    old, forged = _forged_v3(store, "a better story")
    detail = json.dumps({"hash": forged, "message": "a better story"}, sort_keys=True)
    _tamper(
        store_path,
        ("UPDATE versions SET message = ?, hash = ? WHERE number = 3", ("a better story", forged)),
        ("UPDATE audit_log SET detail = ? WHERE version = 3", (detail,)),
        restore=True,
    )
    messages = _messages(store)
    assert messages == [
        f"Retention v3: the witness kept outside the store recorded hash {old[:12]} for this "
        f"version; the store now holds {forged[:12]}: it was rewritten",
        "the audit log up to entry 3 differs from the witness kept outside the store "
        "(3 entries now, 3 then): entries were edited or deleted",
    ]


def test_a_legitimate_delete_moves_the_witness_and_verifies_clean(store: Store) -> None:
    _three_versions(store)
    store.delete_version("Retention", 3)
    assert store.verify() == []
    assert read_witness(store.witness_key)["scorecards"]["Retention"]["number"] == 2  # type: ignore[arg-type,index]


def test_a_store_without_a_witness_verifies_as_before(store: Store, store_path: Path) -> None:
    _three_versions(store)
    witness = read_witness(store_path)
    assert witness is not None
    from scorecard_studio.engines.store.witness import forget

    forget(store_path)
    assert store.verify() == []


def test_a_new_store_at_a_path_forgets_the_old_witness(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_store(path) as first:
        _three_versions(first)
    path.unlink()
    with open_store(path) as second:
        assert read_witness(path) is None
        assert second.verify() == []


# --- verify --against an exported report or .scorecard file -------------------------------


@pytest.fixture
def report(store: Store, store_path: Path, tmp_path: Path) -> Path:
    _three_versions(store)
    billing = tmp_path / "billing.csv"
    billing_table().to_csv(billing, index=False)
    out = tmp_path / "report.xlsx"
    code = run_cli(
        ["export", "--store", "Retention@2", "--store-path", str(store_path), "--out", str(out)]
    )
    assert code == 0
    return out


def test_verify_against_a_report_and_a_scorecard_file(
    store: Store, store_path: Path, report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    portable = store.export_scorecard("Retention", tmp_path / "r.scorecard")
    assert store.verify_against(report) == []
    assert store.verify_against(portable) == []
    old, forged = _forged_v3(store, "a better story")
    v2 = store.version_info("Retention", 2).hash
    forged_v2 = "f" * 64
    _tamper(
        store_path,
        ("UPDATE versions SET message = ?, hash = ? WHERE number = 3", ("a better story", forged)),
        ("UPDATE versions SET hash = ? WHERE number = 2", (forged_v2,)),
        restore=True,
    )
    assert [str(p) for p in store.verify_against(report)] == [
        f"Retention v2: report.xlsx names v2 (reported version) with hash {v2[:12]}, but the "
        f"store's v2 now has hash {forged_v2[:12]}: it was rewritten",
        f"Retention v3: report.xlsx names v3 (latest version) with hash {old[:12]}, but the "
        f"store's v3 now has hash {forged[:12]}: it was rewritten",
    ]
    against = [str(p) for p in store.verify_against(portable)]
    assert len(against) == 3  # v2 and v3 in the history, v3 again as the witness
    capsys.readouterr()
    code = run_cli(
        ["store", "verify", "--store-path", str(store_path), "--against", str(report), "--json"]
    )
    assert code == 1
    document = json.loads(capsys.readouterr().out)
    assert sum("report.xlsx names" in p["message"] for p in document["problems"]) == 2


def test_verify_against_a_file_that_is_neither_is_one_line(
    store: Store, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really")
    code = run_cli(["store", "verify", "--store-path", str(store_path), "--against", str(junk)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "scorecard-studio: junk.xlsx: neither an exported report (.xlsx) nor a .scorecard file\n"
    )
