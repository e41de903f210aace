"""The wizard's import profile: file pattern, tier value map and units saved with the source."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from scorecard_studio.domain.model import ColumnScale, ColumnUnit, DataSource, Scorecard
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
