"""Role guesses for typical export headers."""

from __future__ import annotations

from scorecard_studio.domain.column_roles import RoleGuess, guess_roles, normalise


def test_crm_export_headers() -> None:
    columns = ["Account ID", "Account name", "Tier", "Region", "Contract start", "ARR"]
    guess = guess_roles(columns, {"Contract start": "date", "ARR": "number"})
    assert guess == RoleGuess(
        key_column="Account ID", date_column="Contract start", tier_column="Tier"
    )
    assert not guess.long


def test_long_layout_and_period_without_date() -> None:
    columns = ["customer", "quarter", "metric", "value", "Customer tier"]
    guess = guess_roles(columns, {"value": "number"})
    assert guess.key_column == "customer"
    assert guess.date_column is None
    assert guess.period_column == "quarter"
    assert guess.tier_column == "Customer tier"
    assert (guess.metric_column, guess.value_column) == ("metric", "value")
    assert guess.long


def test_date_found_by_type_even_with_an_odd_name() -> None:
    guess = guess_roles(["id", "when", "nps"], {"when": "date", "nps": "number"})
    assert (guess.key_column, guess.date_column) == ("id", "when")


def test_normalise() -> None:
    assert normalise("  Customer ID ") == "customer_id"
    assert normalise("Días/Mes") == "d_as_mes"


def test_customer_key_beats_other_ids() -> None:
    columns = ["response_id", "account_id", "responded_on", "tier", "nps"]
    guess = guess_roles(columns, {"responded_on": "date"})
    assert guess.key_column == "account_id"
    assert guess.date_column == "responded_on"


def test_known_exporters_suggest_their_own_columns() -> None:
    salesforce = ["Id", "IsDeleted", "Name", "Type", "BillingCity", "CreatedDate", "OwnerId"]
    types = {"CreatedDate": "date", "IsDeleted": "boolean"}
    # by name alone no tier is found: the account type is called "Type"
    assert guess_roles(salesforce, types) == RoleGuess(key_column="Id", date_column="CreatedDate")
    assert guess_roles(salesforce, types, "Salesforce") == RoleGuess(
        key_column="Id", date_column="CreatedDate", tier_column="Type"
    )
    stripe = ["id", "Created date (UTC)", "Amount", "Customer ID", "Customer Email"]
    guess = guess_roles(stripe, {"Created date (UTC)": "date"}, "Stripe")
    assert (guess.key_column, guess.date_column) == ("Customer ID", "Created date (UTC)")
    jira = ["Résumé", "Clé de ticket", "Création", "Mise à jour"]
    guess = guess_roles(jira, {"Création": "date", "Mise à jour": "date"}, "Jira")
    assert (guess.key_column, guess.date_column) == ("Clé de ticket", "Création")
    # an exporter without its columns (a customised export) falls back to the names
    assert guess_roles(["account_id", "month"], {}, "Salesforce").key_column == "account_id"
