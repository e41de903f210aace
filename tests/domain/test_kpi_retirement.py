"""Retiring a KPI: out of the design with its reason, "retired" in the diff, still trendable."""

from __future__ import annotations

import pytest

from scorecard_studio.domain.design_codec import dumps_design, loads_design
from scorecard_studio.domain.design_diff import ChangeKind, diff_designs
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import (
    Aggregation,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
)
from scorecard_studio.domain.retirement import RETIRED_GROUP, retire_kpi, with_retired_shown


def _kpi(kpi_id: str, name: str, formula: str | None = None, weight: float = 2.0) -> Kpi:
    measure = (
        Measure(Aggregation.FORMULA, formula=formula)
        if formula
        else Measure(Aggregation.SUM, source="s", column=kpi_id)
    )
    return Kpi(kpi_id, name, measure, TargetSet(TargetValues(0, 10)), weight=weight)


def _card() -> Scorecard:
    return Scorecard(
        "Card",
        (
            Perspective("fin", "Financial", kpis=(_kpi("revenue", "Revenue"),)),
            Perspective(
                "cust",
                "Customer",
                objectives=(Objective("keep", "Keep customers", kpis=(_kpi("churn", "Churn"),)),),
                kpis=(_kpi("nps", "NPS"),),
            ),
        ),
    )


def test_retire_takes_the_kpi_out_and_keeps_it_with_the_reason() -> None:
    card = retire_kpi(_card(), "churn", "  replaced by NRR ", "2026-10-01")
    assert [k.id for k in card.all_kpis()] == ["revenue", "nps"]
    (retired,) = card.retired
    assert (retired.kpi.id, retired.reason, retired.retired_on) == (
        "churn",
        "replaced by NRR",
        "2026-10-01",
    )
    assert (retired.perspective, retired.objective) == ("cust", "keep")
    assert retired.kpi.weight == 2.0  # the definition as it was
    # The design document carries it, and reads back the same.
    assert loads_design(dumps_design(card)) == card


def test_a_design_without_retired_kpis_writes_the_same_document() -> None:
    assert '"retired"' not in dumps_design(_card())


def test_the_diff_says_retired_with_the_reason_not_removed() -> None:
    old = _card()
    new = retire_kpi(old, "churn", "replaced by NRR", "2026-10-01")
    diff = diff_designs(old, new, old_label="v1", new_label="v2")
    (change,) = diff.changes
    assert (change.kind, change.item_id, change.new) == (
        ChangeKind.RETIRED,
        "churn",
        "replaced by NRR",
    )
    assert diff.counts()["retired"] == 1
    assert diff.counts()["removed"] == 0
    assert change.describe() == (
        "KPI churn “Churn” retired from Customer / Keep customers: “replaced by NRR”"
    )
    assert diff.to_json_dict()["changes"][0]["kind"] == "retired"
    # Deleting outright is still a removal.
    from scorecard_studio.domain.edits import remove_item

    assert diff_designs(old, remove_item(old, "churn")).changes[0].kind is ChangeKind.REMOVED


def test_retiring_needs_a_reason_a_known_kpi_and_no_formula_using_it() -> None:
    with pytest.raises(DesignError, match="needs a reason"):
        retire_kpi(_card(), "churn", "   ")
    with pytest.raises(DesignError, match="no KPI 'margin' in the design"):
        retire_kpi(_card(), "margin", "gone")
    card = _card()
    fin = card.perspectives[0]
    with_formula = Scorecard(
        card.name,
        (
            Perspective(
                fin.id,
                fin.name,
                kpis=(*fin.kpis, _kpi("per_nps", "Revenue per NPS", "revenue / nps")),
            ),
            card.perspectives[1],
        ),
    )
    with pytest.raises(DesignError, match="Revenue per NPS uses it in a formula"):
        retire_kpi(with_formula, "nps", "dropped")


def test_shown_for_trends_the_retired_kpi_is_back_weightless_and_labelled() -> None:
    card = retire_kpi(_card(), "churn", "replaced by NRR", "2026-10-01")
    shown = with_retired_shown(card)
    churn = shown.kpi("churn")
    assert (churn.name, churn.weight) == ("Churn (retired)", 0.0)
    assert churn.description == "Retired on 2026-10-01: replaced by NRR"
    assert [k.id for k in shown.perspectives[1].objectives[0].kpis] == ["churn"]
    assert shown.retired == ()
    # Its objective gone too: it goes to a weightless group at the end.
    bare = retire_kpi(retire_kpi(_card(), "churn", "x"), "nps", "y")
    from scorecard_studio.domain.edits import remove_item

    bare = remove_item(bare, "keep")
    shown = with_retired_shown(bare)
    assert shown.perspectives[-1].id == RETIRED_GROUP
    assert shown.perspectives[-1].weight == 0.0
    assert [k.id for k in shown.perspectives[-1].kpis] == ["churn"]
    assert [k.id for k in shown.perspectives[1].kpis] == ["nps"]


def test_a_new_kpi_on_a_retired_id_is_a_design_error() -> None:
    from scorecard_studio.domain.checks import check_design

    retired = retire_kpi(_card(), "churn", "replaced by NRR", "2026-10-01")
    assert [f for f in check_design(retired) if f.code == "retired_id"] == []
    fin = retired.perspectives[0]
    reused = Scorecard(
        retired.name,
        (
            Perspective(fin.id, fin.name, kpis=(*fin.kpis, _kpi("churn", "Logo churn"))),
            *retired.perspectives[1:],
        ),
        retired=retired.retired,
    )
    (finding,) = [f for f in check_design(reused) if f.code == "retired_id"]
    assert finding.severity.value == "error"
    assert finding.item == "churn"
    assert finding.message == (
        "Logo churn: the id 'churn' belongs to a KPI retired on 2026-10-01 (Churn); "
        "choose another id"
    )


def test_adding_a_kpi_skips_the_ids_of_retired_kpis() -> None:
    from scorecard_studio.domain.checks import check_design
    from scorecard_studio.domain.edits import add_kpi

    retired = retire_kpi(_card(), "churn", "replaced by NRR", "2026-10-01")
    card, kid = add_kpi(retired, "fin", "Churn")
    assert kid == "churn_2"  # "churn" is the retired KPI's
    assert [f for f in check_design(card) if f.code == "retired_id"] == []
    _, again = add_kpi(card, "fin", "Churn")
    assert again == "churn_3"
