"""Build the bundled sample scorecard that a first start opens.

    python sample_workbooks/build_sample.py

It is the customer-centric template on the sample data, with a short history a consultant
would recognise: the first version, a workshop's re-weighting frozen as the last QBR, and a
later change of target. The result is one portable ``.scorecard`` file (and the head
design as JSON, which the window shows while the file is being read).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from build_templates import ROOT, customer_centric

from scorecard_studio.domain import edits
from scorecard_studio.domain.design_codec import dumps_design
from scorecard_studio.domain.model import TargetValues
from scorecard_studio.engines.data_loading import load_source_tables
from scorecard_studio.engines.store import open_store

SAMPLE_NAME = "Customer-centric scorecard (sample)"
AUTHOR = "Sample consultant"


def main() -> None:
    out = ROOT / "resources" / "sample"
    out.mkdir(parents=True, exist_ok=True)
    card = replace(customer_centric(), name=SAMPLE_NAME)
    tables = load_source_tables(card, [ROOT / "sample_workbooks" / "customer_data.xlsx"])
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store.sqlite3")
        try:
            store.save(
                card,
                tables,
                "First version from the customer-centric template",
                AUTHOR,
                parent=None,
            )
            card = edits.set_weight(card, "customer", 2.0)
            card = edits.set_weight(card, "nps", 1.5)
            store.save(
                card, None, "Q2 workshop: more weight on the customer perspective", AUTHOR, parent=1
            )
            store.freeze(SAMPLE_NAME, 2, "QBR 2026 Q2", AUTHOR)
            card = edits.set_targets(
                card, "csat", TargetValues(baseline=0.65, target=0.82, stretch=0.9)
            )
            store.save(
                card, None, "Raise the CSAT target for the next fiscal year", AUTHOR, parent=2
            )
            store.export_scorecard(SAMPLE_NAME, out / "sample.scorecard")
        finally:
            store.close()
    (out / "sample_design.json").write_text(dumps_design(card), encoding="utf-8")
    print(f"wrote {out / 'sample.scorecard'} and sample_design.json (3 versions, v2 frozen)")


if __name__ == "__main__":
    main()
