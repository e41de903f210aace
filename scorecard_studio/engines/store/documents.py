"""Design documents as the store keeps them: canonical JSON, hashed, then compressed.

The hash is taken over the canonical JSON text (``design_codec.dumps_design``), never over
the compressed bytes, so a design's hash is the same in every store, in a ``.scorecard``
file and on disk as a design file, whatever compression each uses.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

from scorecard_studio.domain.design_codec import dumps_design, scorecard_from_dict
from scorecard_studio.domain.errors import DesignError, StoreError
from scorecard_studio.domain.json_bounds import parse_json
from scorecard_studio.domain.model import Scorecard
from scorecard_studio.engines.store.hashing import sha256_hex

DESIGN_CODEC = "zlib"

#: A design document larger than this (uncompressed) is refused as not a design.
MAX_DESIGN_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class EncodedDesign:
    """The canonical text of a design, its hash and its stored (compressed) form."""

    hash: str
    text: bytes
    stored: bytes
    codec: str = DESIGN_CODEC


def encode_design(card: Scorecard) -> EncodedDesign:
    text = dumps_design(card).encode("utf-8")
    return EncodedDesign(sha256_hex(text), text, compress_design_text(text))


def compress_design_text(text: bytes) -> bytes:
    """The stored form of canonical design text."""
    return zlib.compress(text, 6)


def design_text(codec: str, stored: bytes) -> bytes:
    """The canonical text from its stored form."""
    if codec != DESIGN_CODEC:
        raise StoreError(f"design stored with an unknown codec {codec!r}")
    if not isinstance(stored, bytes):
        raise StoreError(f"design document damaged (stored as {type(stored).__name__}, not bytes)")
    try:
        decompressor = zlib.decompressobj()
        text = decompressor.decompress(stored, MAX_DESIGN_BYTES + 1)
    except zlib.error as exc:
        raise StoreError(f"design document damaged ({exc})") from None
    if len(text) > MAX_DESIGN_BYTES or decompressor.unconsumed_tail:
        raise StoreError("design document damaged (larger than any design)")
    return text


def design_from_text(text: bytes, where: str = "design") -> Scorecard:
    """Decode canonical design text; errors are one-line StoreErrors naming ``where``."""
    try:
        document = parse_json(text.decode("utf-8"))
        return scorecard_from_dict(document)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{where}: not a design document ({exc})") from None
    except DesignError as exc:
        raise StoreError(f"{where}: not a valid design ({exc})") from None
    except RecursionError:
        raise StoreError(f"{where}: not a valid design (nested too deeply)") from None
