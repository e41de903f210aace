"""Encrypted OpenDocument spreadsheets open with their password, and only with it.

The main fixtures are made by LibreOffice itself (through its Python bridge), so the
decryptor is checked against the application that writes these files: AES-256-CBC with
SHA-256 start keys (LibreOffice's default up to 24.2) and Blowfish with SHA-1 (ODF 1.1).
LibreOffice 24.2's whole-package AES-GCM with Argon2id, which older LibreOffice versions
cannot write, and hostile packages are built here from the ODF rules.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from scorecard_studio.cli.main import run_cli
from scorecard_studio.domain.model import DataSource
from scorecard_studio.engines.importing import import_table, inspect_workbook
from scorecard_studio.engines.importing.errors import (
    FileTooLargeError,
    NotASpreadsheetError,
    PasswordRequiredError,
    UnsafeFileError,
    UnsupportedEncryptionError,
    WrongPasswordError,
)
from scorecard_studio.engines.importing.safety import odf_encryption

PASSWORD = "secret"
NON_ASCII_PASSWORD = "Grüße-€-пароль"
SCORES_CSV = "Team,Score,Note\nNorth,3.5,fine\nSüd,4,\nÉast,2,late\n"
HELPER = Path(__file__).with_name("lo_save_encrypted.py")

# --- files encrypted by LibreOffice ------------------------------------------------------

#: name → (password, LibreOffice's ODF DefaultVersion: 0 = its default, 2 = ODF 1.1)
LO_FILES = {
    "aes": (PASSWORD, 0),
    "blowfish": (PASSWORD, 2),
    "aes_non_ascii": (NON_ASCII_PASSWORD, 0),
    "blowfish_non_ascii": (NON_ASCII_PASSWORD, 2),
}


def _uno_python() -> str | None:
    """A Python that can import LibreOffice's ``uno`` bridge, when LibreOffice is here."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    candidates = [
        sys.executable,
        "/usr/bin/python3",
        str(Path(soffice).resolve().parent / "python"),
    ]
    for candidate in candidates:
        if not os.access(candidate, os.X_OK):
            continue
        probe = subprocess.run(
            [candidate, "-c", "import uno"], capture_output=True, timeout=60, check=False
        )
        if probe.returncode == 0:
            return candidate
    return None


