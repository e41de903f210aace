"""The packaging inputs are consistent: icon sizes, desktop entry, AppStream data, pins."""

from __future__ import annotations

import configparser
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

from scorecard_studio import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
APP_ID = "io.github.scorecardstudio.ScorecardStudio"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icon_sizes_are_generated_from_the_svg() -> None:
    assert (ICONS / "scorecard-studio.svg").read_text().lstrip().startswith("<?xml")
    for size in SIZES:
        assert _png_size((ICONS / f"scorecard-studio-{size}.png").read_bytes()) == (size, size)


def test_icon_rendering_is_reproducible(icon_maker: ModuleType, qapp: object) -> None:
    for size in (16, 64):
        fresh = icon_maker.render_png(size)
        assert fresh == (ICONS / f"scorecard-studio-{size}.png").read_bytes(), size


def test_windows_and_macos_icon_containers_hold_the_pngs() -> None:
    ico = (PACKAGING / "icons" / "scorecard-studio.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 7)
    sides = []
    for i in range(count):
        side, _, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i]
        )
        size = side or 256
        sides.append(size)
        assert _png_size(ico[offset : offset + length]) == (size, size)
    assert sides == [16, 24, 32, 48, 64, 128, 256]
    icns = (PACKAGING / "icons" / "scorecard-studio.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)
    found, at = {}, 8
    while at < len(icns):
        kind_code, length = icns[at : at + 4], struct.unpack(">I", icns[at + 4 : at + 8])[0]
        found[kind_code] = _png_size(icns[at + 8 : at + length])
        at += length
    assert found[b"ic09"] == (512, 512)
    assert found[b"icp4"] == (16, 16)


def test_desktop_entry_names_the_program_and_the_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / f"{APP_ID}.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "Scorecard Studio"
    assert desktop["Exec"].split()[0] == "scorecard-studio"
    assert desktop["Icon"] == APP_ID
    assert desktop["Categories"].endswith(";")
    assert "application/x-scorecard-studio" in desktop["MimeType"]
    # The window reports the same desktop file name, so shells match window and entry.
    app_source = (ROOT / "scorecard_studio" / "qt" / "app.py").read_text()
    assert f'setDesktopFileName("{APP_ID}")' in app_source
    mime = ET.parse(PACKAGING / f"{APP_ID}.mime.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    glob = mime.find("m:mime-type/m:glob", ns)
    assert glob is not None
    assert glob.get("pattern") == "*.scorecard"


def test_appstream_metadata_matches_the_desktop_entry_and_version() -> None:
    root = ET.parse(PACKAGING / f"{APP_ID}.metainfo.xml").getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == "scorecard-studio"
    assert root.findtext("metadata_license") == "CC0-1.0"
    releases = root.findall("releases/release")
    assert releases[0].get("version") == __version__


def test_build_tools_are_pinned_and_unused_qt_modules_excluded() -> None:
    pins = [
        line.strip()
        for line in (PACKAGING / "requirements-build.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert any(re.fullmatch(r"pyinstaller==\d+\.\d+(\.\d+)?", pin) for pin in pins)
    assert all("==" in pin for pin in pins)
    spec = (PACKAGING / "scorecard_studio.spec").read_text()
    for module in ("QtWebEngineCore", "QtQml", "QtQuick", "Qt3DCore", "QtMultimedia"):
        assert f'"{module}"' in spec
    assert "bundle_identifier=APP_ID" in spec
    assert "VSVersionInfo" in spec
