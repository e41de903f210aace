"""The evidence part of a design: strategy-map links, at-risk rules, health bands, outcomes.

Kept beside the scorecard model rather than inside it because none of it changes how a
scorecard scores: it says how the scorecard's own numbers are to be tested against each
other (links, redundant KPIs) and against what customers did (renewals, churn). Every
field has a default, and the design codec leaves default fields out, so a design that uses
none of this saves to exactly the bytes it had before (specification section 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class LinkSign(StrEnum):
    """The direction a cause-and-effect link claims: more cause, more (or less) effect."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class StrategyLink:
    """A cause → effect link of the strategy map, between KPIs or objectives (by id).

    ``sign`` is what the link states about the *values*: escalations → churn is positive
    (more escalations, more churn), adoption → churn negative.
    """

    cause: str
    effect: str
    sign: LinkSign = LinkSign.POSITIVE
    note: str = ""


class RuleKind(StrEnum):
    """The generic shapes of an at-risk trigger over one account's values.

    ``below``/``above``: the value at t is below (above) the threshold. ``fall``/``rise``:
    the value at t is lower (higher) than N periods before by at least the threshold (an
    absolute amount, or a share of the earlier value when the rule is ``relative``).
    ``cross_below``/``cross_above``: at or above (below) the threshold at t−1, and below
    (above) it at t.
    """

    BELOW = "below"
    ABOVE = "above"
    FALL = "fall"
    RISE = "rise"
    CROSS_BELOW = "cross_below"
    CROSS_ABOVE = "cross_above"


#: Rule kinds that compare a value with an earlier one and so read ``periods``.
CHANGE_KINDS = frozenset({RuleKind.FALL, RuleKind.RISE})


@dataclass(frozen=True, slots=True)
class RiskRule:
    """One behavioural trigger: holds at period t for an account, with a reason.

    ``kpi`` names the KPI whose per-account value the rule reads; none means the account's
    health score. ``minimum_value`` limits the rule to accounts whose value at risk is at
    least that much (a fast fall in health matters most where much is at stake).
    """

    id: str
    name: str
    kind: RuleKind
    threshold: float
    kpi: str | None = None
    periods: int = 1
    relative: bool = False
    minimum_value: float | None = None


@dataclass(frozen=True, slots=True)
class HealthBands:
    """Health score at or above ``green`` is green, at or above ``amber`` amber, else red.

    Unset thresholds follow the scorecard's RAG thresholds (specification section 6).
    """

    green: float | None = None
    amber: float | None = None


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Where renewals and churn are recorded: one row per contract anniversary.

    ``column`` holds 1 (or ``renewed``/``yes``/``true``) for a renewal and 0 (or
    ``churned``/``no``/``false``) for a churn; the row's date places it in a period.
    ``horizon`` is h: an account at period t counts as due for renewal when it has an
    outcome in t+1 … t+h. ``fit_share`` is the share of the periods, from the first, on
    which band renewal rates are estimated; calibration is judged on the periods after.
    """

    source: str | None = None
    column: str | None = None
    horizon: int = 4
    fit_share: float = 0.5


@dataclass(frozen=True, slots=True)
class AccountValue:
    """What an account is worth to the at-risk list: a source column (ARR) or a KPI (CLV).

    A column is read from the account's latest dated row up to the period; a KPI is its
    per-account value in the period.
    """

    source: str | None = None
    column: str | None = None
    kpi: str | None = None


@dataclass(frozen=True, slots=True)
class Analytics:
    """All of a design's evidence settings; the default is "none of it"."""

    links: tuple[StrategyLink, ...] = ()
    risk_rules: tuple[RiskRule, ...] = ()
    bands: HealthBands = field(default_factory=HealthBands)
    outcomes: Outcomes = field(default_factory=Outcomes)
    value: AccountValue = field(default_factory=AccountValue)
    #: Fewer (customer, period) pairs than this and a correlation is "insufficient data".
    minimum_pairs: int = 30
    #: |Spearman r| at or above this makes two KPIs a redundant pair.
    redundancy_threshold: float = 0.9

    def band_thresholds(self, rag_green: float, rag_amber: float) -> tuple[float, float]:
        """(green, amber) health thresholds: the bands' own, else the RAG thresholds."""
        green = self.bands.green if self.bands.green is not None else rag_green
        amber = self.bands.amber if self.bands.amber is not None else rag_amber
        return green, amber


#: Lags, in periods, at which a link's correlation is measured (specification section 6).
LINK_LAGS: tuple[int, ...] = (0, 1, 2, 3, 4)
