"""The Excel QBR report engine (openpyxl): one call, ``export_report``."""

from scorecard_studio.engines.export.context import ReportProvenance
from scorecard_studio.engines.export.report import (
    SHEETS,
    ExportRefusedError,
    ExportSummary,
    export_report,
)

__all__ = ["SHEETS", "ExportRefusedError", "ExportSummary", "ReportProvenance", "export_report"]
