"""Fuzzing ``check``, ``score`` and ``store import`` with generated hostile documents.

Each example is a genuine document with one field replaced by something hostile (a huge or
deep value, the wrong type), or raw text. Whatever it is, the command either works or says
why in one line with exit 2; it never raises, stays within a memory bound, and a refused
import leaves the store exactly as it was. Examples are few and small, so this runs in
seconds; the deterministic tests beside it cover each limit by value.
"""

from __future__ import annotations

import json
import sqlite3
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard_studio.cli.main import run_cli
from scorecard_studio.domain.design_codec import scorecard_to_dict
from scorecard_studio.domain.model import (
    Aggregation,
    DataSource,
    Kpi,
    Measure,
    Objective,
    Perspective,
    Scorecard,
    TargetSet,
    TargetValues,
)

#: Most bytes Python may allocate while one command runs on one small hostile document.
MEMORY_BOUND = 64 * 1024 * 1024

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def _design() -> dict[str, Any]:
    source = DataSource("billing", "Billing", file="billing.csv", date_column="month")
    revenue = Kpi(
        "revenue",
        "Revenue",
        Measure(Aggregation.SUM, source="billing", column="amount"),
        TargetSet(TargetValues(baseline=0, target=200)),
    )
    margin = Kpi(
        "margin",
        "Margin",
        Measure(Aggregation.FORMULA, formula="revenue * 2"),
        TargetSet(TargetValues(baseline=0, target=100)),
    )
    growth = Objective("growth", "Growth", kpis=(margin,))
    card = Scorecard(
        "Fuzz",
        (Perspective("fin", "Financial", objectives=(growth,), kpis=(revenue,)),),
        sources=(source,),
    )
    return scorecard_to_dict(card)


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path to a value inside a JSON document (the places a mutation may hit)."""
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, (*prefix, i))
    return out


def _replace(document: Any, path: tuple[object, ...], new: object) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(document))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return copy


_DEEP = "__deep__"

hostile_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=40),
        st.sampled_from(["", "-" * 500 + "revenue", "+".join(["revenue"] * 300), _DEEP]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _text(document: object) -> str:
    """JSON text; a ``_DEEP`` marker becomes a value nested 5,000 levels deep."""
    return json.dumps(document).replace(f'"{_DEEP}"', "[" * 5000 + "]" * 5000)


@st.composite
def hostile_designs(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=200))
    base = _design()
    path = draw(st.sampled_from(_paths(base)))
    return _text(_replace(base, path, draw(hostile_values)))


def _run_bounded(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    tracemalloc.start()
    try:
        code = run_cli(argv)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    err = capsys.readouterr().err
    assert peak < MEMORY_BOUND
    assert code in (0, 1, 2), err
    if code == 2:
        assert err.startswith("scorecard-studio: "), err
        assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return code, err


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    pd.DataFrame({"month": ["2026-07-01", "2026-08-01"], "amount": [1.0, 2.0]}).to_csv(
        folder / "billing.csv", index=False
    )
    return folder


@FUZZ
@given(text=hostile_designs(), command=st.sampled_from(["check", "score"]))
def test_check_and_score_never_raise(
    folder: Path, capsys: pytest.CaptureFixture[str], text: str, command: str
) -> None:
    design = folder / "design.json"
    design.write_text(text, encoding="utf-8", errors="surrogatepass")
    extra = ["--data", str(folder / "billing.csv")] if command == "score" else []
    _run_bounded([command, str(design), *extra], capsys)


# --- store import ---------------------------------------------------------------------------


def _state(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [(t, *row) for t in sorted(tables) for row in db.execute(f"SELECT * FROM {t}")]


@pytest.fixture(scope="module")
def genuine(folder: Path) -> tuple[Path, Path]:
    """A store holding one scorecard, and that scorecard exported as a .scorecard file."""
    from scorecard_studio.engines.design_file import design_from_text
    from scorecard_studio.engines.store import open_store

    store_path = folder / "store.sqlite3"
    card = design_from_text(json.dumps(_design()))
    table = pd.read_csv(folder / "billing.csv")
    with open_store(store_path) as store:
        store.save(card, {"billing": table}, "one")
        store.save(card, None, "two")
        exported = store.export_scorecard("Fuzz", folder / "fuzz.scorecard")
    return store_path, exported


@st.composite
def hostile_portables(draw: st.DrawFn, exported: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(exported) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    manifest = json.loads(entries["manifest.json"])
    choice = draw(st.integers(0, 9))
    if choice == 0:
        entries["manifest.json"] = draw(st.binary(max_size=200))
    elif choice == 1:
        name = draw(st.sampled_from(sorted(n for n in entries if n != "manifest.json")))
        entries[name] = draw(st.binary(max_size=200))
    else:
        path = draw(st.sampled_from(_paths(manifest)))
        entries["manifest.json"] = _text(_replace(manifest, path, draw(hostile_values))).encode()
    return entries


@FUZZ
@given(data=st.data())
def test_store_import_refuses_in_one_line_and_changes_nothing(
    genuine: tuple[Path, Path],
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    data: st.DataObject,
) -> None:
    store_path, exported = genuine
    entries = data.draw(hostile_portables(exported))
    hostile = folder / "hostile.scorecard"
    with zipfile.ZipFile(hostile, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    before = _state(store_path)
    code, _err = _run_bounded(
        ["store", "import", str(hostile), "--store-path", str(store_path)], capsys
    )
    if code == 2:
        assert _state(store_path) == before
    capsys.readouterr()
    assert run_cli(["store", "verify", "--store-path", str(store_path)]) == 0, capsys.readouterr()
    capsys.readouterr()
