"""Which system wrote an export, and where its header and data really are.

The systems users export from each have a fixed layout that general header detection
misreads: Qualtrics writes three header rows, SurveyMonkey two, Google Forms a header whose
first column is a date stamp that looks like data, Google Analytics a cover sheet before
its data sheets, Jira repeats column names. Each system is one small rule that looks at the
first rows of the sheet (the preview grid of :mod:`.detect`) and answers with a
:class:`Layout`, or None when the rows are not that system's. The first rule that answers
wins; when none does, :mod:`.detect` finds the header as for any table.

What each system means by its values (Salesforce's ``1``/empty booleans, Jira's localized
month names, Stripe's UTC columns) is applied to the read table by
:mod:`.exporter_values`, keyed by the exporter named here. Nothing here imports
pandas: the reader process runs it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from scorecard_studio.engines.importing.columns.cells import is_blank

Grid = list[list[object]]

GOOGLE_ANALYTICS = "Google Analytics"
JIRA = "Jira"
SALESFORCE = "Salesforce"
STRIPE = "Stripe"
SURVEYMONKEY = "SurveyMonkey"


@dataclass(frozen=True, slots=True)
class Layout:
    """An exporter's header: the row naming the columns and the header rows under it."""

    exporter: str
    header_row: int  # grid row (0-based) of the labels that name the columns
    skip: int = 0  # header rows under it that are not data (question text, import ids)
    names: tuple[str, ...] | None = None  # names built by the rule; None: the row's labels
    note: str = ""


def _cells(row: list[object], lo: int, hi: int) -> list[object]:
    return [row[c] if c < len(row) else None for c in range(lo, hi + 1)]


def _label(value: object) -> str:
    return "" if is_blank(value) else " ".join(str(value).split())


def _labels(grid: Grid, r: int, lo: int, hi: int) -> list[str]:
    return [_label(v) for v in _cells(grid[r], lo, hi)] if r < len(grid) else []


def _folded(labels: list[str]) -> set[str]:
    return {label.casefold() for label in labels if label}


# --- survey tools ---------------------------------------------------------------------

#: Qualtrics' third header row: ``{"ImportId":"startDate"}`` (JSON), or
#: ``{'ImportId': 'startDate'}`` in 2016 exports (a Python dict's text, not JSON).
_IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']\s*:""")
_LEGACY_CODE = re.compile(r"^V\d+$")


def _qualtrics(grid: Grid, lo: int, hi: int) -> Layout | None:
    ids = [v for v in _labels(grid, 2, lo, hi) if v]
    if len(grid) < 3 or not ids or not _labels(grid, 0, lo, hi)[0]:
        return None
    if sum(bool(_IMPORT_ID.match(v)) for v in ids) < 0.8 * len(ids):
        return None
    return Layout(
        "Qualtrics",
        0,
        2,
        note="Qualtrics export: columns are named by their export tags (row 1); the question "
        "text (row 2) and import ids (row 3) are header, not responses",
    )


def _qualtrics_legacy(grid: Grid, lo: int, hi: int) -> Layout | None:
    codes = _labels(grid, 0, lo, hi)
    labels = _labels(grid, 1, lo, hi)
    if len(codes) < 2 or not all(_LEGACY_CODE.match(c) for c in codes[:2]):
        return None
    if "responseid" not in _folded(labels):
        return None
    names = tuple(
        label if _LEGACY_CODE.match(code) and label else code or label
        for code, label in zip(codes, labels, strict=True)
    )
    return Layout(
        "Qualtrics (legacy)",
        0,
        1,
        names=names,
        note="legacy Qualtrics export: the V1…Vn codes are named by the label row under "
        "them, question columns keep their codes",
    )


_SM_ANSWER = {"response", "open-ended response"}
_SM_ID = {"respondentid", "respondent id", "collectorid", "collector id"}
_HTML_BREAK = re.compile(r"(?i)<br\s*/?>")


def _surveymonkey(grid: Grid, lo: int, hi: int) -> Layout | None:
    if len(grid) < 3:
        return None
    questions = [_HTML_BREAK.sub(" ", q) for q in _labels(grid, 0, lo, hi)]
    questions = [" ".join(q.split()) for q in questions]
    options = _labels(grid, 1, lo, hi)
    second = [v for v in _cells(grid[1], lo, hi) if not is_blank(v)]
    if not second or not all(isinstance(v, str) for v in second):
        return None
    answers = sum(o.casefold() in _SM_ANSWER for o in options)
    if answers == 0 or (answers < 2 and not _folded(questions) & _SM_ID):
        return None
    names: list[str] = []
    question = ""
    for q, option in zip(questions, options, strict=True):
        question = q or (question if option else "")
        if not option or option.casefold() in _SM_ANSWER:
            names.append(question)
        else:  # one column per option of a multiple-choice or ranking question
            names.append(f"{question} - {option}" if question else option)
    return Layout(
        SURVEYMONKEY,
        0,
        1,
        names=tuple(names),
        note="SurveyMonkey export: two header rows; a question answered in several columns "
        "names each column by the question and the option in the second row",
    )


#: Google Forms' first column, in the languages of its interface.
_FORMS_STAMP = {
    "timestamp",
    "marca temporal",
    "horodateur",
    "zeitstempel",
    "carimbo de data/hora",
    "informazioni cronologiche",
    "tijdstempel",
}
_DATE_TIME_TEXT = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}[ T,]+\d{1,2}:\d{2}")


