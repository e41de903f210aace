"""Decrypting OpenDocument spreadsheets that LibreOffice or OpenOffice saved with a password.

Input: the path of an ``.ods`` package whose manifest declares encrypted parts, and the
user's password. Output: a plain copy of the package (beside the other files of the read,
under the file's own name) that the safety checks of :mod:`.guard` see again before any
reader does. A wrong password is told apart from a damaged file by each part's checksum
(or GCM tag); decrypted bytes are capped like any unpacked part.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scorecard_studio.engines.importing.errors import (
    FileTooLargeError,
    NotASpreadsheetError,
    PasswordRequiredError,
    UnsafeFileError,
    UnsupportedEncryptionError,
    WrongPasswordError,
)
from scorecard_studio.engines.importing.safety.encryption import plain_copy_path
from scorecard_studio.engines.importing.safety.guard import MAX_UNPACKED_BYTES


def is_encrypted_ods(path: Path) -> bool:
    """An OpenDocument file whose parts carry ``manifest:encryption-data``."""
    with zipfile.ZipFile(path) as zf:
        try:
            with zf.open("META-INF/manifest.xml") as fh:
                manifest = fh.read(1024**2)
        except KeyError:
            return False
    return b"encryption-data" in manifest


# --- OpenDocument package encryption ----------------------------------------------------
#
# ODF 1.2 part 3, section 3.8, as LibreOffice and OpenOffice write it: each encrypted part
# of the zip is raw-deflated, then encrypted with a key derived from the password — the
# start key is the SHA-1 or SHA-256 digest of its UTF-8 bytes, then PBKDF2-HMAC-SHA1 or
# Argon2id with the part's own salt. The cipher is AES-CBC (W3C padding: the last byte
# says how many to drop), Blowfish in 64-bit CFB (ODF 1.1) or AES-GCM (LibreOffice 24.2
# on: 12-byte IV in front of the part, 16-byte tag after it). CBC and Blowfish parts carry
# a digest of their first 1,024 decrypted bytes, which tells a wrong password; GCM's tag
# does that itself. LibreOffice 24.2 on encrypts the whole package as one part,
# ``encrypted-package``, which decrypts to the plain package.

_ODF_CIPHERS = {
    "http://www.w3.org/2001/04/xmlenc#aes256-cbc": ("aes-cbc", 32),
    "http://www.w3.org/2001/04/xmlenc#aes192-cbc": ("aes-cbc", 24),
    "http://www.w3.org/2001/04/xmlenc#aes128-cbc": ("aes-cbc", 16),
    "http://www.w3.org/2009/xmlenc11#aes256-gcm": ("aes-gcm", 32),
    "http://www.w3.org/2009/xmlenc11#aes192-gcm": ("aes-gcm", 24),
    "http://www.w3.org/2009/xmlenc11#aes128-gcm": ("aes-gcm", 16),
    "Blowfish CFB": ("blowfish", 16),
    "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#blowfish": ("blowfish", 16),
}
_IV_BYTES = {"aes-cbc": 16, "aes-gcm": 12, "blowfish": 8}
_ODF_START_KEYS = {
    "SHA1": "sha1",
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2000/09/xmldsig#sha256": "sha256",  # the URL ODF 1.2 cites
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
}
_ODF_CHECKSUMS = {
    "SHA1/1K": "sha1",
    "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha1-1k": "sha1",
    "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k": "sha256",
}
_ODF_PBKDF2 = {"PBKDF2", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#pbkdf2"}
_ODF_ARGON2ID = {
    "urn:oasis:names:tc:opendocument:xmlns:manifest:1.5#argon2id",
    "urn:org:documentfoundation:names:experimental:office:manifest:argon2id",
}
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_LOEXT = "{urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0}"
_WHOLE_PACKAGE = "encrypted-package"
_ENCRYPTION_DATA = re.compile(
    rb"<(?:[\w.-]+:)?encryption-data\b.*?</(?:[\w.-]+:)?encryption-data\s*>", re.DOTALL
)
#: Largest manifest read; real ones take a few hundred bytes per part.
MAX_MANIFEST_BYTES = 16 * 1024**2
#: Key-derivation work a file may ask for. LibreOffice uses 100,000 to 600,000 PBKDF2
#: rounds, or Argon2id with 3 passes over 64 MiB in 4 lanes.
MAX_PBKDF2_ROUNDS = 10_000_000
MAX_ARGON2_KIB = 1024**2
MAX_ARGON2_PASSES = 64
MAX_ARGON2_LANES = 64
_CHECKSUM_BYTES = 1024
_CHUNK = 1024**2


class _KeyRejectedError(Exception):
    """The digest, padding or tag says the part was not encrypted with this key."""


@dataclass(frozen=True, slots=True)
class _OdfPart:
    """One encrypted part, as its ``manifest:encryption-data`` describes it."""

    path: str
    size: int | None  # plain size the manifest states
    cipher: str  # aes-cbc, aes-gcm, blowfish
    iv: bytes
    start_key: str  # sha1, sha256
    kdf: str  # pbkdf2, argon2id
    salt: bytes
    key_size: int
    rounds: int  # PBKDF2
    argon2: tuple[int, int, int]  # passes, memory in KiB, lanes
    checksum_kind: str | None  # sha1, sha256: digest of the first 1,024 bytes
    checksum: bytes


@dataclass(slots=True)
class _Budget:
    """Plain bytes written so far, against :data:`guard.MAX_UNPACKED_BYTES`."""

    written: int = 0


def decrypt_ods(path: Path, password: str | None, out_dir: Path) -> Path:
    """A plain copy of an encrypted OpenDocument file, written under ``out_dir``.

    Raises :class:`PasswordRequiredError` without a password, :class:`WrongPasswordError`
    when the password does not open it, and :class:`UnsupportedEncryptionError` for
    encryption to a key (PGP) or an unknown cipher. The copy is an ordinary zip; the caller
    runs the safety checks on it before a reader sees it.
    """
    if not password:
        raise PasswordRequiredError()
    target = plain_copy_path(path, out_dir)
    budget = _Budget()
    try:
        with zipfile.ZipFile(path) as zin:
            parts = _odf_parts(path, zin)
            whole = next((p for p in parts if p.path == _WHOLE_PACKAGE), None)
            if whole is not None:
                # The decrypted part is the whole plain package; other parts are ignored,
                # as LibreOffice ignores them.
                with target.open("wb") as out:
                    _decrypt_part(path, zin, whole, _start_keys(whole, password), out, budget)
            else:
                _rewrite_package(path, zin, parts, password, target, budget)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise NotASpreadsheetError(f"{path.name}: damaged encrypted package ({exc})") from None
    return target


def _odf_parts(path: Path, zin: zipfile.ZipFile) -> list[_OdfPart]:
    """The encrypted parts the manifest lists, with their parameters checked."""
    import defusedxml.ElementTree as SafeElementTree

    try:
        with zin.open("META-INF/manifest.xml") as fh:
            text = fh.read(MAX_MANIFEST_BYTES + 1)
    except KeyError:
        raise NotASpreadsheetError(f"{path.name}: encrypted, but has no manifest") from None
    if len(text) > MAX_MANIFEST_BYTES:
        raise UnsafeFileError(f"{path.name}: META-INF/manifest.xml is over 16 MiB")
    try:
        root = SafeElementTree.fromstring(text)
    except Exception as exc:  # a parse error, or a DTD defusedxml refuses
        raise NotASpreadsheetError(
            f"{path.name}: damaged META-INF/manifest.xml ({type(exc).__name__}: {exc})"
        ) from None
    m = _MANIFEST
    parts: list[_OdfPart] = []
    for entry in root.iter(f"{m}file-entry"):
        data = entry.find(f"{m}encryption-data")
        if data is None:
            continue
        where = entry.get(f"{m}full-path", "")
        algorithm = data.find(f"{m}algorithm")
        start = data.find(f"{m}start-key-generation")
        derivation = data.find(f"{m}key-derivation")
        kdf_name = "" if derivation is None else derivation.get(f"{m}key-derivation-name", "")
        if algorithm is None or derivation is None or kdf_name == "PGP":
            raise UnsupportedEncryptionError(
                f"{path.name} is encrypted for a key (PGP), not with a password; save it "
                "with a password or without one"
            )
        cipher_name = algorithm.get(f"{m}algorithm-name", "")
        cipher = _ODF_CIPHERS.get(cipher_name)
        start_name = "SHA1" if start is None else start.get(f"{m}start-key-generation-name", "")
        checksum_type = data.get(f"{m}checksum-type")
        if (
            cipher is None
            or start_name not in _ODF_START_KEYS
            or kdf_name not in _ODF_PBKDF2 | _ODF_ARGON2ID
            or (checksum_type is not None and checksum_type not in _ODF_CHECKSUMS)
        ):
            raise UnsupportedEncryptionError(
                f"{path.name} uses an OpenDocument encryption this app cannot open "
                f"({cipher_name or '?'}, {kdf_name or '?'}); save it without a password"
            )
        try:
            iv = base64.b64decode(algorithm.get(f"{m}initialisation-vector", ""), validate=True)
            salt = base64.b64decode(derivation.get(f"{m}salt", ""), validate=True)
            checksum = base64.b64decode(data.get(f"{m}checksum", ""), validate=True)
            key_size = int(derivation.get(f"{m}key-size") or cipher[1])
            size_text = entry.get(f"{m}size")
            size = int(size_text) if size_text else None
            rounds = int(derivation.get(f"{m}iteration-count") or 0)
            passes, memory, lanes = (
                int(derivation.get(f"{m}argon2-{k}") or derivation.get(f"{_LOEXT}argon2-{k}") or 0)
                for k in ("iterations", "memory", "lanes")
            )
        except (ValueError, binascii.Error) as exc:
            raise NotASpreadsheetError(
                f"{path.name}: damaged encryption data for {where} ({exc})"
            ) from None
        kdf = "pbkdf2" if kdf_name in _ODF_PBKDF2 else "argon2id"
        if kdf == "pbkdf2":
            passes = memory = lanes = 0
        else:
            rounds = 0
        if (
            rounds > MAX_PBKDF2_ROUNDS
            or passes > MAX_ARGON2_PASSES
            or memory > MAX_ARGON2_KIB
            or lanes > MAX_ARGON2_LANES
        ):
            raise UnsafeFileError(
                f"{path.name}: the encryption of {where} asks for more key-derivation work "
                "than office applications use"
            )
        if (
            key_size not in {16, 24, 32}
            or (cipher[0] != "blowfish" and key_size != cipher[1])
            or (kdf == "pbkdf2" and rounds < 1)
            or (kdf == "argon2id" and min(passes, memory, lanes) < 1)
            or len(iv) != _IV_BYTES[cipher[0]]
            or (size is not None and size < 0)
            or where not in zin.NameToInfo
        ):
            raise NotASpreadsheetError(
                f"{path.name}: damaged encryption data for {where or 'a part'}"
            )
        parts.append(
            _OdfPart(
                path=where,
                size=size,
                cipher=cipher[0],
                iv=iv,
                start_key=_ODF_START_KEYS[start_name],
                kdf=kdf,
                salt=salt,
                key_size=key_size,
                rounds=rounds,
                argon2=(passes, memory, lanes),
                checksum_kind=_ODF_CHECKSUMS.get(checksum_type or ""),
                checksum=checksum,
            )
        )
    if not parts:
        raise NotASpreadsheetError(f"{path.name}: the manifest lists no encrypted part")
    return parts


def _start_keys(part: _OdfPart, password: str) -> list[bytes]:
    """Start keys to try, the declared digest of the UTF-8 password first.

    Some LibreOffice 4 versions declared SHA-1 and used SHA-256; LibreOffice tries SHA-256
    after SHA-1, and so do we. (GCM parts are checked only at their end, so they get one.)
    """
    raw = password.encode("utf-8")
    keys = [hashlib.new(part.start_key, raw).digest()]
    if part.start_key == "sha1" and part.cipher != "aes-gcm":
        keys.append(hashlib.sha256(raw).digest())
    return keys


def _derive(part: _OdfPart, start_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    if part.kdf == "pbkdf2":
        kdf = PBKDF2HMAC(hashes.SHA1(), part.key_size, part.salt, part.rounds)
        return kdf.derive(start_key)
    passes, memory, lanes = part.argon2
    argon = Argon2id(
        salt=part.salt, length=part.key_size, iterations=passes, lanes=lanes, memory_cost=memory
    )
    return argon.derive(start_key)


def _rewrite_package(
    path: Path,
    zin: zipfile.ZipFile,
    parts: list[_OdfPart],
    password: str,
    target: Path,
    budget: _Budget,
) -> None:
    """Write the package again with its encrypted parts decrypted.

    ``mimetype`` stays first and stored; ``content.xml`` is decrypted next, so a wrong
    password costs one key derivation. The manifest loses its encryption data.
    """
    encrypted = {p.path for p in parts}
    order = sorted(parts, key=lambda p: p.path != "content.xml")
    members = zin.infolist()
    first = [i for i in members if i.filename == "mimetype"]
    rest = [i for i in members if i.filename != "mimetype" and i.filename not in encrypted]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
        for item in first:
            zout.writestr(item, zin.read(item), compress_type=zipfile.ZIP_STORED)
        opened: dict[str, bytes] = {}  # declared start-key digest → the start key that worked
        for part in order:
            info = zipfile.ZipInfo(part.path, zin.getinfo(part.path).date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            known = opened.get(part.start_key)
            keys = _start_keys(part, password) if known is None else [known]
            with zout.open(info, "w", force_zip64=True) as out:
                opened[part.start_key] = _decrypt_part(path, zin, part, keys, out, budget)
        for item in rest:
            copy = zipfile.ZipInfo(item.filename, item.date_time)
            copy.compress_type = item.compress_type
            copy.external_attr = item.external_attr
            if item.filename == "META-INF/manifest.xml":
                zout.writestr(copy, _ENCRYPTION_DATA.sub(b"", zin.read(item)))
                continue
            with zin.open(item) as src, zout.open(copy, "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, _CHUNK)


def _decrypt_part(
    path: Path,
    zin: zipfile.ZipFile,
    part: _OdfPart,
    start_keys: list[bytes],
    out: IO[bytes],
    budget: _Budget,
) -> bytes:
    """Decrypt and inflate one part into ``out``; the start key that opened it.

    A key is rejected before anything is written (by the 1,024-byte digest), except for
    GCM, whose tag is checked at the end; the caller then discards what was written.
    """
    info = zin.getinfo(part.path)
    for start_key in start_keys:
        key = _derive(part, start_key)
        with zin.open(info) as raw:
            try:
                _inflate_part(
                    path, part, _plain_chunks(path, part, key, raw, info.file_size), out, budget
                )
            except _KeyRejectedError:
                continue
        return start_key
    raise WrongPasswordError()


def _inflate_part(
    path: Path, part: _OdfPart, chunks: Iterator[bytes], out: IO[bytes], budget: _Budget
) -> None:
    """Check the digest of the first 1,024 decrypted bytes, then raw-inflate into ``out``."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    head = b""
    checked = part.cipher == "aes-gcm"
    damaged: str | None = None
    written = 0
    for chunk in chunks:
        data = chunk
        if not checked:
            head += chunk
            if len(head) < _CHECKSUM_BYTES:
                continue
            _check_digest(part, head)
            checked, data, head = True, head, b""
        if damaged is None:
            try:
                written += _inflate(inflater, data, out, budget, part)
            except zlib.error as exc:
                damaged = str(exc)  # GCM: read on; the tag tells a wrong key from damage
    if not checked:
        _check_digest(part, head)
        try:
            written += _inflate(inflater, head, out, budget, part)
        except zlib.error as exc:
            damaged = str(exc)
    if damaged is None and not inflater.eof:
        damaged = "the compressed data ends early"
    if damaged is None and part.size is not None and written != part.size:
        damaged = f"{written:,} bytes where the manifest says {part.size:,}"
    if damaged is not None:
        if part.checksum_kind is None and part.cipher != "aes-gcm":
            raise WrongPasswordError()  # nothing else could have told
        raise NotASpreadsheetError(f"{path.name}: damaged encrypted part {part.path} ({damaged})")


