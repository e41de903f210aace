"""The design document: canonical bytes, precise errors, schema, and upgrades."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scorecard_studio.domain.design_codec import dumps_design, loads_design
from scorecard_studio.domain.design_schema import design_json_schema
from scorecard_studio.domain.errors import DesignError
from scorecard_studio.domain.model import (
    Aggregation,
    Kpi,
    Measure,
    Perspective,
    Scorecard,
    TargetOverride,
    TargetSet,
    TargetValues,
    Tiering,
)
from scorecard_studio.engines.design_file import design_from_text, load_design, save_design

CARD = Scorecard(
    "Customer scorecard",
    (
        Perspective(
            "customer",
            "Customer",
            2.5,
            kpis=(
                Kpi(
                    "nps",
                    "Net Promoter Score",
                    Measure(Aggregation.NPS, source="survey", column="nps"),
                    TargetSet(
                        TargetValues(baseline=0, target=40.5),
                        (TargetOverride(TargetValues(target=50), tier="tier_1"),),
                    ),
                    owner="Head of CX",
                ),
            ),
        ),
    ),
    tiering=Tiering(values=(("Gold", "tier_1"),)),
)


def test_round_trip_is_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    save_design(CARD, path)
    first = path.read_bytes()
    loaded = load_design(path)
    assert loaded == CARD
    save_design(loaded, path)
    assert path.read_bytes() == first
    doc = json.loads(first)
    assert list(doc)[:2] == ["schema_version", "name"]  # stable, logical key order


def test_committed_schema_matches_the_model(repo_root: Path) -> None:
    committed = json.loads((repo_root / "resources" / "design.schema.json").read_text())
    assert committed == design_json_schema(), "regenerate resources/design.schema.json"


def _with(mutate: object) -> str:
    doc = json.loads(dumps_design(CARD))
    mutate(doc)  # type: ignore[operator]
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["perspectives"][0].update(weight=-1),
            r"perspectives\[0\]\.weight: -1 is less",
        ),
        (
            lambda d: d["perspectives"][0]["kpis"][0].update(weight="3"),
            r"kpis\[0\]\.weight: '3' is not of type 'number'",
        ),
        (
            lambda d: d["perspectives"][0]["kpis"][0]["measure"].update(aggregation="avg"),
            r"measure\.aggregation: 'avg' is not one of",
        ),
        (
            lambda d: d["perspectives"][0]["kpis"][0].update(colour="red"),
            r"kpis\[0\]\.colour: unknown field",
        ),
        (lambda d: d["perspectives"][0].pop("name"), r"perspectives\[0\]: 'name' is required"),
        (lambda d: d.update(schema_version=99), r"schema_version: version 99 is newer"),
        (lambda d: d.pop("schema_version"), r"schema_version: this field is required"),
        (
            lambda d: (
                d["settings"].update(cap=2) if "settings" in d else d.update(settings={"cap": 2})
            ),
            r"settings\.cap: 2 is greater than the maximum of 1\.5",
        ),
        (
            lambda d: d["perspectives"][0]["kpis"][0].update(id="has space"),
            r"kpis\[0\]\.id: 'has space' does not match",
        ),
    ],
)
def test_bad_documents_name_the_field(mutate: object, message: str) -> None:
    with pytest.raises(DesignError, match=message):
        design_from_text(_with(mutate), "design.json")


def test_not_json_gives_line_and_column() -> None:
    with pytest.raises(DesignError, match=r"d\.json: not valid JSON: .* line 2 column"):
        design_from_text('{"a": 1,\n oops}', "d.json")


def test_codec_itself_checks_types_without_the_schema() -> None:
    with pytest.raises(DesignError, match=r"perspectives\[0\]\.weight: expected a number"):
        loads_design(
            '{"schema_version": 2, "name": "x", '
            '"perspectives": [{"id": "p", "name": "P", "weight": true}]}'
        )


def test_load_errors_for_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(DesignError, match="no such file"):
        load_design(tmp_path / "missing.json")
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DesignError, match="not a design file"):
        load_design(binary)


def test_version_1_documents_are_upgraded() -> None:
    v1 = {
        "schema_version": 1,
        "name": "Old",
        "tiers": ["Gold", "Silver"],
        "perspectives": [
            {
                "id": "c",
                "name": "Customer",
                "kpis": [
                    {
                        "id": "nps",
                        "name": "NPS",
                        "aggregation": "nps",
                        "source": "survey",
                        "column": "score",
                        "baseline": 0,
                        "target": 40,
                    }
                ],
            }
        ],
    }
    card = design_from_text(json.dumps(v1))
    assert [t.id for t in card.tiers] == ["gold", "silver"]
    kpi = card.perspectives[0].kpis[0]
    assert kpi.measure == Measure(Aggregation.NPS, source="survey", column="score")
    assert kpi.targets.default == TargetValues(baseline=0, target=40)
    assert json.loads(dumps_design(card))["schema_version"] == 2
