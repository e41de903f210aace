"""``.scorecard`` files: export, import, merge by hash, and refusal of bad files."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from store_fixtures import billing_table, card, survey_table

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import Store, open_store


@pytest.fixture
def other(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "client.sqlite3")
    yield opened  # type: ignore[misc]
    opened.close()


def _history(store: Store) -> None:
    store.save(card(), {"billing": billing_table(), "survey": survey_table()}, "one")
    store.save(card(target=210), None, "two")
    store.freeze("Retention", 2, "Q3")
    store.save(card(target=220), {"billing": billing_table(seed=4)}, "three")


def _fingerprint(store: Store) -> list[tuple[int, str, str | None]]:
    return [(v.number, v.hash, v.frozen_label) for v in store.log("Retention")]


def test_export_then_import_into_an_empty_store_gives_the_same_history(
    store: Store, other: Store, tmp_path: Path
) -> None:
    _history(store)
    out = store.export_scorecard("Retention", tmp_path / "retention.scorecard")
    summary = other.import_scorecard(out)
    assert summary.created
    assert summary.added == (1, 2, 3)
    assert summary.snapshots_added == 3
    assert _fingerprint(other) == _fingerprint(store)
    assert other.verify() == []
    pd.testing.assert_frame_equal(
        other.checkout("Retention", 1).load_snapshots()["survey"], survey_table()
    )
    assert other.checkout("Retention", 3).design == card(target=220)


def test_export_is_deterministic_and_a_plain_zip(store: Store, tmp_path: Path) -> None:
    _history(store)
    a = store.export_scorecard("Retention", tmp_path / "a.scorecard")
    with zipfile.ZipFile(a) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert names[0] == "manifest.json"
    assert sum(n.startswith("designs/") for n in names) == 3
    assert sum(n.startswith("snapshots/") for n in names) == 3
    assert [v["number"] for v in manifest["versions"]] == [1, 2, 3]
    assert manifest["versions"][1]["freeze"]["label"] == "Q3"


def test_importing_twice_changes_nothing(store: Store, other: Store, tmp_path: Path) -> None:
    _history(store)
    out = store.export_scorecard("Retention", tmp_path / "r.scorecard")
    other.import_scorecard(out)
    again = other.import_scorecard(out)
    assert (again.created, again.added, again.already_present) == (False, (), 3)
    assert len(other.log("Retention")) == 3


def test_import_merges_a_longer_history_by_hash(store: Store, other: Store, tmp_path: Path) -> None:
    store.save(card(), {"billing": billing_table()}, "one")
    other.import_scorecard(store.export_scorecard("Retention", tmp_path / "v1.scorecard"))
    store.save(card(target=250), None, "two, by the consultant")
    store.freeze("Retention", 1, "baseline")
    summary = other.import_scorecard(store.export_scorecard("Retention", tmp_path / "v2.scorecard"))
    assert (summary.added, summary.already_present, summary.freezes_added) == ((2,), 1, (1,))
    assert _fingerprint(other) == _fingerprint(store)
    assert other.verify() == []


def test_diverged_histories_keep_both_branches_renumbering_the_newcomers(
    store: Store, other: Store, tmp_path: Path
) -> None:
    store.save(card(), None, "one")
    other.import_scorecard(store.export_scorecard("Retention", tmp_path / "v1.scorecard"))
    mine = other.save(card(target=111), None, "client's v2")
    theirs = store.save(card(target=222), None, "consultant's v2")
    store.save(card(target=333), None, "consultant's v3")
    summary = other.import_scorecard(store.export_scorecard("Retention", tmp_path / "b.scorecard"))
    assert summary.renumbered == {2: 3, 3: 4}
    log = other.log("Retention")
    assert [(v.number, v.parent) for v in log] == [(1, None), (2, 1), (3, 1), (4, 3)]
    assert log[1].hash == mine.hash
    assert log[2].hash == theirs.hash
    assert other.verify() == []


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> Path:
    """Copy a zip, replacing (or dropping, with None) the named entries."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                data = change[info.filename]
                if data is not None:
                    new.writestr(info.filename, data)
            else:
                new.writestr(info, old.read(info.filename))
    return dst


@pytest.fixture
def exported(store: Store, tmp_path: Path) -> Path:
    _history(store)
    return store.export_scorecard("Retention", tmp_path / "good.scorecard")


def _manifest(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))  # type: ignore[no-any-return]


