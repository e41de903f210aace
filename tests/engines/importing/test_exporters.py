"""Vendor export layouts: the corpus exports as their systems meant them, and each rule alone.

The facts of the corpus files were read from the files by hand (a text editor for the CSV
files, the workbook's sheets for Google Analytics); the small files written here exercise
one exporter rule each.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scorecard_studio.domain.model import DataSource
from scorecard_studio.engines.importing import import_table, inspect_workbook
from scorecard_studio.engines.importing.api import ImportResult
from scorecard_studio.engines.importing.columns.localized_dates import to_iso
from scorecard_studio.engines.importing.tables.exporters import detect_layout
from scorecard_studio.engines.importing.tables.footers import footer_reason

GA = "exports/google-analytics/Analytics All Web Site Data Search Terms 20180513-20190513.xlsx"


def _import(path: Path, sheet: str | None = None) -> ImportResult:
    return import_table(path, DataSource("s", "s", sheet=sheet))


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


#: (file, exporter, rows, {column: (type, first value)})
CORPUS: list[tuple[str, str, int, dict[str, tuple[str, object]]]] = [
    (
        "exports/qualtrics/sample.csv",
        "Qualtrics",
        1,
        {
            "StartDate": ("date", pd.Timestamp("2017-07-18 08:28:09")),
            "Progress": ("number", 100.0),
            "ResponseId": ("text", "R_2YPOQ602ER1jkf1"),
            "Q2": ("text", "Hello World!"),
        },
    ),
    (
        "exports/qualtrics/sample_legacy.csv",
        "Qualtrics (legacy)",
        1,
        {
            "ResponseID": ("text", "R_2YPOQ602ER1jkf1"),
            "StartDate": ("date", pd.Timestamp("2017-07-18 08:28:09")),
            "Q1": ("number", 2.0),
        },
    ),
    (
        "exports/qualtrics/Sample_Survey (Insights).csv",
        "Qualtrics",
        5,
        {
            "ResponseID": ("text", "R_e8z6glNpLL4PkcR"),
            "StartDate": ("date", pd.Timestamp("2016-05-13 12:14:41")),
        },
    ),
    (
        "exports/surveymonkey/StarWars.csv",
        "SurveyMonkey",
        1186,
        {
            "RespondentID": ("text", "3292879998"),
            "Which of the following Star Wars films have you seen? Please select all that "
            "apply. - Star Wars: Episode I The Phantom Menace": (
                "text",
                "Star Wars: Episode I  The Phantom Menace",
            ),
        },
    ),
    (
        "exports/surveymonkey/steak-risk-survey.csv",
        "SurveyMonkey",
        550,
        {"RespondentID": ("text", "3237565956")},
    ),
    (
        "exports/google-forms/responses.csv",
        "Google Forms",
        125,
        {"Timestamp": ("date", pd.Timestamp("2016-04-22 19:57:50"))},
    ),
    (
        GA,
        "Google Analytics",
        1000,
        {"Search Term": ("text", "clothing"), "Total Unique Searches": ("number", 8656.0)},
    ),
    (
        "exports/salesforce/Account.csv",
        "Salesforce",
        83,
        {
            "Name": ("text", "Nissan Motors"),
            "IsDeleted": ("boolean", False),
            "CreatedDate": ("date", _utc("2017-10-10 08:38:20")),
        },
    ),
    (
        "exports/stripe/unified_payments.csv",
        "Stripe",
        1,
        {
            "Card Last4": ("text", "1323"),
            "Created date (UTC)": ("date", _utc("2024-06-07 02:38:54")),
            "Captured": ("boolean", True),
            "Amount": ("number", 15.0),
        },
    ),
    (
        "exports/jira/Jira.csv",
        "Jira",
        104,
        {
            "Clé de ticket": ("text", "EE-113"),
            "Création": ("date", pd.Timestamp("2025-08-05 14:47")),
        },
    ),
]


@pytest.mark.parametrize(("relative", "exporter", "rows", "columns"), CORPUS, ids=str)
def test_corpus_exports_read_as_their_exporter_meant(
    corpus_dir: Path,
    relative: str,
    exporter: str,
    rows: int,
    columns: dict[str, tuple[str, object]],
) -> None:
    result = _import(corpus_dir / relative)
    assert result.inspection.exporter == exporter
    assert len(result.frame) == rows
    types = {c.name: c.type for c in result.columns}
    for name, (kind, first) in columns.items():
        assert types[name] == kind
        assert result.frame[name].dropna().iloc[0] == first


def test_google_analytics_picks_a_data_sheet_and_drops_its_totals(corpus_dir: Path) -> None:
    inspection = inspect_workbook(corpus_dir / GA)
    assert inspection.sheet == "Dataset1"
    # no sheet declares its <dimension>; each is listed with the extent of its cells
    assert [(s.name, s.rows, s.columns) for s in inspection.sheets] == [
        ("Summary", 7, 1),
        ("Dataset1", 1002, 7),
        ("Dataset2", 368, 2),
    ]
    # sheet row 1002: no label, 1,852,271 searches (all terms, not the 1,000 exported)
    assert [(d.row, d.reason.split(" (")[0]) for d in inspection.dropped_rows] == [
        (1002, "totals row")
    ]
    days = _import(corpus_dir / GA, sheet="Dataset2")
    assert len(days.frame) == 366
    assert days.frame["Day Index"].iloc[0] == pd.Timestamp("2018-05-13")
    assert days.frame["Day Index"].iloc[-1] == pd.Timestamp("2019-05-13")
    assert [d.row for d in days.report.dropped] == [368]


def test_surveymonkey_mac_roman_file_is_named_so(corpus_dir: Path) -> None:
    inspection = inspect_workbook(corpus_dir / "exports/surveymonkey/StarWars.csv")
    assert any("mac-roman" in f.message for f in inspection.findings)


# --- one rule at a time, on small hand-written files ----------------------------------


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_qualtrics_2016_python_dict_import_ids(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "q.csv",
        "ResponseID,StartDate,Q1\n"
        "ResponseID,StartDate,How likely are you to recommend us?\n"
        "{'ImportId': 'responseId'},{'ImportId': 'startDate'},{'ImportId': 'QID1'}\n"
        "R_1,2016-05-13 12:14:41,9\n"
        "R_2,2016-05-14 08:00:00,7\n",
    )
    result = _import(path)
    assert list(result.frame.columns) == ["ResponseID", "StartDate", "Q1"]
    assert result.frame["Q1"].tolist() == [9.0, 7.0]
    assert result.frame.index.tolist() == [4, 5]  # sheet rows of the two responses
    assert result.inspection.header_row == 2


def test_qualtrics_legacy_codes_over_labels(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "legacy.csv",
        "\ufeffV1,V8,Q1,\nResponseID,StartDate,Pick one,\nR_1,2017-07-18 08:28:09,2,\n",
    )
    result = _import(path)
    assert list(result.frame.columns) == ["ResponseID", "StartDate", "Q1"]
    assert len(result.frame) == 1


def test_surveymonkey_options_name_their_columns(tmp_path: Path) -> None:
    # Mac Roman: 0x8E is é, 0xD5 the right single quote
    text = (
        "RespondentID,Which fruit do you like?,,Comments\r"
        ",Apple,Pear,Open-Ended Response\r"
        "101,Apple,,caf\x8e\r"
        "102,,Pear,don\xd5t know\r"
    )
    path = tmp_path / "sm.csv"
    path.write_bytes(text.encode("latin-1"))
    result = _import(path)
    assert list(result.frame.columns) == [
        "RespondentID",
        "Which fruit do you like? - Apple",
        "Which fruit do you like? - Pear",
        "Comments",
    ]
    assert result.frame["RespondentID"].tolist() == ["101", "102"]
    assert result.frame["Comments"].tolist() == ["café", "don’t know"]


def test_google_forms_header_with_a_localized_time_stamp(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "forms.csv",
        "Marca temporal,Nombre,Puntuación\n"
        "22/4/2016 19:57:50,Ana,\n"
        "23/4/2016 8:01:02,,\n"
        "24/4/2016 9:15:00,Luis,8\n",
    )
    result = _import(path)
    assert result.inspection.exporter == "Google Forms"
    assert len(result.frame) == 3
    assert result.frame["Marca temporal"].iloc[1] == pd.Timestamp("2016-04-23 08:01:02")


def test_google_analytics_csv_title_lines_and_totals(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "ga.csv",
        "# ----------------------------------------\n"
        "# All Web Site Data\n"
        "# Pages\n"
        "# 20190101-20190131\n"
        "# ----------------------------------------\n"
        "\n"
        "Page,Pageviews,Bounce Rate\n"
        "/home,120,0.5\n"
        "/about,30,0.25\n"
        ",900,0.4\n",  # totals over the whole site, not the two pages
    )
    result = _import(path)
    assert result.inspection.exporter == "Google Analytics"
    assert result.frame["Page"].tolist() == ["/home", "/about"]
    assert [d.row for d in result.report.dropped] == [10]


def test_salesforce_report_title_grand_totals_and_footer(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "report.csv",
        '"Opportunities by Stage"\n'
        '"As of 2025-06-30"\n'
        "\n"
        '"Account Name","Stage","Amount"\n'
        '"Acme","Won","1000"\n'
        '"Globex","Open","250"\n'
        '"Grand Totals (2 records)","","1250"\n'
        "\n"
        "\n"
        '"Confidential Information - Do Not Distribute"\n'
        '"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."\n',
    )
    result = _import(path)
    assert result.frame["Account Name"].tolist() == ["Acme", "Globex"]
    reasons = [d.reason for d in result.report.dropped]
    assert "totals row (Grand Totals (2 records))" in reasons
    assert sum(r.startswith("footer line") for r in reasons) == 2


def _xlsx(tmp_path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    return path


def test_unlabelled_row_of_column_sums_is_dropped(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [["Customer", "ARR", "Seats"], ["A", 100, 5], ["B", 50, 3], [None, 150, 8]],
    )
    result = _import(path)
    assert result.frame["Customer"].tolist() == ["A", "B"]
    assert [d.row for d in result.report.dropped] == [4]


def test_unlabelled_row_that_is_not_the_sums_stays(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [["Customer", "ARR", "Seats"], ["A", 100, 5], ["B", 50, 3], [None, 70, 2]],
    )
    result = _import(path)
    assert len(result.frame) == 3
    assert result.report.dropped == []


def test_labelled_total_row_is_dropped_and_a_customer_named_total_is_not(
    tmp_path: Path,
) -> None:
    path = _xlsx(
        tmp_path,
        [
            ["Customer", "Segment", "ARR"],
            ["Total Wine & More", "Retail", 100],
            ["B", "SMB", 50],
            ["Total", None, 150],
        ],
    )
    result = _import(path)
    assert result.frame["Customer"].tolist() == ["Total Wine & More", "B"]
    assert [(d.row, d.reason) for d in result.report.dropped] == [(4, "totals row (Total)")]


def test_stripe_european_resave(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "payments.csv",
        "id;Created date (UTC);Amount;Captured;Card Last4\n"
        "ch_1;13.06.2024 02:38;1.015,00;WAHR;0042\n"
        "ch_2;14.06.2024 10:00;15,50;FALSCH;4242\n",
    )
    result = _import(path)
    frame = result.frame
    assert result.inspection.exporter == "Stripe"
    assert frame["Amount"].tolist() == [1015.0, 15.5]
    assert frame["Captured"].tolist() == [True, False]
    assert frame["Card Last4"].tolist() == ["0042", "4242"]
    assert frame["Created date (UTC)"].tolist() == [
        _utc("2024-06-13 02:38"),
        _utc("2024-06-14 10:00"),
    ]


def test_jira_localized_dates_and_repeated_columns(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "jira.csv",
        "Zusammenfassung,Schlüssel,Erstellt,Beobachter,Beobachter,Fällig\n"
        "Login kaputt,WEB-1,03/Mär/25 9:05 AM,anna,ben,15/Dez./25\n"
        "Export langsam,WEB-2,28/Okt/25 12:30 PM,carl,,01/Jan/26\n",
    )
    result = _import(path)
    frame = result.frame
    assert result.inspection.exporter == "Jira"
    assert list(frame.columns)[3:5] == ["Beobachter", "Beobachter (2)"]
    assert frame["Erstellt"].tolist() == [
        pd.Timestamp("2025-03-03 09:05"),
        pd.Timestamp("2025-10-28 12:30"),
    ]
    assert frame["Fällig"].tolist() == [pd.Timestamp("2025-12-15"), pd.Timestamp("2026-01-01")]


def test_documented_headers_name_their_system() -> None:
    assert detect_layout([["Summation column", "Id", "Requester", "Requester id"]], 0, 3)
    layout = detect_layout(
        [["Ticket ID", "Subject", "Status", "First response time (in hrs)"]], 0, 3
    )
    assert layout is not None
    assert layout.exporter == "Freshdesk"
    assert detect_layout([["Name", "Amount", "Date"], ["a", 1.0, None]], 0, 2) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("05/août/25 2:47 PM", "2025-08-05 14:47:00"),
        ("15/juil./25", "2025-07-15"),
        ("14/sept./25", "2025-09-14"),
        ("01/Jan/26 12:05 AM", "2026-01-01 00:05:00"),
        ("30/juin/25 12:00 PM", "2025-06-30 12:00:00"),
        ("09/Mrz/2025 17:30", "2025-03-09 17:30:00"),
    ],
)
def test_localized_month_names(text: str, iso: str) -> None:
    out = to_iso(pd.Series([text, None], dtype=object))
    assert out is not None
    assert out.tolist()[0] == iso
    assert pd.isna(out.tolist()[1])


def test_localized_dates_need_every_value_to_be_one() -> None:
    assert to_iso(pd.Series(["05/août/25", "soon"], dtype=object)) is None
    assert to_iso(pd.Series(["05/xyz/25"], dtype=object)) is None


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["Total responses", 180], "totals row (Total responses)"),
        (["Grand Totals (83 records)", None, ""], "totals row (Grand Totals (83 records))"),
        (["TOTAL", "1,234.50"], "totals row (TOTAL)"),
        (
            ["Confidential Information - Do Not Distribute"],
            "footer line (Confidential Information - Do Not Distribute)",
        ),
        (
            ["# ----------------------------------------"],
            "footer line (# ----------------------------------------)",
        ),
        (["Total Wine", "Retail", 10], None),  # a customer: its other cells hold text
        (["Totally Fine Ltd", 10], None),
        (["Acme", 10], None),
        ([None, 10, 20], None),  # unlabelled rows are judged against the table above
        ([dt.date(2025, 1, 1), 3], None),
    ],
)
def test_footer_reason(cells: list[object], reason: str | None) -> None:
    assert footer_reason(cells) == reason


def test_salesforce_report_as_a_workbook(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            ["Opportunities by Stage"],
            ["As of 2025-06-30"],
            [],
            ["Account Name", "Stage", "Amount"],
            ["Acme", "Won", 1000],
            ["Globex", "Open", 250],
            ["Grand Totals (2 records)", None, 1250],
            [],
            [],
            ["Confidential Information - Do Not Distribute"],
            ["Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."],
        ],
    )
    result = _import(path)
    assert result.inspection.header_row == 3
    assert result.frame["Amount"].tolist() == [1000.0, 250.0]
    assert [(d.row, d.reason.split(" (")[0]) for d in result.report.dropped] == [
        (7, "totals row"),
        (8, "empty row"),
        (9, "empty row"),
        (10, "footer line"),
        (11, "footer line"),
    ]
