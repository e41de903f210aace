"""The wizard's import profile: file pattern, tier value map and units saved with the source."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.model import (
    Aggregation,
    ColumnScale,
    ColumnUnit,
    DataSource,
    Measure,
    Perspective,
    Scorecard,
    SurveyScale,
)
from scorecard_studio.qt.dialogs.import_suggestions import SuggestedKpi, add_kpis
from scorecard_studio.qt.dialogs.import_wizard import ImportWizard

CSV = (
    "customer,month,plan,amount,uptime\n"
    "C1,2025-06-01,Enterprise,100,99.5\n"
    "C2,2025-06-02,SMB,20,45\n"
    "C3,2025-06-03,SMB,5,100\n"
)


def _to_roles(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(wizard.sheet_page.isComplete, timeout=30000)
    wizard.next()


def test_profile_fields_are_edited_and_applied(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "stripe_payments_2025-06.csv"
    path.write_text(CSV)
    wizard = ImportWizard(Scorecard("Card"), path=str(path))
    _to_roles(qtbot, wizard)
    page = wizard.roles_page
    box = page.roles["tier_column"]
    box.setCurrentIndex(box.findData("plan"))
    profile = page.profile
    assert profile.pattern.text() == "stripe_payments_*.csv"  # suggested from the dated name
    listed = [profile.tiers.item(r, 0).text() for r in range(profile.tiers.rowCount())]
    assert listed == ["Enterprise", "SMB"]
    units = [profile.units.item(r, 0).text() for r in range(profile.units.rowCount())]
    assert units == ["amount", "uptime"]
    profile.set_tier("Enterprise", "Tier 1")
    profile.set_tier("SMB", "Tier 2")
    profile.set_scale("uptime", ColumnScale.PERCENT_POINTS.value)
    wizard.next()
    qtbot.waitUntil(wizard.validation_page.isComplete, timeout=30000)
    wizard.accept()
    outcome = wizard.outcome
    assert outcome is not None
    source = outcome.source
    assert source.file_pattern == "stripe_payments_*.csv"
    assert source.tier_values == (("Enterprise", "Tier 1"), ("SMB", "Tier 2"))
    assert source.units == (ColumnUnit("uptime", ColumnScale.PERCENT_POINTS),)
    assert outcome.frame["plan"].tolist() == ["Tier 1", "Tier 2", "Tier 2"]
    assert outcome.frame["uptime"].tolist() == pytest.approx([0.995, 0.45, 1.0])


def test_a_previous_profile_is_shown_again(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    path.write_text(CSV)
    previous = DataSource(
        "pay", "Payments", file="payments.csv", tier_column="plan",
        file_pattern="pay*.csv", tier_values=(("smb", "Tier 3"),),
        units=(ColumnUnit("amount", ColumnScale.PERCENT_FRACTION),), columns=("customer",),
    )  # fmt: skip
    wizard = ImportWizard(Scorecard("Card", sources=(previous,)), path=str(path))
    _to_roles(qtbot, wizard)
    profile = wizard.roles_page.profile
    assert wizard.roles_page.roles["tier_column"].currentData() == "plan"
    assert profile.pattern.text() == "pay*.csv"
    tiers = {
        profile.tiers.item(r, 0).text(): profile.tiers.cellWidget(r, 1).currentData()
        for r in range(profile.tiers.rowCount())
    }
    assert tiers == {"Enterprise": None, "SMB": "Tier 3"}
    assert profile.profile()["units"] == (ColumnUnit("amount", ColumnScale.PERCENT_FRACTION),)


# --- suggested mappings: offered unticked, applied when ticked ---------------------------

STRIPE = (
    "id,Created date (UTC),Amount,Currency,Customer ID\n"
    "ch_1,2024-02-04 16:17:09,40.00,usd,cus_1\n"
    "ch_2,2024-02-05 10:00:00,15.50,usd,cus_2\n"
)


def test_suggestions_are_offered_unticked_and_applied_when_ticked(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "unified_payments.csv"
    path.write_text(STRIPE)
    card = Scorecard("Card", (Perspective("fin", "Financial"), Perspective("cus", "Customer")))
    wizard = ImportWizard(card, path=str(path))
    _to_roles(qtbot, wizard)
    page = wizard.roles_page
    listed = page.suggestions
    # Customer ID and the UTC date are pre-selected roles already; Amount is offered.
    assert [s.column for s in listed.offered] == ["Amount"]
    assert listed.item(0).checkState() == Qt.CheckState.Unchecked
    assert listed.accepted_kpis("pay") == ()  # nothing applied until ticked
    listed.tick("Amount", "measure")
    wizard.next()
    qtbot.waitUntil(wizard.validation_page.isComplete, timeout=30000)
    wizard.accept()
    outcome = wizard.outcome
    assert outcome is not None
    (kpi,) = outcome.kpis
    measure = Measure(Aggregation.SUM, source=outcome.source.id, column="Amount")
    assert kpi == SuggestedKpi("Total amount", measure, "Financial")
    after = add_kpis(card, outcome.kpis)
    assert [k.name for k in after.perspectives[0].kpis] == ["Total amount"]
    assert after.perspectives[1].kpis == ()


def test_a_ticked_name_suggestion_sets_the_role(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "Account.csv"
    path.write_text(
        "Id,IsDeleted,Name,Type,CreatedDate,OwnerId\n"
        "001A,,Acme,Customer - Direct,2017-08-04T09:09:21.000+0000,005X\n"
        "001B,1,Globex,Prospect,2017-08-05T09:09:21.000+0000,005X\n"
    )
    wizard = ImportWizard(Scorecard("Card"), path=str(path))
    _to_roles(qtbot, wizard)
    page = wizard.roles_page
    assert page.roles["key_column"].currentData() == "Id"
    assert page.roles["tier_column"].currentData() == "Type"
    assert page.roles["name_column"].currentData() is None  # not applied by itself
    page.suggestions.tick("Name", "name_column")
    assert page.roles["name_column"].currentData() == "Name"
    assert page.source().name_column == "Name"


def test_an_nps_suggestion_adds_an_nps_kpi_with_its_scale(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("respondent,NPS\nr1,10\nr2,6\nr3,9\n")
    card = Scorecard("Card", (Perspective("fin", "Financial"), Perspective("cus", "Customer")))
    wizard = ImportWizard(card, path=str(path))
    _to_roles(qtbot, wizard)
    suggestions = wizard.roles_page.suggestions
    suggestions.tick("NPS", "measure")
    (kpi,) = suggestions.accepted_kpis("survey")
    assert kpi.measure == Measure(
        Aggregation.NPS, source="survey", column="NPS", scale=SurveyScale(0, 10, 9, 10)
    )
    after = add_kpis(card, (kpi,))
    assert [k.name for k in after.perspectives[1].kpis] == ["NPS"]


def test_tier_choices_under_a_column_left_behind_are_not_saved(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(
        "customer,month,plan,segment,amount\n"
        "C1,2025-06-01,Enterprise,Gold,100\n"
        "C2,2025-06-02,SMB,Silver,20\n"
    )
    wizard = ImportWizard(Scorecard("Card"), path=str(path))
    _to_roles(qtbot, wizard)
    page = wizard.roles_page
    box = page.roles["tier_column"]
    box.setCurrentIndex(box.findData("plan"))
    page.profile.set_tier("Enterprise", "Tier 1")
    box.setCurrentIndex(box.findData("segment"))  # the user changes their mind
    page.profile.set_tier("Gold", "Tier 2")
    assert page.profile.profile()["tier_values"] == (("Gold", "Tier 2"),)
    box.setCurrentIndex(box.findData("plan"))  # and back: the first choice is still shown
    listed = page.profile.tiers
    assert listed.cellWidget(0, 1).currentData() == "Tier 1"
    assert page.profile.profile()["tier_values"] == (("Enterprise", "Tier 1"),)
