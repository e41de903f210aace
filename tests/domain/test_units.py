"""One wording for a KPI's values: shown, typed, and checked against what a metric can be."""

from __future__ import annotations

import math

import pytest

from scorecard_studio.domain.checks import check_design
from scorecard_studio.domain.model import (
    Aggregation,
    CesMode,
    DataSource,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
)
from scorecard_studio.domain.units import (
    UnitKind,
    edit_text,
    format_value,
    parse_value,
    unit_of,
)


def _kpi(agg: Aggregation, unit: str = "", fmt: str = "0.00", **tv: float) -> Kpi:
    return Kpi(
        "k",
        "K",
        Measure(agg, source="s", column="c"),
        TargetSet(TargetValues(**tv)),  # type: ignore[arg-type]
        unit=unit,
        number_format=fmt,
    )


@pytest.mark.parametrize(
    ("kpi", "kind"),
    [
        (_kpi(Aggregation.CHURN_RATE), UnitKind.PERCENT),  # a rate, whatever its unit text
        (_kpi(Aggregation.CSAT), UnitKind.PERCENT),
        (_kpi(Aggregation.NPS), UnitKind.POINTS),
        (_kpi(Aggregation.MEAN, unit="%"), UnitKind.PERCENT),
        (_kpi(Aggregation.MEAN, fmt="0.0%"), UnitKind.PERCENT),
        (_kpi(Aggregation.SUM, unit="USD"), UnitKind.CURRENCY),
        (_kpi(Aggregation.MEAN, unit="days"), UnitKind.NUMBER),
    ],
)
def test_unit_of(kpi: Kpi, kind: UnitKind) -> None:
    assert unit_of(kpi).kind is kind


def test_ces_top_box_is_a_share_and_ces_mean_is_not() -> None:
    top = Kpi("k", "K", Measure(Aggregation.CES, source="s", column="c", ces_mode=CesMode.TOP_BOX))
    assert unit_of(top).is_percent
    assert not unit_of(_kpi(Aggregation.CES)).is_percent


def test_shown_in_one_wording() -> None:
    churn = unit_of(_kpi(Aggregation.CHURN_RATE))
    assert format_value(0.029, churn) == "2.9%"
    assert format_value(0.8, unit_of(_kpi(Aggregation.CSAT))) == "80%"
    assert format_value(905200.0, unit_of(_kpi(Aggregation.SUM, unit="USD"))) == "$905,200"
    assert format_value(-12.5, unit_of(_kpi(Aggregation.SUM, unit="$"))) == "−$12.5"
    assert format_value(3.25, unit_of(_kpi(Aggregation.MEAN, unit="days"))) == "3.25 days"
    assert format_value(55_000_000.0, unit_of(_kpi(Aggregation.SUM))) == "55,000,000"
    assert format_value(math.nan, churn) == "—"
    assert format_value(None, churn) == "—"
    assert format_value(0.1234, unit_of(_kpi(Aggregation.MEAN, fmt="0.0%"))) == "12.3%"


@pytest.mark.parametrize("text", ["25", "25%", " 25 % ", "25.0"])
def test_on_a_percentage_kpi_25_means_25_percent(text: str) -> None:
    assert parse_value(text, unit_of(_kpi(Aggregation.CHURN_RATE))) == pytest.approx(0.25)


def test_typed_values_elsewhere() -> None:
    money = unit_of(_kpi(Aggregation.SUM, unit="USD"))
    assert parse_value("$1,200", money) == 1200
    assert parse_value("-$3.5", money) == -3.5
    assert parse_value("45 days", unit_of(_kpi(Aggregation.MEAN, unit="days"))) == 45
    assert parse_value("45%", unit_of(_kpi(Aggregation.MEAN))) == pytest.approx(0.45)
    assert parse_value("", money) is None
    with pytest.raises(ValueError, match="'abc' is not a number"):
        parse_value("abc", money)
    with pytest.raises(ValueError, match="percentage"):
        parse_value("x%", unit_of(_kpi(Aggregation.CSAT)))


def test_edit_text_round_trips() -> None:
    churn = unit_of(_kpi(Aggregation.CHURN_RATE))
    assert edit_text(0.25, churn) == "25"
    assert edit_text(0.029, churn) == "2.9"
    assert parse_value(edit_text(0.029, churn), churn) == pytest.approx(0.029)
    assert edit_text(1200.0, unit_of(_kpi(Aggregation.SUM))) == "1200"
    assert edit_text(None, churn) == ""


def _findings(kpi: Kpi) -> list[str]:
    card = Scorecard("x", (Perspective("p", "P", kpis=(kpi,)),), sources=(DataSource("s", "S"),))
    return [f.message for f in check_design(card) if f.code == "target_out_of_range"]


def test_a_csat_target_of_80_is_an_error_that_guesses_80_percent() -> None:
    messages = _findings(_kpi(Aggregation.CSAT, baseline=0.7, target=80))
    assert messages == [
        "K: default target 80 is outside what CSAT can be (0% to 100%): did you mean 80%?"
    ]


def test_nps_and_churn_ranges() -> None:
    assert _findings(_kpi(Aggregation.NPS, baseline=0, target=150)) == [
        "K: default target 150 is outside what NPS can be (−100 to 100)"
    ]
    assert len(_findings(_kpi(Aggregation.CHURN_RATE, baseline=1.5, target=0.05))) == 1
    assert _findings(_kpi(Aggregation.CHURN_RATE, baseline=0.1, target=0.05)) == []
    assert _findings(_kpi(Aggregation.NPS, baseline=-20, target=40)) == []