def _check_digest(part: _OdfPart, head: bytes) -> None:
    if part.checksum_kind is None:
        return
    digest = hashlib.new(part.checksum_kind, head[:_CHECKSUM_BYTES]).digest()
    if digest != part.checksum:
        raise _KeyRejectedError()


def _inflate(
    inflater: zlib._Decompress, data: bytes, out: IO[bytes], budget: _Budget, part: _OdfPart
) -> int:
    """Inflate ``data`` in bounded pieces; the number of plain bytes written."""
    total = 0
    while data and not inflater.eof:
        piece = inflater.decompress(data, _CHUNK)
        data = inflater.unconsumed_tail
        total += len(piece)
        budget.written += len(piece)
        if budget.written > MAX_UNPACKED_BYTES:
            raise FileTooLargeError(
                f"{part.path} decrypts to over {MAX_UNPACKED_BYTES / 1024**3:.0f} GiB"
            )
        out.write(piece)
    return total


def _plain_chunks(
    path: Path, part: _OdfPart, key: bytes, raw: IO[bytes], length: int
) -> Iterator[bytes]:
    """The decrypted, still deflated bytes of a part, in chunks; padding removed."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.decrepit.ciphers.algorithms import Blowfish
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    damaged = NotASpreadsheetError(f"{path.name}: damaged encrypted part {part.path}")
    if part.cipher == "aes-gcm":
        if length < 12 + 16 or raw.read(12) != part.iv:
            raise damaged
        gcm = Cipher(algorithms.AES(key), modes.GCM(part.iv)).decryptor()
        left = length - 12 - 16
        while left > 0:
            block = raw.read(min(_CHUNK, left))
            if not block:
                raise damaged
            left -= len(block)
            yield gcm.update(block)
        try:
            gcm.finalize_with_tag(raw.read(16))
        except (InvalidTag, ValueError):
            raise _KeyRejectedError() from None
        return
    if part.cipher == "blowfish":
        # ODF's "Blowfish CFB" is CFB with 64-bit segments, as LibreOffice implements it.
        cfb = Cipher(Blowfish(key), modes.CFB(part.iv)).decryptor()
        while block := raw.read(_CHUNK):
            yield cfb.update(block)
        yield cfb.finalize()
        return
    if length == 0 or length % 16:
        raise damaged
    cbc = Cipher(algorithms.AES(key), modes.CBC(part.iv)).decryptor()
    held = b""
    while block := raw.read(_CHUNK):
        data = held + cbc.update(block)
        held, data = data[-16:], data[:-16]
        if data:
            yield data
    held += cbc.finalize()
    pad = held[-1] if held else 0
    if not 1 <= pad <= 16:
        raise _KeyRejectedError()
    yield held[:-pad]
