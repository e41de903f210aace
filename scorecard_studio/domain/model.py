"""The scorecard design as plain, immutable dataclasses.

A design is a value: every edit builds a new ``Scorecard`` (``dataclasses.replace``) instead
of mutating one in place. That keeps undo commands trivial (the inverse of an edit is the
old value), makes versions cheap to compare, and lets the scoring engine cache on identity.

Nothing here knows about files, Qt, SQL or pandas; the meaning of every field is fixed by the
domain specification (sections 1 to 3) and summarised in each docstring.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scorecard_studio.domain.analytics import Analytics
from scorecard_studio.domain.vocabulary import (
    SIMPLE_AGGREGATIONS,
    STATUS_BY_CODE,
    STATUS_LABELS,
    STATUS_MARKS,
    SURVEY_AGGREGATIONS,
    Aggregation,
    CesMode,
    ColumnScale,
    DateOrder,
    Direction,
    FiscalYearLabel,
    Frequency,
    IndicatorType,
    Layout,
    MissingDataPolicy,
    ScoringMethod,
    Status,
    StatusRule,
    TierMode,
    TierWeighting,
)

__all__ = [
    "DEFAULT_SCALES",
    "DEFAULT_TIERS",
    "SIMPLE_AGGREGATIONS",
    "STATUS_BY_CODE",
    "STATUS_LABELS",
    "STATUS_MARKS",
    "SURVEY_AGGREGATIONS",
    "TARGET_FIELDS",
    "Aggregation",
    "CesMode",
    "ColumnScale",
    "ColumnUnit",
    "DataSource",
    "DateOrder",
    "Direction",
    "FiscalYearLabel",
    "Frequency",
    "IndicatorType",
    "Kpi",
    "Layout",
    "Measure",
    "MissingDataPolicy",
    "Objective",
    "Perspective",
    "Raci",
    "RagThresholds",
    "Scorecard",
    "ScoringMethod",
    "Settings",
    "Status",
    "StatusRule",
    "SurveyScale",
    "TargetOverride",
    "TargetSet",
    "TargetValues",
    "Tier",
    "TierMode",
    "TierRule",
    "TierWeighting",
    "TierWeights",
    "Tiering",
]


@dataclass(frozen=True, slots=True)
class TargetValues:
    """Baseline, target and their optional companions, in the KPI's own units.

    ``baseline`` scores 0 and ``target`` scores 1; ``stretch`` (beyond the target) scores the
    scorecard's cap, so over-achievement is rewarded only up to a stated level. ``red_flag``
    is a value on the bad side of the target at which the status turns red. ``low``/``high``
    and ``tolerance`` serve the ``range`` method.
    """

    baseline: float | None = None
    target: float | None = None
    stretch: float | None = None
    red_flag: float | None = None
    low: float | None = None
    high: float | None = None
    tolerance: float | None = None

    def merged_over(self, base: TargetValues) -> TargetValues:
        """Fields set here win; unset ones are inherited from ``base``."""
        return TargetValues(
            *(
                mine if mine is not None else theirs
                for mine, theirs in zip(_values(self), _values(base), strict=True)
            )
        )

    def is_empty(self) -> bool:
        return all(v is None for v in _values(self))


def _values(tv: TargetValues) -> tuple[float | None, ...]:
    return (tv.baseline, tv.target, tv.stretch, tv.red_flag, tv.low, tv.high, tv.tolerance)


TARGET_FIELDS: tuple[str, ...] = (
    "baseline",
    "target",
    "stretch",
    "red_flag",
    "low",
    "high",
    "tolerance",
)


@dataclass(frozen=True, slots=True)
class TargetOverride:
    """Targets for one tier, one period, or one (tier, period); unset fields inherit."""

    values: TargetValues
    tier: str | None = None
    period: str | None = None

    @property
    def specificity(self) -> int:
        """Most specific wins: tier+period (3), tier (2), period (1)."""
        return (2 if self.tier is not None else 0) + (1 if self.period is not None else 0)


@dataclass(frozen=True, slots=True)
class TargetSet:
    """A KPI's default targets with optional per-tier and per-period overrides."""

    default: TargetValues = field(default_factory=TargetValues)
    overrides: tuple[TargetOverride, ...] = ()

    def resolve(self, tier: str | None, period: str | None) -> TargetValues:
        """The targets in force for (tier, period): most specific override first.

        Resolution layers the matching overrides from least to most specific over the
        default, so a tier override that sets only ``target`` keeps the default baseline.
        """
        values = self.default
        matching = [
            o
            for o in self.overrides
            if (o.tier is None or o.tier == tier) and (o.period is None or o.period == period)
        ]
        for override in sorted(matching, key=lambda o: o.specificity):
            values = override.values.merged_over(values)
        return values

    def override_for(self, tier: str | None, period: str | None) -> TargetOverride | None:
        """The override set exactly for (tier, period), if any."""
        for o in self.overrides:
            if o.tier == tier and o.period == period:
                return o
        return None


