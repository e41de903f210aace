"""Findings: what the design checks and the data checks have to say, item by item."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """Errors block export; warnings are listed in it; info is shown, never blocks."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a user should know, tied to the item it concerns.

    ``item`` is the id of a KPI, objective, perspective, tier or data source (empty for the
    scorecard as a whole); ``code`` is stable so the window and reports can group findings.
    """

    severity: Severity
    code: str
    item: str
    message: str

    def to_json_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "item": self.item,
            "message": self.message,
        }


def has_errors(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