@pytest.fixture(scope="module")
def lo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    python = _uno_python()
    if python is None:
        pytest.skip("LibreOffice (soffice) with its Python bridge (uno) is not installed")
    folder = tmp_path_factory.mktemp("lo-encrypted")
    source = folder / "scores.csv"
    source.write_text(SCORES_CSV, encoding="utf-8")
    targets = {name: folder / f"{name}.ods" for name in LO_FILES}
    jobs = [
        {"source": str(source), "target": str(targets[name]), "password": pw, "odf_version": v}
        for name, (pw, v) in LO_FILES.items()
    ]
    jobs_file = folder / "jobs.json"
    jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
    done = subprocess.run(
        [python, str(HELPER), str(jobs_file)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert all(target.is_file() for target in targets.values()), done.stderr[-2000:]
    return targets


@pytest.mark.parametrize("name", list(LO_FILES))
def test_libreoffice_encrypted_ods_opens_with_its_password(
    lo_files: dict[str, Path], name: str
) -> None:
    path = lo_files[name]
    password = LO_FILES[name][0]
    assert odf_encryption.is_encrypted_ods(path)
    result = import_table(path, DataSource("s", "s"), password=password)
    frame = result.frame
    assert list(frame.columns) == ["Team", "Score", "Note"]
    assert frame["Team"].tolist() == ["North", "Süd", "Éast"]
    assert frame["Score"].tolist() == [3.5, 4.0, 2.0]
    assert frame["Note"].isna().tolist() == [False, True, False]
    with pytest.raises(WrongPasswordError, match=r"^encrypted: wrong password$"):
        inspect_workbook(path, password=password + "x")
    with pytest.raises(PasswordRequiredError, match=r"^encrypted: password required$"):
        inspect_workbook(path)


def test_libreoffice_ciphers_are_the_ones_under_test(lo_files: dict[str, Path]) -> None:
    def manifest(name: str) -> bytes:
        with zipfile.ZipFile(lo_files[name]) as zf:
            return zf.read("META-INF/manifest.xml")

    # LibreOffice up to 24.2 writes AES-256-CBC by default, and Blowfish for ODF 1.1; newer
    # versions may move the default to AES-GCM, which the built fixtures below cover.
    assert b"Blowfish CFB" in manifest("blowfish")
    assert b"Blowfish CFB" not in manifest("aes")


def test_inspect_cli_opens_an_encrypted_ods(
    lo_files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(lo_files["aes"])
    assert run_cli(["inspect", path, "--password", PASSWORD, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "ods"
    assert [c["name"] for c in document["columns"]] == ["Team", "Score", "Note"]
    assert document["rows"] == 3
    assert run_cli(["inspect", path, "--password", "nope"]) == 2
    assert capsys.readouterr().err.strip() == "scorecard-studio: encrypted: wrong password"
    assert run_cli(["inspect", path]) == 2
    assert capsys.readouterr().err.strip() == "scorecard-studio: encrypted: password required"


# --- packages built from the ODF rules ---------------------------------------------------

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_M = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"


def _content(rows: list[list[object]], prolog: str = "") -> bytes:
    def cell(value: object) -> str:
        if isinstance(value, float | int):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {_NS} '
        f'office:version="1.2"><office:body><office:spreadsheet><table:table '
        f'table:name="Scores">{body}</table:table></office:spreadsheet></office:body>'
        f"</office:document-content>"
    ).encode()


_ROWS: list[list[object]] = [["Team", "Score"], ["North", 3.5], ["Süd", 4]]


def _package(name: str, data: bytes, manifest: str, *, compress: bool) -> bytes:
    """An OpenDocument zip: the mimetype first and stored, one content part, the manifest."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", _MIME, compress_type=zipfile.ZIP_STORED)
        zf.writestr(
            name, data, compress_type=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        )
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _plain_ods(content: bytes) -> bytes:
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{_M}">'
        '<manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{_MIME.decode()}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return _package("content.xml", content, manifest, compress=True)


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _gcm_package(
    plain: bytes,
    password: str,
    *,
    argon2: tuple[int, int, int] = (1, 64, 1),
    size: int | None = None,
    kdf_name: str = "urn:org:documentfoundation:names:experimental:office:manifest:argon2id",
) -> bytes:
    """The whole package encrypted as LibreOffice 24.2 does: one ``encrypted-package`` part,
    raw-deflated, AES-256-GCM (IV in front, tag after), Argon2id over SHA-256(password)."""
    salt, iv = os.urandom(16), os.urandom(12)
    passes, memory, lanes = argon2
    key = Argon2id(salt=salt, length=32, iterations=passes, lanes=lanes, memory_cost=memory).derive(
        hashlib.sha256(password.encode()).digest()
    )
    blob = iv + AESGCM(key).encrypt(iv, _deflate(plain), None)
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{_M}" '
        f'xmlns:loext="{_LOEXT}" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_MIME.decode()}"/>'
        '<manifest:file-entry manifest:full-path="encrypted-package" '
        f'manifest:media-type="" manifest:size="{len(plain) if size is None else size}">'
        "<manifest:encryption-data>"
        '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2009/xmlenc11#aes256-gcm" '
        f'manifest:initialisation-vector="{_b64(iv)}"/>'
        "<manifest:start-key-generation manifest:start-key-generation-name="
        '"http://www.w3.org/2001/04/xmlenc#sha256" manifest:key-size="32"/>'
        f'<manifest:key-derivation manifest:key-derivation-name="{kdf_name}" '
        f'manifest:key-size="32" manifest:salt="{_b64(salt)}" loext:argon2-iterations="{passes}" '
        f'loext:argon2-memory="{memory}" loext:argon2-lanes="{lanes}"/>'
        "</manifest:encryption-data></manifest:file-entry></manifest:manifest>"
    )
    return _package("encrypted-package", blob, manifest, compress=False)


def _cbc_package(content: bytes, password: str, *, rounds: int = 1000) -> bytes:
    """``content.xml`` encrypted part by part, AES-256-CBC as LibreOffice 7 writes it."""
    salt, iv = os.urandom(16), os.urandom(16)
    key = PBKDF2HMAC(hashes.SHA1(), 32, salt, rounds).derive(
        hashlib.sha256(password.encode()).digest()
    )
    packed = _deflate(content)
    checksum = hashlib.sha256(packed[:1024]).digest()
    pad = 16 - len(packed) % 16
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    blob = encryptor.update(packed + bytes([pad]) * pad) + encryptor.finalize()
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{_M}">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_MIME.decode()}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" '
        f'manifest:size="{len(content)}"><manifest:encryption-data manifest:checksum-type='
        f'"{_M}#sha256-1k" manifest:checksum="{_b64(checksum)}">'
        '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        f'manifest:initialisation-vector="{_b64(iv)}"/>'
        "<manifest:start-key-generation manifest:start-key-generation-name="
        '"http://www.w3.org/2000/09/xmldsig#sha256" manifest:key-size="32"/>'
        '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
        f'manifest:iteration-count="{rounds}" manifest:salt="{_b64(salt)}"/>'
        "</manifest:encryption-data></manifest:file-entry></manifest:manifest>"
    )
    return _package("content.xml", blob, manifest, compress=False)


def test_whole_package_gcm_argon2id_opens_with_its_password(tmp_path: Path) -> None:
    path = tmp_path / "gcm.ods"
    path.write_bytes(_gcm_package(_plain_ods(_content(_ROWS)), PASSWORD))
    frame = import_table(path, DataSource("s", "s"), password=PASSWORD).frame
    assert list(frame.columns) == ["Team", "Score"]
    assert frame["Team"].tolist() == ["North", "Süd"]
    assert frame["Score"].tolist() == [3.5, 4.0]
    with pytest.raises(WrongPasswordError, match=r"^encrypted: wrong password$"):
        inspect_workbook(path, password="Secret")
    with pytest.raises(PasswordRequiredError):
        inspect_workbook(path)


def test_decrypted_content_passes_the_safety_checks(tmp_path: Path) -> None:
    # An entity declaration hidden inside the encryption is refused like a plain one.
    prolog = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    for name, blob in {
        "cbc.ods": _cbc_package(_content(_ROWS, prolog), PASSWORD),
        "gcm.ods": _gcm_package(_plain_ods(_content(_ROWS, prolog)), PASSWORD),
    }.items():
        path = tmp_path / name
        path.write_bytes(blob)
        with pytest.raises(UnsafeFileError, match="entities") as caught:
            inspect_workbook(path, password=PASSWORD)
        assert name in str(caught.value)


def test_part_encrypted_cbc_opens_and_checks_its_digest(tmp_path: Path) -> None:
    path = tmp_path / "cbc.ods"
    path.write_bytes(_cbc_package(_content(_ROWS), PASSWORD))
    inspection = inspect_workbook(path, password=PASSWORD)
    assert [c.name for c in inspection.columns] == ["Team", "Score"]
    with pytest.raises(WrongPasswordError):
        inspect_workbook(path, password=PASSWORD.upper())


def test_key_derivation_work_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "costly.ods"
    blob = _gcm_package(_plain_ods(_content(_ROWS)), PASSWORD)
    # the manifest now asks Argon2id for 64 GiB of memory; refused before any derivation
    blob = _rewrite_manifest(blob, 'loext:argon2-memory="64"', 'loext:argon2-memory="67108864"')
    path.write_bytes(blob)
    with pytest.raises(UnsafeFileError, match="key-derivation"):
        inspect_workbook(path, password=PASSWORD)


def _rewrite_manifest(blob: bytes, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w") as zf:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "META-INF/manifest.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zf.writestr(item, data)
    return out.getvalue()


def test_key_encryption_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "pgp.ods"
    blob = _gcm_package(_plain_ods(_content(_ROWS)), PASSWORD, kdf_name="PGP")
    path.write_bytes(blob)
    with pytest.raises(UnsupportedEncryptionError, match="PGP"):
        inspect_workbook(path, password=PASSWORD)


def test_plain_size_must_match_the_manifest(tmp_path: Path) -> None:
    plain = _plain_ods(_content(_ROWS))
    path = tmp_path / "short.ods"
    path.write_bytes(_gcm_package(plain, PASSWORD, size=len(plain) + 1))
    with pytest.raises(NotASpreadsheetError, match="damaged"):
        inspect_workbook(path, password=PASSWORD)


def test_decrypted_bytes_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The cap is the guard's unpacked-size limit; lowered here, checked in this process.
    monkeypatch.setattr(odf_encryption, "MAX_UNPACKED_BYTES", 1000)
    path = tmp_path / "big.ods"
    rows: list[list[object]] = [["Team", "Score"]] + [[f"team {i}", i] for i in range(200)]
    path.write_bytes(_gcm_package(_plain_ods(_content(rows)), PASSWORD))
    with pytest.raises(FileTooLargeError):
        odf_encryption.decrypt_ods(path, PASSWORD, tmp_path)