@dataclass(frozen=True, slots=True)
class SurveyScale:
    """Scale of a survey question and the 'top box' that counts as satisfied."""

    minimum: float
    maximum: float
    box_low: float
    box_high: float


DEFAULT_SCALES: dict[Aggregation, SurveyScale] = {
    Aggregation.NPS: SurveyScale(0, 10, 9, 10),
    Aggregation.CSAT: SurveyScale(1, 5, 4, 5),
    Aggregation.CES: SurveyScale(1, 7, 5, 7),
}


@dataclass(frozen=True, slots=True)
class Measure:
    """What a KPI measures and how rows become its actual.

    Only the fields its ``aggregation`` needs are set:

    * simple aggregations and TTM: ``column`` (``count`` may omit it to count rows);
    * ``ratio``: ``column``/``aggregation_of_column`` over ``denominator``/
      ``aggregation_of_denominator``;
    * survey metrics: ``column`` of responses, optional ``scale`` and ``ces_mode``;
    * ``churn_rate``: ``start_column`` (customer since) and ``end_column`` (lost on, blank
      while active), one row per account;
    * CLV: ``column`` of margin per row, ``retention_column`` (fraction) or
      ``retention_rate``, ``discount_rate`` and, for the discounted form, ``horizon``;
    * ``formula``: ``formula`` over other KPIs' ids.
    """

    aggregation: Aggregation
    source: str | None = None
    column: str | None = None
    aggregation_of_column: Aggregation = Aggregation.SUM
    denominator: str | None = None
    aggregation_of_denominator: Aggregation = Aggregation.SUM
    scale: SurveyScale | None = None
    ces_mode: CesMode = CesMode.MEAN
    start_column: str | None = None
    end_column: str | None = None
    retention_column: str | None = None
    retention_rate: float | None = None
    discount_rate: float = 0.1
    horizon: int = 5
    formula: str | None = None

    def effective_scale(self) -> SurveyScale | None:
        """The configured scale, else the default scale of a survey metric."""
        if self.scale is not None:
            return self.scale
        return DEFAULT_SCALES.get(self.aggregation)


@dataclass(frozen=True, slots=True)
class Raci:
    """Who does what about a KPI (specification section 7, ownership).

    ``accountable`` is one person, the one a QBR names beside the number (RACI's rule: a
    shared accountability is nobody's); the others may be several people or teams.
    """

    responsible: tuple[str, ...] = ()
    accountable: str = ""
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Kpi:
    """One measure of the scorecard (specification section 1)."""

    id: str
    name: str
    measure: Measure
    targets: TargetSet = field(default_factory=TargetSet)
    weight: float = 1.0
    direction: Direction = Direction.HIGHER
    indicator: IndicatorType = IndicatorType.LAGGING
    method: ScoringMethod = ScoringMethod.LINEAR
    status_rule: StatusRule = StatusRule.SCORE
    description: str = ""
    unit: str = ""
    number_format: str = "0.00"
    owner: str = ""
    notes: str = ""
    #: Responsible, accountable, consulted and informed; the default leaves the document
    #: unchanged, and an unset ``accountable`` falls back to ``owner`` (:meth:`accountable`).
    raci: Raci = field(default_factory=Raci)

    @property
    def accountable(self) -> str:
        """The person accountable for the KPI: the RACI's, else the KPI's owner ("" if none)."""
        return self.raci.accountable or self.owner


