"""Suggested mappings for a freshly imported table, beyond the pre-selected roles.

A known exporter's columns mean the same thing in every export: a Salesforce account
export's ``Name`` names the account, Stripe's ``Amount`` is the money a payment brought in,
a survey question answered with whole numbers from 0 to 10 and asking whether one would
recommend is an NPS question. These are offered in the import wizard as suggestions the
user ticks; nothing here is applied by itself. Roles (key, name, date, tier) set the data
source's columns; measures become KPIs of the design (an NPS KPI with its 0–10 scale).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scorecard_studio.domain.model import Aggregation, SurveyScale

#: The standard NPS scale: promoters answer 9–10, detractors 0–6.
NPS_SCALE = SurveyScale(0, 10, 9, 10)

_NPS_NAME = re.compile(r"(?i)\bnps\b|recommend|net promoter|likely .*(refer|suggest)")


@dataclass(frozen=True, slots=True)
class ColumnFacts:
    """What the suggestions look at in a column: its name, type and range of values."""

    name: str
    type: str
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One mapping to offer: a role for a column, or a KPI measuring it."""

    column: str
    #: a data source role (``key_column``, ``name_column``, ``date_column``,
    #: ``tier_column``) or ``"measure"`` for a KPI
    role: str
    text: str  # what the wizard shows
    aggregation: Aggregation | None = None  # for a measure
    scale: SurveyScale | None = None  # for a survey measure
    kpi_name: str = ""  # for a measure: the KPI's name
    perspective: str = ""  # for a measure: the perspective it belongs under, by name

    @property
    def is_measure(self) -> bool:
        return self.role == "measure"


_ROLE_WORDS = {
    "key_column": "customer key",
    "name_column": "customer name",
    "date_column": "date",
    "tier_column": "tier",
}

#: Exporters' columns with a fixed meaning: (column, role) in the order offered.
EXPORTER_MAPPINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "Salesforce": (("Id", "key_column"), ("Name", "name_column"), ("Type", "tier_column")),
    "Stripe": (
        ("Customer ID", "key_column"),
        ("Created date (UTC)", "date_column"),
        ("Created (UTC)", "date_column"),
        ("Amount", "measure"),
    ),
}


def _role(column: str, role: str, exporter: str) -> Suggestion:
    return Suggestion(column, role, f"{column} → {_ROLE_WORDS[role]} ({exporter} export)")


def _amount(column: str, exporter: str) -> Suggestion:
    return Suggestion(
        column,
        "measure",
        f"{column} → a KPI: the sum of {column} ({exporter} payments, in major units)",
        Aggregation.SUM,
        kpi_name=f"Total {column.lower()}",
        perspective="Financial",
    )


def is_nps_question(column: ColumnFacts) -> bool:
    """A number column of whole answers inside 0–10 whose name asks about recommending.

    Some answer must be above 5, so a 1–5 "would you recommend" rating is not taken for
    the 0–10 question.
    """
    if column.type != "number" or column.minimum is None or column.maximum is None:
        return False
    inside = column.minimum >= 0 and 5 < column.maximum <= 10
    return inside and column.whole and bool(_NPS_NAME.search(column.name))


def suggest_mappings(columns: Sequence[ColumnFacts], exporter: str | None) -> list[Suggestion]:
    """Suggestions for the columns of one table, exporter's first, one per column and role."""
    names = {c.name for c in columns}
    out: list[Suggestion] = []
    taken: set[str] = set()
    system = exporter or ""
    for column, role in EXPORTER_MAPPINGS.get(system, ()):
        if column not in names or (role in taken and role != "measure"):
            continue
        taken.add(role)
        out.append(_amount(column, system) if role == "measure" else _role(column, role, system))
    for facts in columns:
        if is_nps_question(facts):
            out.append(
                Suggestion(
                    facts.name,
                    "measure",
                    f"{facts.name} → an NPS KPI on the 0–10 scale (9–10 promoters, 0–6 detractors)",
                    Aggregation.NPS,
                    NPS_SCALE,
                    kpi_name="NPS",
                    perspective="Customer",
                )
            )
    return out
