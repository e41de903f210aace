"""The ``store`` commands and ``score``/``export --store NAME[@V]``, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from store_fixtures import billing_table, card, survey_table

from scorecard_studio.cli.main import run_cli
from scorecard_studio.engines.design_file import save_design
from scorecard_studio.engines.store import open_store


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A design file and its two CSV data files in one folder."""
    save_design(card(), tmp_path / "retention.json")
    save_design(card(target=300), tmp_path / "retention-v2.json")
    billing = billing_table(12, seed=2)
    billing["month"] = billing["month"].dt.strftime("%Y-%m-%d")
    billing.to_csv(tmp_path / "billing.csv", index=False)
    survey = survey_table()
    survey["date"] = survey["date"].dt.strftime("%Y-%m-%d")
    survey.to_csv(tmp_path / "survey.csv", index=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = run_cli(list(args))
    except SystemExit as stop:  # argparse's usage errors
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def _save_two(capsys: pytest.CaptureFixture[str], files: Path, sp: str) -> None:
    data = ["--data", str(files / "billing.csv"), "--data", str(files / "survey.csv")]
    assert (
        run(
            capsys,
            "store",
            "save",
            str(files / "retention.json"),
            *data,
            "-m",
            "Q3 draft",
            "--store-path",
            sp,
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "store",
            "save",
            str(files / "retention-v2.json"),
            "-m",
            "raise target",
            "--store-path",
            sp,
        )[0]
        == 0
    )


def test_save_list_log_diff_freeze_restore_verify(
    capsys: pytest.CaptureFixture[str], files: Path, store_path: Path
) -> None:
    sp = str(store_path)
    _save_two(capsys, files, sp)
    listed = run_json(capsys, "store", "list", "--store-path", sp)
    assert listed["scorecards"][0]["name"] == "Retention"  # type: ignore[index]
    assert listed["scorecards"][0]["head"] == 2  # type: ignore[index]
    log = run_json(capsys, "store", "log", "Retention", "--store-path", sp)
    versions = log["versions"]  # type: ignore[index]
    assert [v["message"] for v in versions] == ["Q3 draft", "raise target"]
    assert versions[1]["snapshot_hashes"] == versions[0]["snapshot_hashes"]
    assert sorted(versions[0]["snapshot_hashes"]) == ["billing", "survey"]
    diff = run_json(capsys, "store", "diff", "Retention", "1", "2", "--store-path", sp)
    assert diff["changes"] == [  # type: ignore[index]
        {
            "kind": "changed",
            "item": "kpi",
            "id": "revenue",
            "name": "Revenue",
            "field": "targets.default.target",
            "old": 200.0,
            "new": 300.0,
        }
    ]
    code, out, _ = run(capsys, "store", "diff", "Retention", "v1", "v2", "--store-path", sp)
    assert out.splitlines()[1] == "  ~ KPI revenue “Revenue”: targets.default.target 200 → 300"
    code, out, _ = run(
        capsys, "store", "freeze", "Retention", "1", "--label", "FY26 Q3 QBR", "--store-path", sp
    )
    assert out.strip() == "froze Retention v1 as 'FY26 Q3 QBR'"
    restored = run_json(capsys, "store", "restore", "Retention", "1", "--store-path", sp)
    assert (restored["number"], restored["restored"]) == (3, 1)  # type: ignore[index]
    code, out, _ = run(capsys, "store", "verify", "--store-path", sp)
    assert code == 0
    assert out.strip() == "store verified: 1 scorecard(s), 3 version(s), chains intact"
    code, out, _ = run(capsys, "store", "log", "Retention", "--store-path", sp)
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["v3", "v2", "v1"]
    audit = run_json(capsys, "store", "audit", "Retention", "--store-path", sp)
    ops = [e["operation"] for e in audit["entries"]]  # type: ignore[index]
    assert ops == ["save", "save", "freeze", "restore"]


def test_store_path_from_the_environment_and_before_the_subcommand(
    capsys: pytest.CaptureFixture[str],
    files: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env_store = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("SCORECARD_STUDIO_STORE", str(env_store))
    assert run(capsys, "store", "save", str(files / "retention.json"), "-m", "x")[0] == 0
    assert env_store.is_file()
    other = tmp_path / "other.sqlite3"
    assert (
        run(
            capsys,
            "store",
            "--store-path",
            str(other),
            "save",
            str(files / "retention.json"),
            "-m",
            "y",
        )[0]
        == 0
    )
    with open_store(other) as store:
        assert [c.name for c in store.list_scorecards()] == ["Retention"]


def test_errors_are_one_line_with_exit_2(
    capsys: pytest.CaptureFixture[str], files: Path, store_path: Path
) -> None:
    sp = str(store_path)
    code, _, err = run(capsys, "store", "log", "Nope", "--store-path", sp)
    assert code == 2
    assert (
        err.strip()
        == "scorecard-studio: no scorecard named 'Nope' in the store (the store is empty)"
    )
    _save_two(capsys, files, sp)
    code, _, err = run(
        capsys,
        "store",
        "save",
        str(files / "retention.json"),
        "-m",
        "stale",
        "--parent",
        "1",
        "--store-path",
        sp,
    )
    assert code == 2
    assert "latest version is v2, this save was based on v1" in err
    assert err.count("\n") == 1
    drafts = run_json(capsys, "store", "drafts", "--store-path", sp)
    assert [d["kind"] for d in drafts["drafts"]] == ["conflict"]  # type: ignore[index]
    code, _, err = run(
        capsys, "store", "freeze", "Retention", "x", "--label", "L", "--store-path", sp
    )
    assert code == 2
    assert "is not a version number" in err
    bad = files / "not-a-store.sqlite3"
    bad.write_text("hello, I am not a database" * 100)
    code, _, err = run(capsys, "store", "list", "--store-path", str(bad))
    assert code == 2
    assert "not a Scorecard Studio store" in err


def test_export_import_and_checkout(
    capsys: pytest.CaptureFixture[str], files: Path, store_path: Path, tmp_path: Path
) -> None:
    sp = str(store_path)
    _save_two(capsys, files, sp)
    out = tmp_path / "retention.scorecard"
    exported = run_json(
        capsys, "store", "export", "Retention", "--out", str(out), "--store-path", sp
    )
    assert exported["versions"] == 2  # type: ignore[index]
    client = str(tmp_path / "client.sqlite3")
    summary = run_json(capsys, "store", "import", str(out), "--store-path", client)
    assert summary["added"] == [1, 2]  # type: ignore[index]
    design = tmp_path / "checked-out.json"
    result = run_json(
        capsys, "store", "checkout", "Retention", "1", "--out", str(design), "--store-path", client
    )
    assert result["version"] == 1  # type: ignore[index]
    assert design.read_bytes() == (files / "retention.json").read_bytes()


def cli(*args: str, env_store: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "SCORECARD_STUDIO_STORE": str(env_store)}
    return subprocess.run(
        [sys.executable, "-m", "scorecard_studio", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=env,
    )


def test_score_and_export_from_a_stored_version_end_to_end(
    capsys: pytest.CaptureFixture[str], files: Path, store_path: Path, tmp_path: Path
) -> None:
    sp = str(store_path)
    _save_two(capsys, files, sp)
    run(capsys, "store", "freeze", "Retention", "1", "--label", "FY26 Q3 QBR", "--store-path", sp)
    # Scored from the files directly...
    direct = run_json(
        capsys,
        "score",
        str(files / "retention.json"),
        "--data",
        str(files / "billing.csv"),
        "--data",
        str(files / "survey.csv"),
    )
    # ...and from the store in a separate process, by freeze label: identical figures.
    done = cli("score", "--store", "Retention@FY26 Q3 QBR", "--json", env_store=store_path)
    assert done.returncode == 0, done.stderr
    stored = json.loads(done.stdout)
    provenance = stored.pop("version")
    assert stored == direct
    with open_store(store_path) as store:
        v1 = store.version_info("Retention", 1)
    assert provenance["version"] == 1
    assert provenance["hash"] == v1.hash
    assert provenance["snapshot_hashes"] == v1.snapshot_hashes
    assert provenance["frozen_label"] == "FY26 Q3 QBR"
    # export --store writes the provenance into the report.
    report = tmp_path / "qbr.xlsx"
    code, _, err = run(
        capsys, "export", "--store", "Retention@1", "--store-path", sp, "--out", str(report)
    )
    assert code == 0, err
    sheet = openpyxl.load_workbook(report)["Provenance"]
    facts = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=5)}
    assert facts["Scorecard version"] == "1"
    assert facts["Version hash"] == v1.hash
    assert facts["Frozen as"] == "FY26 Q3 QBR"
    assert facts["Data snapshot: billing"] == v1.snapshot_hashes["billing"]


def test_unknown_store_ref_is_one_line(files: Path, store_path: Path) -> None:
    done = cli("score", "--store", "Retention@9", env_store=store_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "scorecard-studio: no scorecard named 'Retention' in the store (the store is empty)"
    )
