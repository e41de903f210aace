"""Autosave of the working draft and recovery of unsaved work."""

from __future__ import annotations

import pandas as pd
import pytest
from store_fixtures import billing_table, card

from scorecard_studio.domain.errors import StoreError
from scorecard_studio.engines.store import Store


def test_autosave_keeps_one_draft_per_scorecard_with_the_latest_content(store: Store) -> None:
    store.autosave_draft("Retention", card(target=1))
    store.autosave_draft("Retention", card(target=2), base_version=None)
    store.autosave_draft("Other", card("Other"))
    drafts = store.recover_drafts()
    assert [(d.name, d.kind) for d in drafts] == [("Retention", "autosave"), ("Other", "autosave")]
    assert drafts[0].design == card(target=2)
    assert store.recover_drafts("Other")[0].design == card("Other")


def test_autosave_with_tables_keeps_them(store: Store) -> None:
    draft = store.autosave_draft("Retention", card(), {"billing": billing_table()}, base_version=3)
    assert draft.base_version == 3
    pd.testing.assert_frame_equal(store.draft_tables(draft.id)["billing"], billing_table())


def test_saving_the_autosaved_design_removes_the_draft(store: Store) -> None:
    store.autosave_draft("Retention", card(target=5))
    store.save(card(target=6), None, "not the same design")
    assert len(store.recover_drafts()) == 1
    store.save(card(target=5), None, "the autosaved design")
    assert store.recover_drafts() == []


def test_discard_and_delete(store: Store) -> None:
    store.autosave_draft("Retention", card(), {"billing": billing_table()})
    assert store.discard_draft("Retention") is True
    assert store.discard_draft("Retention") is False
    with store.unit_of_work() as uow:
        assert uow.repo.snapshot_hashes() == []  # the draft's data went with it
    draft = store.autosave_draft("Retention", card())
    store.delete_draft(draft.id)
    with pytest.raises(StoreError, match="no draft"):
        store.delete_draft(draft.id)
    assert [e.operation for e in store.audit("Retention")] == ["discard_draft", "discard_draft"]
