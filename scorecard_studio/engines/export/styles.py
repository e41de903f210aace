"""The report's look: one place for fonts, fills, borders and RAG colours.

RAG fills are paired with a text label in every cell ("Green", "Amber"...), so the report
reads the same printed in grey or by a colour-blind reader.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from scorecard_studio.domain.model import STATUS_LABELS

BRAND = "1F3A5F"
HEADER_FILL = PatternFill("solid", fgColor=BRAND)
SUBHEADER_FILL = PatternFill("solid", fgColor="DCE3EC")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16, color=BRAND)
SECTION_FONT = Font(bold=True, size=12, color=BRAND)
SUBTITLE_FONT = Font(italic=True, color="555555")
#: The KPI detail's text sparkline: block glyphs in a light blue-grey, so they print as a
#: faint bar chart behind the figures rather than as solid black bars.
SPARK_FONT = Font(color="9DB3CC")
INPUT_FILL = PatternFill("solid", fgColor="FFF4CC")  # editable What-if inputs
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_INDENTED = Alignment(wrap_text=True, vertical="top", indent=1)
TOP = Alignment(vertical="top")
RIGHT = Alignment(horizontal="right")
CENTER = Alignment(horizontal="center", vertical="center")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="B7C3D0")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

RAG_FILLS = {
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "amber": PatternFill("solid", fgColor="FFEB9C"),
    "red": PatternFill("solid", fgColor="FFC7CE"),
    "no_data": PatternFill("solid", fgColor="EDEDED"),
    "insufficient_data": PatternFill("solid", fgColor="EDEDED"),
}
RAG_FONTS = {
    "green": Font(color="006100"),
    "amber": Font(color="7F6000"),
    "red": Font(color="9C0006"),
    "no_data": Font(color="666666", italic=True),
    "insufficient_data": Font(color="666666", italic=True),
}
RAG_LABELS = STATUS_LABELS

SCORE_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"
SHARE_FORMAT = "0.0%"
