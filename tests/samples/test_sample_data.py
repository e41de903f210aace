"""The sample data regenerates identically and has the relations a consultant expects."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np
import openpyxl
import pandas as pd
import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "sample_workbooks"

SHEETS = ("CRM", "Billing", "Survey", "Support", "Usage", "Renewals")


def test_same_seed_gives_identical_tables(generator: ModuleType, sample_data) -> None:  # type: ignore[no-untyped-def]
    again = generator.generate()
    assert tuple(sample_data.sheets()) == SHEETS
    for (name, first), second in zip(
        sample_data.sheets().items(), again.sheets().values(), strict=True
    ):
        pd.testing.assert_frame_equal(first, second, obj=name)


def test_another_seed_gives_other_tables(generator: ModuleType, sample_data) -> None:  # type: ignore[no-untyped-def]
    other = generator.generate(seed=generator.SEED + 1)
    assert not other.crm["tier"].equals(sample_data.crm["tier"])


def test_committed_csvs_are_what_the_generator_writes(
    generator: ModuleType,
    sample_data,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    generator.write_csvs(sample_data, tmp_path)
    committed = sorted(p.name for p in (SAMPLES / "csv").glob("*.csv"))
    assert committed == sorted(f"{s.lower()}.csv" for s in SHEETS)
    for name in committed:
        assert (tmp_path / name).read_bytes() == (SAMPLES / "csv" / name).read_bytes(), name


def test_committed_workbooks_are_byte_identical_to_a_new_run(
    generator: ModuleType,
    sample_data,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    generator.write_workbook(sample_data, tmp_path / "customer_data.xlsx")
    generator.write_messy_export(sample_data, tmp_path / "messy_export.xlsx")
    for name in ("customer_data.xlsx", "messy_export.xlsx"):
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_workbook_sheets_hold_the_csv_tables() -> None:
    book = pd.read_excel(SAMPLES / "customer_data.xlsx", sheet_name=None, engine="calamine")
    assert tuple(book) == SHEETS
    for sheet, frame in book.items():
        csv = pd.read_csv(SAMPLES / "csv" / f"{sheet.lower()}.csv")
        assert list(frame.columns) == list(csv.columns), sheet
        assert len(frame) == len(csv), sheet
    survey = book["Survey"]
    csv = pd.read_csv(SAMPLES / "csv" / "survey.csv")
    assert survey["nps"].tolist() == csv["nps"].tolist()
    assert survey["responded_on"].dt.strftime("%Y-%m-%d").tolist() == csv["responded_on"].tolist()


def test_committed_files_stay_modest() -> None:
    assert (SAMPLES / "customer_data.xlsx").stat().st_size < 4 * 2**20
    assert (SAMPLES / "messy_export.xlsx").stat().st_size < 100 * 2**10


def test_twelve_quarters_ending_2026_q3(sample_data) -> None:  # type: ignore[no-untyped-def]
    months = sample_data.billing["month"]
    assert months.min() == pd.Timestamp("2023-10-01")
    assert months.max() == pd.Timestamp("2026-09-01")
    assert months.dt.to_period("Q").nunique() == 12
    assert sample_data.survey["responded_on"].max() < pd.Timestamp("2026-10-01")


def test_tiers_revenue_and_dso_are_plausible(sample_data) -> None:  # type: ignore[no-untyped-def]
    crm, billing = sample_data.crm, sample_data.billing
    assert len(crm) == 1200
    assert crm["account_id"].is_unique
    share = crm["tier"].value_counts(normalize=True)
    assert 0.06 < share["Tier 1"] < 0.10
    assert 0.41 < share["Tier 4"] < 0.49
    revenue = billing.groupby("tier")["revenue"].mean()
    dso = billing.groupby("tier")["dso"].mean()
    # Bigger tiers pay more per month and take longer to pay.
    assert list(revenue.sort_values(ascending=False).index) == [
        "Tier 1",
        "Tier 2",
        "Tier 3",
        "Tier 4",
    ]
    assert revenue["Tier 1"] > 20 * revenue["Tier 4"]
    assert dso["Tier 1"] > dso["Tier 2"] > dso["Tier 3"] > dso["Tier 4"]
    assert (billing["margin"] < billing["revenue"]).all()


def test_survey_answers_are_on_scale_with_a_realistic_response_rate(sample_data) -> None:  # type: ignore[no-untyped-def]
    survey, usage = sample_data.survey, sample_data.usage
    assert survey["nps"].between(0, 10).all()
    assert survey["csat"].between(1, 5).all()
    assert survey["ces"].between(1, 7).all()
    assert set(survey["nps"]) == set(range(11))
    quarter = survey["responded_on"].dt.to_period("Q")
    responding = survey.groupby(quarter)["account_id"].nunique()
    active = usage.groupby(usage["month"].dt.to_period("Q"))["account_id"].nunique()
    rate = (responding / active).dropna()
    assert len(rate) == 12
    assert 0.2 <= rate.median() <= 0.35
    # Tier 1 samples are small, so the low-sample flag has something to show.
    tier1 = survey[(survey["tier"] == "Tier 1") & (quarter == pd.Period("2026Q3"))]
    assert 10 <= len(tier1) < 60


def test_falling_usage_and_rising_escalations_precede_churn(sample_data) -> None:  # type: ignore[no-untyped-def]
    crm, usage, support = sample_data.crm, sample_data.usage, sample_data.support
    churned_on = crm.set_index("account_id")["churned_on"]
    lost = churned_on.dropna()
    assert len(lost) > 100
    rows = usage[usage["account_id"].isin(lost.index)].copy()
    months_left = (
        rows["account_id"].map(lost).dt.to_period("M") - rows["month"].dt.to_period("M")
    ).apply(lambda offset: offset.n)
    late = rows[months_left <= 2]
    early = rows[months_left >= 9]
    assert late["feature_adoption"].mean() < early["feature_adoption"].mean() - 0.1
    assert late["logins"].mean() < 0.75 * early["logins"].mean()
    tickets = support[support["account_id"].isin(lost.index)]
    left = (tickets["account_id"].map(lost) - tickets["opened_on"]).dt.days
    assert (
        tickets.loc[left <= 90, "escalated"].mean()
        > 2 * tickets.loc[left > 270, "escalated"].mean()
    )
    # Renewals record the churn: an account lost at its anniversary shows "churned".
    renewals = sample_data.renewals
    assert set(renewals["outcome"]) == {"renewed", "churned"}
    assert (renewals["renewed"] == (renewals["outcome"] == "renewed")).all()
    assert renewals.loc[renewals["outcome"] == "churned", "account_id"].isin(lost.index).all()


# --- the messy export: every deliberate defect listed in docs/samples.md is there ----------


@pytest.fixture(scope="module")
def messy() -> openpyxl.Workbook:
    return openpyxl.load_workbook(SAMPLES / "messy_export.xlsx")


def test_messy_export_layout(messy: openpyxl.Workbook) -> None:
    assert messy.sheetnames == ["Survey export", "Lookup"]
    assert messy["Lookup"].sheet_state == "hidden"
    ws = messy["Survey export"]
    assert ws["A1"].value == "Customer Voice — survey responses"
    assert ws["A2"].value.startswith("Exported 2026-10-02")
    assert all(c.value is None for c in ws[3])
    assert {str(r) for r in ws.merged_cells.ranges} == {
        "A4:A5", "B4:B5", "C4:C5", "D4:F4", "G4:G5", "H4:H5",
    }  # fmt: skip
    assert [c.value for c in ws[4]] == [
        "Account ID", "Responded", "Tier", "Scores", None, None, "ARR", "Share of wallet",
    ]  # fmt: skip
    assert [c.value for c in ws[5]][3:6] == ["NPS", "CSAT", "CES"]
    assert ws.max_row == 187
    assert all(c.value is None for c in ws[186])
    assert [c.value for c in ws[187]][:2] == ["Total responses", 180]


def test_messy_export_cell_defects(messy: openpyxl.Workbook) -> None:
    ws = messy["Survey export"]
    assert (ws["D23"].value, ws["D102"].value) == (11, 11)
    assert ws["E47"].value == 0
    assert [ws[f"F{r}"].value for r in (11, 69, 126)] == [" ", " ", " "]
    assert (ws["D83"].value, ws["D83"].data_type) == ("#N/A", "e")
    assert (ws["H156"].value, ws["H156"].data_type) == ("#DIV/0!", "e")
    for cell in (ws["D36"], ws["D37"]):
        assert cell.data_type == "s"
        assert cell.value.isdigit()
    # Dates are text, cycling through four formats, row by row.
    assert [ws[f"B{r}"].value for r in range(6, 10)] == [
        "2024-02-09", "05/02/2024", "Feb 12, 2024", "04.05.2024",
    ]  # fmt: skip
    assert all(isinstance(ws[f"B{r}"].value, str) for r in range(6, 186))
    assert all(str(ws[f"G{r}"].value).startswith("$") for r in range(6, 186))
    assert all(str(ws[f"H{r}"].value).endswith("%") for r in range(6, 186) if r != 156)


def test_messy_export_clean_cells_match_the_survey_table(
    messy: openpyxl.Workbook,
    sample_data,  # type: ignore[no-untyped-def]
) -> None:
    ws = messy["Survey export"]
    survey = sample_data.survey.iloc[:180]
    defect_rows = {23, 102, 47, 11, 69, 126, 83, 36, 37}
    for i, row in enumerate(survey.itertuples(index=False)):
        excel_row = 6 + i
        assert ws[f"A{excel_row}"].value == row.account_id
        assert ws[f"C{excel_row}"].value == row.tier
        if excel_row not in defect_rows:
            assert [ws[f"{c}{excel_row}"].value for c in "DEF"] == [row.nps, row.csat, row.ces]
    arr = sample_data.crm.set_index("account_id")["arr"]
    first = survey.iloc[0]
    assert ws["G6"].value == f"${arr[first.account_id]:,.2f}"
    assert np.isclose(float(ws["G6"].value.strip("$").replace(",", "")), arr[first.account_id])


def test_messy_export_imports_its_180_responses_and_lists_the_footer() -> None:
    from scorecard_studio.domain.model import DataSource
    from scorecard_studio.engines.importing import import_table

    result = import_table(SAMPLES / "messy_export.xlsx", DataSource("s", "s"))
    frame = result.frame
    assert len(frame) == 180
    assert frame.index.min() == 6
    assert frame.index.max() == 185
    assert "Total responses" not in set(frame["Account ID"])
    assert [(d.row, d.reason) for d in result.report.dropped] == [
        (186, "empty row"),
        (187, "totals row (Total responses)"),
    ]