@dataclass(frozen=True, slots=True)
class Objective:
    """An optional group of KPIs inside a perspective."""

    id: str
    name: str
    weight: float = 1.0
    kpis: tuple[Kpi, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Perspective:
    """A top-level group: objectives, and KPIs that sit directly in it."""

    id: str
    name: str
    weight: float = 1.0
    objectives: tuple[Objective, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Tier:
    """A customer segment; ``weight`` is used when tiers are weighted ``fixed``."""

    id: str
    name: str
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class TierRule:
    """Rows whose ``column`` value is at least ``minimum`` belong to ``tier`` (first match)."""

    tier: str
    minimum: float


@dataclass(frozen=True, slots=True)
class Tiering:
    """How each row gets its tier.

    ``column`` mode reads a tier column of each source (``values`` maps raw cell text to
    tier ids; tier ids and names match without a mapping). A source without a tier column
    takes the tier of its key from the ``source`` named here. ``rules`` mode derives the
    tier from a numeric ``column`` of ``source`` by thresholds, taken per key from its
    latest row.
    """

    mode: TierMode = TierMode.COLUMN
    source: str | None = None
    column: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    rules: tuple[TierRule, ...] = ()


@dataclass(frozen=True, slots=True)
class TierWeights:
    """How tier scores combine into the headline."""

    mode: TierWeighting = TierWeighting.EQUAL
    source: str | None = None
    column: str | None = None


@dataclass(frozen=True, slots=True)
class RagThresholds:
    """Score at or above ``green`` is green, at or above ``amber`` amber, else red."""

    green: float = 1.0
    amber: float = 0.7


@dataclass(frozen=True, slots=True)
class Settings:
    """Scorecard-wide settings (specification sections 1 to 3)."""

    frequency: Frequency = Frequency.QUARTER
    fiscal_year_start_month: int = 1
    fiscal_year_label: FiscalYearLabel = FiscalYearLabel.END
    timezone: str = "UTC"
    cap: float = 1.0
    rag: RagThresholds = field(default_factory=RagThresholds)
    missing_data: MissingDataPolicy = MissingDataPolicy.RENORMALISE
    minimum_sample: int = 30
    currency: str = "USD"
    #: A roll-up with less of its weight covered than this keeps its score but earns no
    #: colour: its status is "insufficient data" (specification section 3).
    minimum_coverage: float = 0.5
    #: Governance (specification section 7): a version may be frozen only once every red
    #: KPI of its reporting period has commentary, and only once it is approved.
    require_commentary_on_red: bool = False
    require_approval: bool = False
    #: A KPI red for this many consecutive periods with no open action is escalated.
    escalation_periods: int = 2


@dataclass(frozen=True, slots=True)
class ColumnUnit:
    """The scale a data source's column is read with, saved so each refresh reads it alike."""

    column: str
    scale: ColumnScale


@dataclass(frozen=True, slots=True)
class DataSource:
    """Where a table of rows comes from and what its columns mean: its import profile.

    Kept in the design so the same file can be refreshed later: ``columns`` records the
    columns seen at import, so a refreshed file whose columns changed is reported.
    ``file_pattern`` (a glob such as ``stripe_payments_*.csv``) finds next month's file in
    a folder, the newest match winning; ``tier_values`` maps the values of the tier column
    as the source writes them to the design's tier names; ``units`` gives the scale of
    columns whose percentages the file does not mark.
    """

    id: str
    name: str
    file: str = ""
    sheet: str | None = None
    layout: Layout = Layout.WIDE
    key_column: str | None = None
    date_column: str | None = None
    period_column: str | None = None
    tier_column: str | None = None
    metric_column: str | None = None
    value_column: str | None = None
    date_order: DateOrder = DateOrder.AUTO
    header_row: int | None = None
    columns: tuple[str, ...] = ()
    file_pattern: str = ""
    tier_values: tuple[tuple[str, str], ...] = ()
    units: tuple[ColumnUnit, ...] = ()
    name_column: str | None = None  # the customer's name (Salesforce's ``Name``); not scored


DEFAULT_TIERS: tuple[Tier, ...] = tuple(Tier(f"tier_{i}", f"Tier {i}") for i in range(1, 5))


@dataclass(frozen=True, slots=True)
class RetiredKpi:
    """A KPI taken out of the design with a reason (``domain/retirement.py``): it is no
    longer scored, but its definition stays so trends and the version diff can name it."""

    kpi: Kpi
    reason: str
    retired_on: str = ""  # ISO date
    perspective: str = ""  # the perspective it sat in (id)
    objective: str = ""  # the objective it sat in (id); "" when directly in the perspective


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A whole scorecard design: what a version stores and a design file holds."""

    name: str
    perspectives: tuple[Perspective, ...] = ()
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    tiering: Tiering = field(default_factory=Tiering)
    tier_weights: TierWeights = field(default_factory=TierWeights)
    settings: Settings = field(default_factory=Settings)
    sources: tuple[DataSource, ...] = ()
    description: str = ""
    #: Strategy-map links, at-risk rules, health bands and outcomes (specification
    #: section 6); the default leaves a design's document unchanged.
    analytics: Analytics = field(default_factory=Analytics)
    retired: tuple[RetiredKpi, ...] = ()

    def all_kpis(self) -> list[Kpi]:
        """Every KPI in tree order: per perspective, direct KPIs then objectives' KPIs."""
        out: list[Kpi] = []
        for p in self.perspectives:
            out.extend(p.kpis)
            for o in p.objectives:
                out.extend(o.kpis)
        return out

    def kpi(self, kpi_id: str) -> Kpi:
        for k in self.all_kpis():
            if k.id == kpi_id:
                return k
        raise KeyError(kpi_id)

    def source(self, source_id: str) -> DataSource:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def tier_ids(self) -> list[str]:
        return [t.id for t in self.tiers]
