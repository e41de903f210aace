"""The scorecard's vocabulary: the enumerations and status constants a design is made of.

Kept apart from the dataclasses of ``model`` because these words are read everywhere (the
engines, the CLI text, the window) while the dataclasses change with the design; ``model``
re-exports every name so ``from scorecard_studio.domain.model import Status`` keeps working.
The meaning of each value is fixed by the domain specification (sections 1 to 3).
"""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    """Whether a higher actual is better. For ``linear`` scoring the targets decide."""

    HIGHER = "higher"
    LOWER = "lower"


class IndicatorType(StrEnum):
    """Leading indicators predict outcomes (usage, CES); lagging ones record them (churn)."""

    LEADING = "leading"
    LAGGING = "lagging"


class Aggregation(StrEnum):
    """How a KPI turns the rows of one (tier, period) into one actual."""

    SUM = "sum"
    MEAN = "mean"
    MEDIAN = "median"
    MIN = "min"
    MAX = "max"
    COUNT = "count"
    DISTINCT_COUNT = "distinct_count"
    LAST = "last"
    RATIO = "ratio"
    TTM_SUM = "ttm_sum"
    NPS = "nps"
    CSAT = "csat"
    CES = "ces"
    CHURN_RATE = "churn_rate"
    CLV_SIMPLE = "clv_simple"
    CLV_DISCOUNTED = "clv_discounted"
    FORMULA = "formula"


#: Aggregations computed from survey responses: they carry a sample size and a scale.
SURVEY_AGGREGATIONS = frozenset({Aggregation.NPS, Aggregation.CSAT, Aggregation.CES})

#: Aggregations a ``ratio`` numerator or denominator may use.
SIMPLE_AGGREGATIONS = frozenset(
    {
        Aggregation.SUM,
        Aggregation.MEAN,
        Aggregation.MEDIAN,
        Aggregation.MIN,
        Aggregation.MAX,
        Aggregation.COUNT,
        Aggregation.DISTINCT_COUNT,
        Aggregation.LAST,
    }
)


class ScoringMethod(StrEnum):
    """How an actual becomes a score in [0, cap] (specification section 3)."""

    LINEAR = "linear"
    RATIO = "ratio"
    RANGE = "range"
    BINARY = "binary"


class StatusRule(StrEnum):
    """Whether the RAG status comes from the score thresholds or a red-flag value."""

    SCORE = "score"
    RED_FLAG = "red_flag"


class Status(StrEnum):
    """RAG status of a score. ``NO_DATA`` is never red and never zero."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no_data"
    INSUFFICIENT_DATA = "insufficient_data"


#: Status codes as the engine stores them in its int8 arrays: 0 no data, 1 red, 2 amber,
#: 3 green (ordered so that a larger code is a better status among the colours), and 4 for a
#: roll-up with a score but too little of its weight covered to earn a colour.
STATUS_BY_CODE: tuple[Status, ...] = (
    Status.NO_DATA,
    Status.RED,
    Status.AMBER,
    Status.GREEN,
    Status.INSUFFICIENT_DATA,
)

#: How a status reads to people, and the shape that marks it wherever colour alone would
#: carry it (charts, tables, CLI text, report): one wording for every place.
STATUS_LABELS: dict[str, str] = {
    Status.GREEN: "Green",
    Status.AMBER: "Amber",
    Status.RED: "Red",
    Status.NO_DATA: "No data",
    Status.INSUFFICIENT_DATA: "Insufficient data",
}
STATUS_MARKS: dict[str, str] = {
    Status.GREEN: "●",
    Status.AMBER: "▲",
    Status.RED: "■",
    Status.NO_DATA: "–",
    Status.INSUFFICIENT_DATA: "◇",
}


class Frequency(StrEnum):
    """Length of a reporting period."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class MissingDataPolicy(StrEnum):
    """What a roll-up does with a child that has no score."""

    RENORMALISE = "renormalise"
    ZERO = "zero"


class FiscalYearLabel(StrEnum):
    """Which calendar year names a fiscal year that straddles two (``end`` is the US usage)."""

    END = "end"
    START = "start"


class CesMode(StrEnum):
    """CES as the mean answer, or as the share of answers in the top box."""

    MEAN = "mean"
    TOP_BOX = "top_box"


class Layout(StrEnum):
    """A data source with a column per measure (wide) or a metric-name column (long)."""

    WIDE = "wide"
    LONG = "long"


class DateOrder(StrEnum):
    """How ambiguous text dates such as 03/04/2026 are read."""

    AUTO = "auto"
    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


class ColumnScale(StrEnum):
    """How a column's numbers are meant when the file does not say (no % sign or format).

    Percentages are held as fractions everywhere (45% is 0.45): a column of 0–100 points
    is divided by 100 when it is read, a column of 0–1 fractions is kept and marked as a
    percentage.
    """

    PERCENT_FRACTION = "percent_0_1"
    PERCENT_POINTS = "percent_0_100"


class TierMode(StrEnum):
    """Where each row's tier comes from."""

    COLUMN = "column"
    RULES = "rules"


class TierWeighting(StrEnum):
    """How the headline weighs the tiers."""

    EQUAL = "equal"
    FIXED = "fixed"
    COLUMN = "column"
