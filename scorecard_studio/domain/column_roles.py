"""First guesses of what a freshly imported column means, from its name and type.

The import wizard pre-selects these so that a typical CRM or billing export needs no
clicks; the user confirms or changes every role before anything is imported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

_KEY = re.compile(r"(^|_)(customer|account|client|company|org)?_?(id|key|number|no)$")
_CUSTOMER_KEY = re.compile(r"(customer|account|client|company|org)_?(id|key|number|no)$")
_KEY_NAMES = {"customer", "account", "client", "company", "customerid", "accountid"}
_DATE = re.compile(r"(date|day|time|timestamp|responded|created|closed|invoiced|_at|_on)$")
_PERIOD = re.compile(r"^(period|quarter|month|fiscal_?(period|quarter|month)|year_?month)$")
_TIER = re.compile(r"(^|_)(tier|segment_?tier|customer_?tier)$")
_METRIC = re.compile(r"^(metric|measure|kpi|indicator|variable)(_?name)?$")
_VALUE = re.compile(r"^(value|amount|score|result)$")


#: Known exporters' columns for each role, first match wins (the importer names the
#: exporter, see the import docs); they beat the guesses from names alone.
EXPORTER_ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "Salesforce": {
        "key_column": ("Id",),
        "date_column": ("CloseDate", "CreatedDate"),
        "tier_column": ("Type",),
    },
    "Stripe": {
        "key_column": ("Customer ID", "Customer Email"),
        "date_column": ("Created date (UTC)", "Created (UTC)"),
    },
    "Google Forms": {"date_column": ("Timestamp",)},
    "Qualtrics": {"key_column": ("ExternalReference",), "date_column": ("RecordedDate",)},
    "SurveyMonkey": {"key_column": ("RespondentID",), "date_column": ("EndDate", "StartDate")},
    "Jira": {
        "key_column": ("Issue key", "Clé de ticket", "Vorgangsschlüssel", "Schlüssel"),
        "date_column": ("Created", "Création", "Erstellt", "Creada"),
    },
}


@dataclass(frozen=True, slots=True)
class RoleGuess:
    """Column names for each role (None when no column looks like it)."""

    key_column: str | None = None
    date_column: str | None = None
    period_column: str | None = None
    tier_column: str | None = None
    metric_column: str | None = None
    value_column: str | None = None

    @property
    def long(self) -> bool:
        """A metric-name column and a value column: the long layout."""
        return self.metric_column is not None and self.value_column is not None


def normalise(name: str) -> str:
    """``"Customer ID"`` → ``"customer_id"``: how names are compared with the patterns."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def guess_roles(
    columns: Sequence[str], types: Mapping[str, str], exporter: str | None = None
) -> RoleGuess:
    """Pick, for each role, the first column whose name (or type, for dates) fits it.

    For a known ``exporter`` its own columns come first (a Salesforce account export's
    ``Id`` and ``Type``, Stripe's ``Created date (UTC)``), then the guesses by name.
    """
    guess = _guess_by_name(columns, types)
    known = EXPORTER_ROLES.get(exporter or "", {})
    chosen = {role: next((c for c in names if c in columns), None) for role, names in known.items()}
    found: dict[str, str | None] = {r: c for r, c in chosen.items() if c is not None}
    if "date_column" in found:
        found["period_column"] = None
    return replace(guess, **found) if found else guess


def _guess_by_name(columns: Sequence[str], types: Mapping[str, str]) -> RoleGuess:
    """The guess from the columns' names and types alone."""

    def first(test: object) -> str | None:
        for column in columns:
            if test(column):  # type: ignore[operator]
                return column
        return None

    def named(pattern: re.Pattern[str]) -> object:
        return lambda c: bool(pattern.search(normalise(c)))

    # A customer or account id beats any other id (a survey export also has response ids).
    key = first(
        lambda c: normalise(c) in _KEY_NAMES or bool(_CUSTOMER_KEY.search(normalise(c)))
    ) or first(lambda c: bool(_KEY.search(normalise(c))))
    date = first(
        lambda c: c != key and (types.get(c) == "date" or bool(_DATE.search(normalise(c))))
    )
    return RoleGuess(
        key_column=key,
        date_column=date,
        period_column=None if date else first(named(_PERIOD)),
        tier_column=first(named(_TIER)),
        metric_column=first(named(_METRIC)),
        value_column=first(named(_VALUE)),
    )
