"""``NAME[@V]`` references and where the store file is."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_fixtures import card

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import (
    Store,
    default_store_path,
    parse_store_ref,
    resolve_store_path,
    resolve_store_ref,
)


def test_parse_store_ref() -> None:
    assert parse_store_ref("Retention") == ("Retention", None)
    assert parse_store_ref(" Retention@3 ") == ("Retention", "3")
    assert parse_store_ref("a@b@FY26 Q3") == ("a@b", "FY26 Q3")
    with pytest.raises(StoreError, match="name is missing"):
        parse_store_ref("@3")


def test_resolve_by_number_label_head_and_whole_name(store: Store) -> None:
    store.save(card(), None, "one")
    store.save(card(target=5), None, "two")
    store.freeze("Retention", 1, "FY26 Q3")
    store.save(card("odd@name"), None, "at sign in the name")
    assert resolve_store_ref("Retention", store).number == 2
    assert resolve_store_ref("Retention@1", store).number == 1
    assert resolve_store_ref("Retention@v2", store).number == 2
    assert resolve_store_ref("Retention@head", store).number == 2
    assert resolve_store_ref("Retention@FY26 Q3", store).number == 1
    assert resolve_store_ref("odd@name", store).design.name == "odd@name"
    with pytest.raises(StoreError, match="no version frozen as 'Q4'"):
        resolve_store_ref("Retention@Q4", store)


def test_store_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCORECARD_STUDIO_STORE", str(tmp_path / "env.sqlite3"))
    assert resolve_store_path(tmp_path / "given.sqlite3") == tmp_path / "given.sqlite3"
    assert resolve_store_path(None) == tmp_path / "env.sqlite3"
    monkeypatch.delenv("SCORECARD_STUDIO_STORE")
    assert resolve_store_path(None) == default_store_path()
    assert default_store_path().name == "store.sqlite3"
    assert default_store_path().parent.name == "Scorecard Studio"
