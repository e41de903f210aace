"""Suggested mappings of known exporters' columns, from the corpus exports and alone."""

from __future__ import annotations

from pathlib import Path

from scorecard_studio.domain.column_suggestions import (
    NPS_SCALE,
    ColumnFacts,
    is_nps_question,
    suggest_mappings,
)
from scorecard_studio.domain.model import Aggregation
from scorecard_studio.engines.importing import inspect_workbook


def _facts(path: Path) -> tuple[list[ColumnFacts], str | None]:
    info = inspect_workbook(path)
    facts = [ColumnFacts(c.name, c.type, c.minimum, c.maximum, c.whole) for c in info.columns]
    return facts, info.exporter


def test_a_salesforce_account_export_maps_id_name_and_type(corpus_dir: Path) -> None:
    facts, exporter = _facts(corpus_dir / "exports/salesforce/Account.csv")
    assert exporter == "Salesforce"
    found = [(s.column, s.role) for s in suggest_mappings(facts, exporter)]
    assert found == [("Id", "key_column"), ("Name", "name_column"), ("Type", "tier_column")]


def test_a_stripe_payments_export_maps_its_date_and_amount(corpus_dir: Path) -> None:
    facts, exporter = _facts(corpus_dir / "exports/stripe/checkout_service__unified_payments.csv")
    assert exporter == "Stripe"
    suggestions = suggest_mappings(facts, exporter)
    found = [(s.column, s.role) for s in suggestions]
    assert found == [
        ("Customer ID", "key_column"),
        ("Created date (UTC)", "date_column"),
        ("Amount", "measure"),
    ]
    amount = suggestions[-1]
    assert (amount.aggregation, amount.perspective) == (Aggregation.SUM, "Financial")


def test_an_nps_question_is_suggested_as_an_nps_kpi_on_0_to_10(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(
        "respondent,How likely are you to recommend us to a friend?,Rating\n"
        "r1,10,4\nr2,6,5\nr3,0,3\nr4,9,1\n"
    )
    facts, _exporter = _facts(path)
    by_name = {f.name: f for f in facts}
    question = by_name["How likely are you to recommend us to a friend?"]
    assert (question.minimum, question.maximum, question.whole) == (0.0, 10.0, True)
    (nps,) = suggest_mappings(facts, None)
    assert nps.column == "How likely are you to recommend us to a friend?"
    assert (nps.aggregation, nps.scale, nps.kpi_name) == (Aggregation.NPS, NPS_SCALE, "NPS")
    assert (NPS_SCALE.minimum, NPS_SCALE.maximum, NPS_SCALE.box_low) == (0, 10, 9)


def test_what_is_not_an_nps_question() -> None:
    named = "Would you recommend us?"
    assert is_nps_question(ColumnFacts("NPS", "number", 0, 10, True))
    assert not is_nps_question(ColumnFacts(named, "number", 1, 5, True))  # a 1–5 rating
    assert not is_nps_question(ColumnFacts(named, "number", 0, 10, False))  # 7.5: not answers
    assert not is_nps_question(ColumnFacts(named, "number", 0, 11, True))
    assert not is_nps_question(ColumnFacts("Score", "number", 0, 10, True))  # name says nothing
    assert not is_nps_question(ColumnFacts(named, "text"))
