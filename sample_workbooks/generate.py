"""Generate the sample customer data of a B2B SaaS company, identically on every run.

    python sample_workbooks/generate.py

writes ``customer_data.xlsx`` (sheets CRM, Billing, Survey, Support, Usage, Renewals), the
same tables as ``csv/*.csv``, and ``messy_export.xlsx`` (a survey export as real tools write
it, with deliberate defects for the import wizard; see ``docs/samples.md``).

The data has the relations a consultant expects to find: each account has a hidden health
that drives its usage, survey answers and support load; usage falls and escalations rise in
the months before an account churns; bigger tiers pay more, answer surveys less often in
absolute numbers, and take longer to reach value.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

SEED = 20261123
HERE = Path(__file__).resolve().parent
ACCOUNTS = 1200
FIRST_MONTH = pd.Timestamp("2023-10-01")  # 36 months: 2023 Q4 … 2026 Q3
MONTHS = 36
TIERS = ("Tier 1", "Tier 2", "Tier 3", "Tier 4")
TIER_SHARE = (0.08, 0.20, 0.27, 0.45)
ARR_MEDIAN = (420_000.0, 120_000.0, 36_000.0, 9_000.0)
MONTHLY_CHURN = (0.003, 0.005, 0.008, 0.013)
DSO_MEAN = (52.0, 44.0, 38.0, 31.0)
DAYS_TO_VALUE = (75.0, 50.0, 32.0, 18.0)
REGIONS = ("North America", "EMEA", "APAC", "LATAM")
SEGMENTS = ("Software", "Financial services", "Healthcare", "Retail", "Manufacturing")
OWNERS = ("A. Okafor", "B. Lindqvist", "C. Moreau", "D. Tanaka", "E. Rossi", "F. Haddad")
FIXED_TIME = datetime(2026, 10, 1, 9, 0, 0)


@dataclass(frozen=True)
class SampleData:
    """The six tables of the sample workbook, in sheet order."""

    crm: pd.DataFrame
    billing: pd.DataFrame
    survey: pd.DataFrame
    support: pd.DataFrame
    usage: pd.DataFrame
    renewals: pd.DataFrame

    def sheets(self) -> dict[str, pd.DataFrame]:
        return {
            "CRM": self.crm,
            "Billing": self.billing,
            "Survey": self.survey,
            "Support": self.support,
            "Usage": self.usage,
            "Renewals": self.renewals,
        }


def _month(i: int) -> pd.Timestamp:
    return FIRST_MONTH + pd.DateOffset(months=i)


def generate(seed: int = SEED) -> SampleData:
    """All tables from one seeded random generator."""
    rng = np.random.default_rng(seed)
    n = ACCOUNTS
    tier = rng.choice(4, size=n, p=TIER_SHARE)
    health = rng.normal(0.0, 1.0, size=n)
    # Contracts started between 2019 and the end of the window, a quarter of them inside it;
    # every tier signs at least two new accounts each quarter (time to value needs them).
    window_days = (date(2026, 9, 30) - date(2023, 10, 1)).days
    older_days = (date(2023, 9, 30) - date(2019, 1, 1)).days
    recent = rng.random(size=n) < 0.25
    start_day = np.where(
        recent,
        older_days + 1 + rng.integers(0, window_days, size=n),
        rng.integers(0, older_days, size=n),
    )
    for t in range(4):
        for q in range(MONTHS // 3):
            first = (_month(3 * q).date() - date(2019, 1, 1)).days
            in_quarter = (tier == t) & (start_day >= first) & (start_day < first + 90)
            for a in rng.permutation(np.flatnonzero((tier == t) & ~recent))[
                : max(0, 2 - int(in_quarter.sum()))
            ]:
                start_day[a] = first + int(rng.integers(0, 89))
    start = pd.Timestamp("2019-01-01") + pd.to_timedelta(start_day, unit="D")
    arr = np.round(np.asarray(ARR_MEDIAN)[tier] * rng.lognormal(0.0, 0.35, size=n), -2)

    # Churn: a monthly hazard by tier, higher for unhealthy accounts, from the contract start.
    churned_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    hazard = np.asarray(MONTHLY_CHURN)[tier] * np.exp(-0.8 * health)
    last_month = _month(MONTHS - 1) + pd.offsets.MonthEnd(0)
    for a in range(n):
        month = start[a].normalize().replace(day=1) + pd.DateOffset(months=1)
        while month <= last_month:
            if rng.random() < hazard[a]:
                churned_on[a] = np.datetime64(month + pd.Timedelta(days=int(rng.integers(0, 27))))
                break
            month += pd.DateOffset(months=1)
    churned = pd.Series(churned_on)
    ids = [f"ACC-{i:05d}" for i in range(1, n + 1)]
    names = [
        f"{rng.choice(['Blue', 'North', 'Bright', 'Silver', 'Open', 'Clear'])} "
        f"{rng.choice(['Harbor', 'Peak', 'Field', 'Stone', 'River', 'Gate'])} "
        f"{rng.choice(['Labs', 'Systems', 'Group', 'Partners', 'Health', 'Retail'])}"
        for _ in range(n)
    ]
    crm = pd.DataFrame(
        {
            "account_id": ids,
            "account_name": names,
            "tier": [TIERS[t] for t in tier],
            "region": rng.choice(REGIONS, size=n, p=(0.45, 0.3, 0.17, 0.08)),
            "segment": rng.choice(SEGMENTS, size=n),
            "owner": rng.choice(OWNERS, size=n),
            "contract_start": start.normalize(),
            "churned_on": churned.dt.normalize(),
            "arr": arr,
            "days_to_value": np.round(
                np.asarray(DAYS_TO_VALUE)[tier]
                * rng.lognormal(0.0, 0.3, size=n)
                * np.exp(-0.15 * health)
            ),
        }
    )

    billing, usage, support, survey, renewals = [], [], [], [], []
    ticket = response = 0
    for a in range(n):
        t = int(tier[a])
        end = churned.iloc[a]
        for i in range(MONTHS):
            month = _month(i)
            month_end = month + pd.offsets.MonthEnd(0)
            if start[a] > month_end or (pd.notna(end) and end < month):
                continue
            # Months before a churn: falling usage, rising escalations.
            months_left: int = (
                (end.year - month.year) * 12 + end.month - month.month if pd.notna(end) else 99
            )
            decline = max(0.0, 1.0 - months_left / 6.0) if months_left < 6 else 0.0
            revenue = round(arr[a] / 12 * rng.normal(1.0, 0.04), 2)
            margin_pct = float(np.clip(rng.normal(0.68 - 0.03 * t, 0.05), 0.35, 0.9))
            billing.append(
                (
                    ids[a],
                    month,
                    TIERS[t],
                    revenue,
                    round(revenue * margin_pct, 2),
                    int(1 + (rng.random() < 0.15)),
                    float(max(5.0, round(rng.normal(DSO_MEAN[t] - 3 * health[a], 7), 1))),
                )
            )
            logins = int(
                rng.poisson(
                    max(1.0, (60 - 10 * t) * np.exp(0.25 * health[a]) * (1 - 0.6 * decline))
                )
            )
            adoption = float(
                np.clip(
                    0.42 + 0.08 * health[a] + 0.04 * (3 - t) - 0.25 * decline + rng.normal(0, 0.05),
                    0.02,
                    0.98,
                )
            )
            usage.append((ids[a], month, TIERS[t], logins, round(adoption, 3)))
            for _ in range(int(rng.poisson(0.25 + 0.35 * (3 - t) / 3 + 0.6 * decline))):
                ticket += 1
                escalated = rng.random() < 0.06 + 0.05 * max(0.0, -health[a]) + 0.35 * decline
                opened = month + pd.Timedelta(days=int(rng.integers(0, 28)))
                support.append(
                    (
                        f"T-{ticket:06d}",
                        ids[a],
                        opened,
                        TIERS[t],
                        int(escalated),
                        round(float(rng.gamma(2.0, 6.0 + 10.0 * escalated)), 1),
                    )
                )
            if i % 3 == 1 and rng.random() < 0.3:  # one survey wave per quarter
                for _ in range(1 + int(t == 0) + int(rng.random() < 0.3)):
                    response += 1
                    mood = health[a] - 1.2 * decline + rng.normal(0, 0.8)
                    survey.append(
                        (
                            f"R-{response:06d}",
                            ids[a],
                            month + pd.Timedelta(days=int(rng.integers(0, 28))),
                            TIERS[t],
                            int(np.clip(round(7.6 + 1.6 * mood), 0, 10)),
                            int(np.clip(round(3.9 + 0.7 * mood), 1, 5)),
                            int(np.clip(round(5.0 + 0.9 * mood), 1, 7)),
                        )
                    )
            # Renewals fall on contract anniversaries; an account churning then is lost.
            if month.month == start[a].month and month.year > start[a].year:
                lost: bool = pd.notna(end) and end <= month_end + pd.DateOffset(months=1)
                renewals.append(
                    (
                        ids[a],
                        TIERS[t],
                        month + pd.Timedelta(days=int(start[a].day) - 1),
                        "churned" if lost else "renewed",
                        0 if lost else 1,
                    )
                )

    return SampleData(
        crm=crm,
        billing=pd.DataFrame(
            billing,
            columns=["account_id", "month", "tier", "revenue", "margin", "invoices", "dso"],
        ),
        survey=pd.DataFrame(
            survey,
            columns=["response_id", "account_id", "responded_on", "tier", "nps", "csat", "ces"],
        ),
        support=pd.DataFrame(
            support,
            columns=[
                "ticket_id",
                "account_id",
                "opened_on",
                "tier",
                "escalated",
                "resolution_hours",
            ],
        ),
        usage=pd.DataFrame(
            usage, columns=["account_id", "month", "tier", "logins", "feature_adoption"]
        ),
        renewals=pd.DataFrame(
            renewals, columns=["account_id", "tier", "renewal_date", "outcome", "renewed"]
        ),
    )


# --- writing --------------------------------------------------------------------------------


def _cell(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime().date()
    if value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _deterministic(raw: bytes) -> bytes:
    """Rewrite a zip with fixed entry times and order, so the same data gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 10, 1, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time here whatever the properties say.
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2026-10-01T09:00:00Z\g<2>",
                    data,
                )
            dst.writestr(fixed, data)
    return out.getvalue()


