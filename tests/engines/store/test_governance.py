"""Governance in the store: commentary, exceptions, actions, review, freeze rules, impact.

Expected values come from the hand-worked table in ``governance_fixtures``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from governance_fixtures import governed_card, sales_table

from scorecard_studio.domain.errors import ScorecardError
from scorecard_studio.domain.governance import ActionStatus, ReviewState
from scorecard_studio.engines.governance import escalations, red_kpis, suggestions
from scorecard_studio.engines.scoring import score
from scorecard_studio.engines.store import FreezeRefusedError, Store

NAME = "Governed"


def _save(store: Store, **settings: object) -> int:
    card = governed_card(**settings)  # type: ignore[arg-type]
    return store.save(card, {"sales": sales_table()}, "first").number


def test_comment_is_seen_by_later_versions_and_replaced_while_unfrozen(store: Store) -> None:
    v1 = _save(store)
    first = store.comment(NAME, v1, "revenue", "2026-q3", "Lost a renewal", "Call the CFO")
    view = store.governance(NAME, v1)
    assert [(c.kpi, c.period, c.analysis) for c in view.comments] == [
        ("revenue", "2026-Q3", "Lost a renewal")
    ]
    edit = store.comment(NAME, v1, "revenue", "2026-Q3", "Lost two renewals", replaces=first.id[:8])
    view = store.governance(NAME, v1)
    assert [c.id for c in view.comments] == [edit.id]
    assert view.latest_comment("revenue", "2026-Q3").analysis == "Lost two renewals"  # type: ignore[union-attr]
    v2 = store.save(governed_card(), None, "second").number
    assert store.governance(NAME, v2).latest_comment("revenue", "2026-Q3").id == edit.id  # type: ignore[union-attr]
    assert [e.operation for e in store.audit(NAME)][-3:] == ["comment", "comment", "save"]


def test_commentary_on_a_frozen_version_is_append_only(store: Store, store_path: Path) -> None:
    v1 = _save(store)
    first = store.comment(NAME, v1, "revenue", "2026-Q3", "Lost a renewal")
    store.freeze(NAME, v1, "FY26 Q3 QBR")
    with pytest.raises(ScorecardError, match="append-only; add a new comment"):
        store.comment(NAME, v1, "revenue", "2026-Q3", "edited", replaces=first.id)
    second = store.comment(NAME, v1, "revenue", "2026-Q3", "Update: one renewal won back")
    assert [c.id for c in store.governance(NAME, v1).comments_for("revenue", "2026-Q3")] == [
        first.id,
        second.id,
    ]
    with sqlite3.connect(store_path) as db:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE governance_entries SET body = '{}'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM governance_entries")
    assert store.verify() == []


def test_comment_names_a_kpi_and_period_of_the_design(store: Store) -> None:
    v1 = _save(store)
    with pytest.raises(ScorecardError, match="no KPI 'churn'"):
        store.comment(NAME, v1, "churn", "2026-Q3", "x")
    with pytest.raises(ScorecardError, match="not a quarter"):
        store.comment(NAME, v1, "revenue", "2026-07", "x")
    with pytest.raises(ScorecardError, match="analysis or a recommendation"):
        store.comment(NAME, v1, "revenue", "2026-Q3", "  ")


def test_freeze_requires_commentary_on_every_red_kpi(store: Store) -> None:
    v1 = _save(store, require_commentary=True)
    # Q3 is the period the label names: revenue is red there, orders amber.
    with pytest.raises(FreezeRefusedError) as refused:
        store.freeze(NAME, v1, "FY26 Q3 QBR")
    assert refused.value.blockers.period == "2026-Q3"
    assert refused.value.blockers.missing_commentary == (("revenue", "Revenue"),)
    assert "1 red KPI(s) in 2026-Q3 have none: Revenue" in str(refused.value)
    assert store.version_info(NAME, v1).frozen_label is None
    # Commentary on another period does not count.
    store.comment(NAME, v1, "revenue", "2026-Q2", "Q2 note")
    with pytest.raises(FreezeRefusedError):
        store.freeze(NAME, v1, "FY26 Q3 QBR")
    store.comment(NAME, v1, "revenue", "2026-Q3", "Lost a renewal")
    assert store.freeze(NAME, v1, "FY26 Q3 QBR").frozen_label == "FY26 Q3 QBR"


def test_a_freeze_of_q1_needs_no_commentary_since_nothing_is_red(store: Store) -> None:
    v1 = _save(store, require_commentary=True)
    assert not store.freeze_blockers(NAME, v1, "2026-Q1 review")
    assert store.freeze(NAME, v1, "2026-Q1 review").frozen


def test_review_workflow_and_required_approval(store: Store) -> None:
    v1 = _save(store, require_approval=True)
    assert store.governance(NAME, v1).review_state is ReviewState.DRAFT
    with pytest.raises(FreezeRefusedError, match="requires approval and v1 is draft"):
        store.freeze(NAME, v1, "QBR")
    with pytest.raises(ScorecardError, match="draft: it cannot become approved"):
        store.review(NAME, v1, ReviewState.APPROVED, "ok")
    store.review(NAME, v1, ReviewState.PROPOSED, "new churn definition", author="ana")
    with pytest.raises(FreezeRefusedError, match="v1 is proposed"):
        store.freeze(NAME, v1, "QBR")
    with pytest.raises(ScorecardError, match="rejection needs a comment"):
        store.review(NAME, v1, ReviewState.REJECTED, "")
    store.review(NAME, v1, ReviewState.APPROVED, "agreed at the board", author="board")
    reviews = store.governance(NAME, v1).reviews
    assert [(r.state, r.author, r.comment) for r in reviews] == [
        (ReviewState.PROPOSED, "ana", "new churn definition"),
        (ReviewState.APPROVED, "board", "agreed at the board"),
    ]
    store.freeze(NAME, v1, "QBR")
    # Reviews stay with their version: a later version starts as a draft.
    v2 = store.save(governed_card(require_approval=True), None, "next").number
    assert store.governance(NAME, v2).review_state is ReviewState.DRAFT


def test_a_rejected_version_cannot_be_approved(store: Store) -> None:
    v1 = _save(store, require_approval=True)
    store.review(NAME, v1, ReviewState.PROPOSED)
    store.review(NAME, v1, ReviewState.REJECTED, "targets too soft")
    with pytest.raises(ScorecardError, match="rejected: it cannot become approved"):
        store.review(NAME, v1, ReviewState.APPROVED, "changed my mind")


def test_exceptions_leave_trend_statistics_and_suggestions(store: Store) -> None:
    v1 = _save(store)
    store.mark_exception(NAME, v1, "2026-Q1", "one-off contract", kpi="revenue")
    view = store.governance(NAME, v1)
    assert view.exception_for("revenue", "tier_1", "2026-Q1") is not None
    assert view.exception_for("orders", "tier_1", "2026-Q1") is None
    result = score(governed_card(), {"sales": sales_table()})
    by_key = {(s.kpi, s.tier): s for s in suggestions(result, view, period=2)}
    revenue = by_key[("revenue", "tier_1")]
    # Q1's 300 is left out: median of (100, 100) is 100, slope 0 → target 100 · 1.05.
    assert revenue.basis.excluded == ("2026-Q1",)
    assert revenue.baseline == 100.0
    assert revenue.target == pytest.approx(105.0)
    orders = by_key[("orders", "tier_1")]
    # 10, 10, 8: median 10; slope −1 (worsening) → 10 · 1.05.
    assert (orders.baseline, orders.basis.slope) == (10.0, pytest.approx(-1.0))
    exc = view.exceptions[0]
    store.withdraw_exception(NAME, v1, exc.id[:10])
    assert store.governance(NAME, v1).exceptions == ()


def test_actions_and_escalation(store: Store) -> None:
    v1 = _save(store)
    result = score(governed_card(), {"sales": sales_table()})
    assert red_kpis(result, 2) == ["revenue"]
    view = store.governance(NAME, v1)
    # Revenue red in Q2 and Q3 (2 ≥ 2) with no action: a finding.
    found = escalations(result, view, 2, today="2026-10-01")
    assert [(f.code, f.item) for f in found] == [("escalation_red_no_action", "revenue")]
    assert "red for 2 consecutive periods (2026-Q2 to 2026-Q3)" in found[0].message
    action = store.add_action(
        NAME, v1, "Win back renewals", owner="Ana", due="2026-09-30", kpis=("revenue",)
    )
    assert (action.id, action.status) == ("A1", ActionStatus.OPEN)
    view = store.governance(NAME, v1)
    found = escalations(result, view, 2, today="2026-10-01")
    # The open action answers the red streak, but it is overdue on 1 October.
    assert [(f.code, f.item) for f in found] == [("escalation_overdue_action", "A1")]
    assert escalations(result, view, 2, today="2026-09-30") == []
    done = store.update_action(NAME, v1, "a1", status="done", note="two renewals signed")
    assert done.status is ActionStatus.DONE
    assert done.history[-1].changes == {"status": "done", "note": "two renewals signed"}
    found = escalations(store_result := result, store.governance(NAME, v1), 2, "2026-10-01")
    assert [f.code for f in found] == ["escalation_red_no_action"]
    assert store_result is result
    # With three periods required, Q2-Q3 is not yet an escalation.
    three = score(governed_card(escalation_periods=3), {"sales": sales_table()})
    assert escalations(three, store.governance(NAME, v1), 2, "2026-10-01") == []
    second = store.add_action(NAME, v1, "Price review", owner="Ben")
    assert second.id == "A2"
    view = store.governance(NAME, v1)
    assert list(view.by_owner()) == ["Ana", "Ben"]
    assert [a.id for a in view.by_status()[ActionStatus.OPEN]] == ["A2"]
    with pytest.raises(ScorecardError, match="not a date"):
        store.update_action(NAME, v1, "A2", due="30/09/2026")
    with pytest.raises(ScorecardError, match="not an action status"):
        store.update_action(NAME, v1, "A2", status="closed")


def test_impact_of_a_lower_revenue_target(store: Store) -> None:
    _save(store)
    v2 = store.save(governed_card(revenue_target=125.0), None, "revenue target 125").number
    (run,) = store.impact(NAME, v2)
    assert (run.baseline, run.periods) == (1, ("2026-Q1", "2026-Q2", "2026-Q3"))
    changes = {(c.period, c.level, c.item, c.tier): c for c in run.changes}
    # Q3: revenue 100/200 = 0.5 red → 100/125 = 0.8 amber; headline (0.5+0.8)/2 = 0.65 red
    # → (0.8+0.8)/2 = 0.8 amber.
    head = changes[("2026-Q3", "headline", "", "")]
    assert (head.old_score, head.new_score) == (pytest.approx(0.65), pytest.approx(0.8))
    assert (head.old_status, head.new_status) == ("red", "amber")
    kpi = changes[("2026-Q3", "kpi", "revenue", "tier_1")]
    assert (kpi.old_score, kpi.new_score, kpi.new_status) == (0.5, pytest.approx(0.8), "amber")
    # Q1's revenue of 300 is capped at 1.0 under both targets: nothing changes in Q1.
    assert not [c for c in run.changes if c.period == "2026-Q1"]
    # Orders are unchanged everywhere.
    assert not [c for c in run.changes if c.item == "orders"]
    # Per period 1 headline + 2 tiers + 2 perspectives × 2 tiers + 2 KPIs × 2 tiers = 11.
    assert run.compared == 33
    # Q2 and Q3 each: headline, 2 tiers, Financial × 2 tiers, revenue × 2 tiers = 7.
    assert len(run.changes) == 14
    assert "  2026-Q3 headline: 0.65 → 0.80, Red → Amber" in run.lines()


def test_impact_includes_every_frozen_version(store: Store) -> None:
    v1 = _save(store)
    store.freeze(NAME, v1, "FY26 Q3 QBR")
    v2 = store.save(governed_card(revenue_target=190.0), None, "tweak").number
    v3 = store.save(governed_card(revenue_target=125.0), None, "proposal").number
    runs = store.impact(NAME, v3)
    assert [(r.baseline, r.baseline_label) for r in runs] == [(v2, "replaced"), (1, "FY26 Q3 QBR")]


def test_verify_reports_a_changed_or_removed_governance_entry(
    store: Store, store_path: Path
) -> None:
    v1 = _save(store)
    store.comment(NAME, v1, "revenue", "2026-Q3", "Lost a renewal")
    store.comment(NAME, v1, "orders", "2026-Q3", "Fine")
    assert store.verify() == []
    with sqlite3.connect(store_path) as db:
        db.execute("DROP TRIGGER governance_entries_no_update")
        db.execute("DROP TRIGGER governance_entries_frozen_no_delete")
        db.execute('UPDATE governance_entries SET body = \'{"analysis":"All fine"}\' WHERE seq = 1')
        db.execute("DELETE FROM governance_entries WHERE seq = 2")
    messages = [str(p) for p in store.verify()]
    assert "guard trigger governance_entries_no_update is missing" in " ".join(messages)
    assert any("governance entry 1 no longer matches its hash" in m for m in messages)
    assert any("a governance entry written on" in m and "is gone" in m for m in messages)


def test_deleting_an_unfrozen_version_removes_its_entries(store: Store) -> None:
    _save(store)
    v2 = store.save(governed_card(), None, "second").number
    store.comment(NAME, v2, "revenue", "2026-Q3", "draft note")
    store.delete_version(NAME, v2)
    assert store.governance(NAME).comments == ()
    assert store.verify() == []
