"""Customer analytics: account health, calibration, at-risk accounts, strategy-map evidence.

Specification section 6. ``analyze`` is the interface; ``Evidence`` is what it returns and
what the window, the CLI and the report read.
"""

from scorecard_studio.engines.analytics.api import analyze
from scorecard_studio.engines.analytics.evidence import AccountHealth, Evidence, TierHealth
from scorecard_studio.engines.analytics.links import VERDICT_LABELS, Verdict

__all__ = ["VERDICT_LABELS", "AccountHealth", "Evidence", "TierHealth", "Verdict", "analyze"]