def _google_forms(grid: Grid, lo: int, hi: int) -> Layout | None:
    header = _labels(grid, 0, lo, hi)
    if len(grid) < 2 or not header or header[0].casefold() not in _FORMS_STAMP:
        return None
    first = _cells(grid[1], lo, hi)[0]
    if not (isinstance(first, dt.datetime) or _DATE_TIME_TEXT.match(_label(first))):
        return None
    return Layout(
        "Google Forms",
        0,
        note="Google Forms responses: the header row starts with the response time stamp",
    )


# --- usage, support, CRM and billing --------------------------------------------------


def _google_analytics_text(grid: Grid, lo: int, hi: int) -> Layout | None:
    """Google Analytics' CSV export: ``# ----`` title lines above the header."""
    r = 0
    while r < len(grid) and (
        all(is_blank(v) for v in grid[r]) or _label(_cells(grid[r], lo, hi)[0]).startswith("#")
    ):
        r += 1
    titles = [i for i in range(r) if _label(_cells(grid[i], lo, hi)[0]).startswith("#")]
    if len(titles) < 2 or r >= len(grid):
        return None
    return Layout(
        GOOGLE_ANALYTICS,
        r,
        note="Google Analytics export: the '#' title lines above the header were skipped",
    )


#: Jira's issue key and summary columns in the languages of its interface.
_JIRA_KEY = {
    "issue key",
    "clé de ticket",
    "vorgangsschlüssel",
    "schlüssel",
    "clave de incidencia",
    "clave",
    "chiave",
    "chave",
}
_JIRA_SUMMARY = {"summary", "résumé", "zusammenfassung", "resumen", "riepilogo", "resumo"}


def _jira(grid: Grid, lo: int, hi: int) -> Layout | None:
    labels = _folded(_labels(grid, 0, lo, hi))
    if not (labels & _JIRA_KEY and labels & _JIRA_SUMMARY):
        return None
    return Layout(
        JIRA,
        0,
        note="Jira export: repeated column names (one per value of a multi-value field) are "
        "numbered; localized dates are read with their month names",
    )


_SALESFORCE_AUDIT = {
    "createddate",
    "createdbyid",
    "lastmodifieddate",
    "lastmodifiedbyid",
    "systemmodstamp",
    "isdeleted",
    "ownerid",
}


def _salesforce(grid: Grid, lo: int, hi: int) -> Layout | None:
    labels = _labels(grid, 0, lo, hi)
    if not labels or labels[0].casefold() != "id":
        return None
    if len(_folded(labels) & _SALESFORCE_AUDIT) < 2:
        return None
    return Layout(
        SALESFORCE,
        0,
        note="Salesforce object export: checkbox fields (Is…, Has…) written as 1 or empty "
        "are booleans",
    )


def _stripe(grid: Grid, lo: int, hi: int) -> Layout | None:
    labels = _folded(_labels(grid, 0, lo, hi))
    if not ({"id", "amount"} <= labels and labels & {"created date (utc)", "created (utc)"}):
        return None
    return Layout(
        STRIPE, 0, note="Stripe export: columns marked (UTC) are UTC times; card digits are text"
    )


#: Systems named by the header of their documented export, read like any table.
_NAMED_BY_HEADER: tuple[tuple[str, frozenset[str]], ...] = (
    ("Zendesk", frozenset({"summation column", "requester id"})),
    ("Freshdesk", frozenset({"ticket id", "first response time (in hrs)"})),
    ("HubSpot", frozenset({"record id", "create date"})),
    ("Chargebee", frozenset({"subscriptions.id", "customers.id"})),
)


def _named_by_header(grid: Grid, lo: int, hi: int) -> Layout | None:
    labels = _folded(_labels(grid, 0, lo, hi))
    for name, required in _NAMED_BY_HEADER:
        if required <= labels:
            return Layout(name, 0, note=f"{name} export")
    return None


#: The rules, tried in this order on the first rows of the sheet.
RULES: tuple[Callable[[Grid, int, int], Layout | None], ...] = (
    _qualtrics,
    _qualtrics_legacy,
    _surveymonkey,
    _google_forms,
    _google_analytics_text,
    _jira,
    _salesforce,
    _stripe,
    _named_by_header,
)


def detect_layout(grid: Grid, lo: int, hi: int) -> Layout | None:
    """The layout of the first exporter whose rule recognises the grid's first rows."""
    if not grid or hi < lo:
        return None
    for rule in RULES:
        layout = rule(grid, lo, hi)
        if layout is not None:
            return layout
    return None


_GA_DATASET = re.compile(r"^Dataset\d+$")


def workbook_exporter(sheet_names: list[str]) -> str | None:
    """The exporter a workbook's sheet names show: Google Analytics' Summary + DatasetN."""
    rest = sheet_names[1:]
    if sheet_names[:1] == ["Summary"] and rest and all(_GA_DATASET.match(n) for n in rest):
        return GOOGLE_ANALYTICS
    return None


def preferred_sheet(sheet_names: list[str]) -> str | None:
    """The sheet to import by default when the exporter puts a cover sheet first."""
    if workbook_exporter(sheet_names) == GOOGLE_ANALYTICS:
        return sheet_names[1]
    return None


def unlabelled_totals(exporter: str | None) -> bool:
    """Whether the exporter always ends a table with an unlabelled grand-total row.

    Google Analytics' totals cover every row of the report, also those not exported, so
    they need not equal the sums of the rows in the file.
    """
    return exporter == GOOGLE_ANALYTICS
