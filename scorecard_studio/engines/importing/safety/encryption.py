"""Opening encrypted workbooks: Excel's default password first, then the user's.

Excel encrypts "read-only recommended" and some generated workbooks with the built-in
password ``VelvetSweatshop`` and opens them without asking; so do we. Any other password
is asked for (``--password`` headless, a field in the window), and a wrong one is said to
be wrong. Encrypted OpenDocument files (LibreOffice, OpenOffice) are decrypted by the ODF
package rules in :mod:`.odf_encryption`. Decryption runs in the isolated reader
process, like every parse of the file, and writes a plain copy that the safety checks of
:mod:`.guard` see before any reader does.
"""

from __future__ import annotations

import io
from pathlib import Path

from scorecard_studio.engines.importing.errors import (
    NotASpreadsheetError,
    PasswordRequiredError,
    UnsupportedEncryptionError,
    WrongPasswordError,
)

DEFAULT_PASSWORD = "VelvetSweatshop"


def plain_copy_path(path: Path, out_dir: Path) -> Path:
    """Where the decrypted copy goes: under the file's own name, so messages name it."""
    folder = out_dir / "decrypted"
    folder.mkdir(exist_ok=True)
    return folder / path.name


def decrypt_if_needed(path: Path, password: str | None, out_dir: Path) -> tuple[Path, str]:
    """The path to read (a decrypted copy in ``out_dir`` when needed) and a note.

    The note is ``""`` for a plain file, ``"default"`` when Excel's built-in password
    opened it, ``"password"`` when the given one did.
    """
    import msoffcrypto
    from msoffcrypto import exceptions as mexc

    with path.open("rb") as fh:
        try:
            office = msoffcrypto.OfficeFile(fh)
            encrypted = office.is_encrypted()
        except (mexc.FileFormatError, mexc.ParseError, ValueError, KeyError, OSError):
            return path, ""  # not an Office container msoffcrypto knows: readers decide
        except Exception as exc:  # a damaged container
            raise NotASpreadsheetError(f"{path.name}: damaged compound file ({exc})") from None
    if not encrypted:
        return path, ""
    candidates = [(DEFAULT_PASSWORD, "default")]
    if password:
        candidates.append((password, "password"))
    for candidate, note in candidates:
        with path.open("rb") as fh:
            try:
                office = msoffcrypto.OfficeFile(fh)
                office.load_key(password=candidate)
                out = io.BytesIO()
                office.decrypt(out)
            except (mexc.InvalidKeyError, mexc.DecryptionError):
                continue
            except (NotImplementedError, mexc.FileFormatError, mexc.EncryptionError) as exc:
                raise UnsupportedEncryptionError(
                    f"{path.name} uses an encryption this app cannot open ({exc}); save it "
                    "without a password"
                ) from None
            except Exception as exc:
                if "password" in str(exc).lower() or "key" in str(exc).lower():
                    continue
                raise UnsupportedEncryptionError(
                    f"{path.name} cannot be decrypted ({type(exc).__name__}: {exc})"
                ) from None
        target = plain_copy_path(path, out_dir)
        target.write_bytes(out.getvalue())
        return target, note
    if password:
        raise WrongPasswordError()
    raise PasswordRequiredError()