def _save(wb: Workbook, path: Path) -> None:
    wb.properties.creator = "Scorecard Studio sample generator"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_deterministic(buffer.getvalue()))


def write_workbook(data: SampleData, path: Path) -> None:
    wb = Workbook(write_only=True)
    for title, frame in data.sheets().items():
        ws = wb.create_sheet(title)
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append([_cell(v) for v in row])
    _save(wb, path)


def write_csvs(data: SampleData, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for title, frame in data.sheets().items():
        out = frame.copy()
        for column in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[column]):
                out[column] = out[column].dt.strftime("%Y-%m-%d")
        out.to_csv(folder / f"{title.lower()}.csv", index=False, lineterminator="\n")


def write_messy_export(data: SampleData, path: Path, seed: int = SEED) -> None:
    """A survey export as tools really write it, with the defects listed in docs/samples.md."""
    rng = np.random.default_rng(seed + 1)
    sample = data.survey.iloc[:180].reset_index(drop=True)
    revenue = data.crm.set_index("account_id")["arr"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Survey export"
    ws["A1"] = "Customer Voice — survey responses"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Exported 2026-10-02 by the survey tool; confidential"
    ws.append([])
    ws.append(["Account ID", "Responded", "Tier", "Scores", None, None, "ARR", "Share of wallet"])
    ws.merge_cells("D4:F4")
    ws["D4"].alignment = Alignment(horizontal="center")
    ws.append([None, None, None, "NPS", "CSAT", "CES", None, None])
    for column in ("A", "B", "C", "G", "H"):
        ws.merge_cells(f"{column}4:{column}5")
    formats = ("%Y-%m-%d", "%d/%m/%Y", "%b %d, %Y", "%d.%m.%Y")
    for i, row in zip(range(len(sample)), sample.to_dict("records"), strict=True):
        when = row["responded_on"]
        nps: object = int(row["nps"])
        csat: object = int(row["csat"])
        ces: object = int(row["ces"])
        if i in (17, 96):
            nps = 11  # out of scale
        if i == 41:
            csat = 0  # out of scale
        if i in (5, 63, 120):
            ces = " "  # a blank typed as a space
        if i == 77:
            nps = "#N/A"  # an Excel error value
        if i in (30, 31):
            nps = str(nps)  # a number stored as text
        arr = float(revenue[row["account_id"]])
        share: object = f"{round(float(rng.uniform(5, 90)))}%"
        if i == 150:
            share = "#DIV/0!"  # an Excel error value
        ws.append(
            [
                row["account_id"],
                when.strftime(formats[i % len(formats)]),
                row["tier"],
                nps,
                csat,
                ces,
                f"${arr:,.2f}",
                share,
            ]
        )
    ws.append([])
    ws.append(["Total responses", len(sample)])
    hidden = wb.create_sheet("Lookup")
    hidden.sheet_state = "hidden"
    hidden.append(["Tier", "Meaning"])
    for t, meaning in zip(
        TIERS, ("Strategic", "Enterprise", "Mid-market", "Self-serve"), strict=True
    ):
        hidden.append([t, meaning])
    _save(wb, path)


def main() -> None:
    data = generate()
    write_workbook(data, HERE / "customer_data.xlsx")
    write_csvs(data, HERE / "csv")
    write_messy_export(data, HERE / "messy_export.xlsx")
    for title, frame in data.sheets().items():
        print(f"{title:<9} {len(frame):>7,} rows")


if __name__ == "__main__":
    main()
