"""The import wizard's preview shows samples as the source displayed them."""

from __future__ import annotations

import pytest

from scorecard_studio.qt.dialogs.import_sheet_page import preview_text


@pytest.mark.parametrize(
    ("value", "column", "text"),
    [
        (3586.1783646399995, {"type": "number"}, "3,586.18"),
        (42.0, {"type": "number"}, "42"),
        (1234567.0, {"type": "number"}, "1,234,567"),
        (0.87, {"type": "percent"}, "87%"),
        (0.125, {"type": "percent"}, "12.5%"),
        (905200.0, {"type": "currency", "symbol": "$"}, "$905,200"),
        (1234.5, {"type": "currency", "symbol": "€"}, "€1,234.50"),
        (905200.0, {"type": "currency", "symbol": "USD"}, "$905,200"),
        ("2026-02-01", {"type": "date"}, "2026-02-01"),
        ("Tier 1", {"type": "text"}, "Tier 1"),
        (True, {"type": "boolean"}, "True"),
        (None, {"type": "number"}, ""),
    ],
)
def test_preview_text(value: object, column: dict[str, str], text: str) -> None:
    assert preview_text(value, column) == text