def _design_entry(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return next(n for n in archive.namelist() if n.startswith("designs/"))


def _snapshot_entry(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return next(n for n in archive.namelist() if n.startswith("snapshots/"))


def _hostile_files(exported: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    manifest = _manifest(exported)
    altered = json.loads(json.dumps(manifest))
    altered["versions"][0]["message"] = "rewritten history"
    unfrozen = json.loads(json.dumps(manifest))
    unfrozen["versions"][1]["freeze"]["label"] = "another label"
    newer = {**manifest, "format_version": 99}
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", b" " * (50 * 1024 * 1024))
    traversal = io.BytesIO()
    with zipfile.ZipFile(traversal, "w") as archive:
        archive.writestr("../../evil.json", b"{}")
    (tmp_path / "bomb.scorecard").write_bytes(bomb.getvalue())
    (tmp_path / "traversal.scorecard").write_bytes(traversal.getvalue())
    (tmp_path / "text.scorecard").write_text("hello")
    truncated = tmp_path / "truncated.scorecard"
    truncated.write_bytes(exported.read_bytes()[:-300])
    design = _design_entry(exported)
    snapshot = _snapshot_entry(exported)
    return {
        "not a zip": (tmp_path / "text.scorecard", "not a .scorecard file"),
        "truncated": (truncated, "damaged"),
        "zip bomb": (tmp_path / "bomb.scorecard", "zip bomb"),
        "path traversal": (tmp_path / "traversal.scorecard", "unexpected entry '../../evil.json'"),
        "altered message": (
            _rewrite(
                exported, tmp_path / "m.scorecard", {"manifest.json": json.dumps(altered).encode()}
            ),
            "version 1 does not match its hash",
        ),
        "altered freeze": (
            _rewrite(
                exported, tmp_path / "f.scorecard", {"manifest.json": json.dumps(unfrozen).encode()}
            ),
            "version 2: its freeze was altered",
        ),
        "newer format": (
            _rewrite(
                exported, tmp_path / "n.scorecard", {"manifest.json": json.dumps(newer).encode()}
            ),
            "newer release",
        ),
        "altered design": (
            _rewrite(exported, tmp_path / "d.scorecard", {design: b'{"name": "evil"}\n'}),
            "does not match its hash",
        ),
        "missing design": (
            _rewrite(exported, tmp_path / "md.scorecard", {design: None}),
            "missing",
        ),
        "altered snapshot": (
            _rewrite(exported, tmp_path / "s.scorecard", {snapshot: b"ARROW1" + b"\x00" * 100}),
            "does not match its hash",
        ),
        "extra entry": (
            _add_entry(exported, tmp_path / "x.scorecard", f"designs/{'a' * 64}.json"),
            "unexpected entry",
        ),
    }


def _add_entry(src: Path, dst: Path, name: str) -> Path:
    shutil.copy(src, dst)
    with zipfile.ZipFile(dst, "a") as archive:
        archive.writestr(name, b"{}")
    return dst


def test_damaged_or_hostile_files_are_refused_and_change_nothing(
    exported: Path, other: Store, tmp_path: Path
) -> None:
    other.save(card(), None, "the client's own")
    before = [v.to_json_dict() for v in other.log("Retention")]
    audit_before = len(other.audit())
    for case, (path, message) in _hostile_files(exported, tmp_path).items():
        with pytest.raises(StoreError, match=message) as err:
            other.import_scorecard(path)
        assert "\n" not in str(err.value), case
        assert [v.to_json_dict() for v in other.log("Retention")] == before, case
    assert len(other.audit()) == audit_before
    assert other.verify() == []
    # The good file still imports (the refusals left no half-written state behind).
    assert other.import_scorecard(exported).already_present == 0


def test_a_snapshot_with_a_valid_hash_but_invalid_arrow_is_refused(
    exported: Path, other: Store, tmp_path: Path
) -> None:
    garbage = b"ARROW1\x00\x00" + b"\x07" * 200
    digest = hashlib.sha256(garbage).hexdigest()
    manifest = _manifest(exported)
    old = _snapshot_entry(exported).removeprefix("snapshots/").removesuffix(".arrow")
    text = json.dumps(manifest).replace(old, digest).encode()
    bad = _rewrite(
        exported,
        tmp_path / "g.scorecard",
        {"manifest.json": text, f"snapshots/{old}.arrow": None},
    )
    with zipfile.ZipFile(bad, "a") as archive:
        archive.writestr(f"snapshots/{digest}.arrow", garbage)
    with pytest.raises(StoreError, match=r"snapshot [0-9a-f]{12}: data snapshot damaged"):
        other.import_scorecard(bad)
    assert other.list_scorecards() == []
