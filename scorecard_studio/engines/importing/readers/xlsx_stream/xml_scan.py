"""Vectorised scanning of SpreadsheetML slices: tags, attributes and text spans with numpy.

A million-row sheet holds tens of millions of tags; walking them with an XML parser costs
tens of seconds in Python. The workbook XML that spreadsheet writers produce is regular
enough to be read with whole-array byte searches instead: every ``<`` starts a tag, an
element's text runs to the next ``<``, and an attribute value runs between two ``"``.
This module holds those building blocks; :mod:`.stream` uses them on slices of a
sheet and of its shared-string table. Nothing here decides what a cell means.

Whatever the scan does not recognise raises :class:`UnsupportedXmlError`, so a caller can hand
the sheet to a full XML reader instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scorecard_studio.engines.importing.columns.cells import decode_ooxml_escapes

LT, GT, QUOTE, EQ, SPACE, SLASH = 60, 62, 34, 61, 32, 47

#: Padding after a slice so that looking a few bytes past any ``<`` stays in bounds.
PAD = 32


class UnsupportedXmlError(Exception):
    """The XML uses a form this scanner does not read; a full parser must take over."""


@dataclass(frozen=True)
class Slice:
    """A slice of XML as bytes and as a padded array, with the positions of its ``<``."""

    data: bytes  # the slice followed by PAD zero bytes
    a: np.ndarray  # uint8 view of data
    lt: np.ndarray  # positions of every '<'
    n1: np.ndarray  # the byte after each '<'
    n2: np.ndarray  # the byte after that

    @classmethod
    def of(cls, raw: bytes) -> Slice:
        data = raw + bytes(PAD)
        a = np.frombuffer(data, np.uint8)
        lt = np.flatnonzero(a == LT)
        n1 = a[lt + 1]
        if ((n1 == ord("!")) | (n1 == ord("?"))).any():
            raise UnsupportedXmlError("comments, CDATA or processing instructions inside the data")
        return cls(data, a, lt, n1, a[lt + 2])

    def has(self, first: int, seconds: bytes) -> bool:
        """Whether any tag starts with ``first`` followed by one of ``seconds``."""
        after = self.n2[self.n1 == first]
        return bool(np.isin(after, np.frombuffer(seconds, np.uint8)).any())

    @cached_property
    def quotes(self) -> np.ndarray:
        """Positions of every ``"``: each attribute value lies between two of them."""
        return np.flatnonzero(self.a == QUOTE)

    def tags(self, name: bytes) -> np.ndarray:
        """Indices into ``lt`` of the start tags ``<name`` followed by space, ``>`` or ``/``."""
        hit = np.flatnonzero(self.n1 == name[0])
        if len(name) > 1:
            hit = hit[self.n2[hit] == name[1]]
        at = self.lt[hit]
        for k in range(2, len(name)):
            keep = self.a[at + 1 + k] == name[k]
            hit, at = hit[keep], at[keep]
        after = self.a[at + 1 + len(name)]
        out: np.ndarray = hit[(after == SPACE) | (after == GT) | (after == SLASH)]
        return out

    def ends(self, name: bytes) -> np.ndarray:
        """Indices into ``lt`` of the end tags ``</name>``."""
        hit = np.flatnonzero((self.n1 == SLASH) & (self.n2 == name[0]))
        at = self.lt[hit]
        for k in range(1, len(name)):
            keep = self.a[at + 2 + k] == name[k]
            hit, at = hit[keep], at[keep]
        out: np.ndarray = hit[self.a[at + 2 + len(name)] == GT]
        return out


def read_digits(a: np.ndarray, start: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The unsigned decimal number at each ``start`` (up to ``width`` digits) and its length."""
    if len(start) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    digits = windows(a, width + 1)[start] - np.uint8(48)  # non-digits wrap above 9
    is_digit = digits <= 9
    length = np.argmin(is_digit, axis=1)  # the first non-digit
    if is_digit.all(axis=1).any():
        raise UnsupportedXmlError("a number longer than expected")
    value = np.zeros(len(start), np.int64)
    for k in range(int(length.max())):
        value = np.where(k < length, value * 10 + digits[:, k], value)
    return value, length


def attribute_values(
    s: Slice, name: bytes, owners: np.ndarray, owner_ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For the attribute ``name="…"``, its owner index and the position of its value.

    ``owners`` are the positions of the ``<`` of the elements that may carry it and
    ``owner_ends`` the end of each start tag: a match belongs to the element whose start
    tag it lies in, so the same name on a child element (``<f t="shared">``) is not taken.
    """
    a = s.a
    q = s.quotes
    q = q[q >= len(name) + 2]
    hit = (a[q - 1] == EQ) & (a[q - 2 - len(name)] == SPACE)
    for k, byte in enumerate(name):
        hit &= a[q - 1 - len(name) + k] == byte
    q = q[hit]
    owner = np.searchsorted(owners, q, side="right") - 1
    ok = owner >= 0
    ok[ok] &= q[ok] < owner_ends[owner[ok]]
    return owner[ok], q[ok] + 1


def gather(a: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The bytes of every span ``[start, start + length)`` one after another."""
    total = int(length.sum())
    if total == 0:
        return np.zeros(0, np.uint8)
    offsets = np.zeros(len(length), np.int64)
    np.cumsum(length[:-1], out=offsets[1:])
    index = np.repeat((start - offsets).astype(np.int32), length)  # slices are < 2 GiB
    index += np.arange(total, dtype=np.int32)
    return a[index]


def string_array(data: np.ndarray, lengths: np.ndarray) -> pa.Array:
    """An Arrow string array over ``data`` split by ``lengths``; invalid UTF-8 is refused."""
    offsets = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if offsets[-1] < 2**31:
        arr = pa.Array.from_buffers(
            pa.string(),
            len(lengths),
            [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data)],
        )
    else:
        arr = pa.Array.from_buffers(
            pa.large_string(), len(lengths), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        )
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid:
        raise UnsupportedXmlError("text that is not UTF-8") from None
    return arr


#: Arrow's 16-byte string view: a length, then 12 bytes of text or of prefix and offset.
_VIEW = np.dtype([("length", "<i4"), ("data", "V12")])
#: For each length 0..12, the mask that keeps that many bytes of a 12-byte window.
_INLINE_MASKS = np.ascontiguousarray(
    (np.arange(12) < np.arange(13)[:, None]).astype(np.uint8) * 255
).view("<u4")


def utf8_strings(views: pa.Array) -> pa.Array:
    """Views as a plain string array (a compact copy), refusing text that is not UTF-8."""
    try:
        out = pc.cast(views, pa.string())
        out.validate(full=True)
    except pa.ArrowInvalid:
        raise UnsupportedXmlError("text that is not UTF-8") from None
    return out


def windows(a: np.ndarray, width: int) -> np.ndarray:
    """Every run of ``width`` bytes of ``a`` as a row of a strided view (nothing copied)."""
    return np.lib.stride_tricks.sliding_window_view(a, width)


def view_array(s: Slice, start: np.ndarray, length: np.ndarray) -> pa.Array:
    """Spans of a slice as an Arrow ``string_view`` array, without copying long spans.

    Arrow keeps strings of up to 12 bytes inside the view itself and longer ones as a
    prefix and an offset into the slice's buffer; numbers and shared-string indices are
    short, so their text never leaves the slice.
    """
    n = len(start)
    views = np.empty(n, _VIEW)
    if n:
        window = windows(s.a, 12)[start]  # (n, 12) bytes, a copy
        window.view("<u4")[:] &= _INLINE_MASKS[np.minimum(length, 12)]  # zeros past the end
        views["length"] = length
        views["data"] = window.view("V12").ravel()
        long_ = np.flatnonzero(length > 12)
        if len(long_):
            ref = views["data"][long_].copy().view(np.uint8).reshape(-1, 12)
            ref[:, 4:8] = 0  # buffer 0: the slice
            ref[:, 8:12] = start[long_].astype("<i4").view(np.uint8).reshape(-1, 4)
            views["data"][long_] = ref.view("V12").ravel()
    return pa.Array.from_buffers(
        pa.string_view(), n, [None, pa.py_buffer(views), pa.py_buffer(s.data)]
    )


_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _NAMED[name]


def _unescape_one(text: str) -> str:
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    return text


def _fix_few(arr: pa.Array, mask: pa.Array, fix: Callable[[str], str]) -> pa.Array:
    """``fix`` applied in Python to the strings ``mask`` picks, usually none or a few."""
    if not pc.any(mask).as_py():
        return arr
    fixed = [fix(v) for v in arr.filter(mask).to_pylist()]
    return pc.replace_with_mask(arr, mask, pa.array(fixed, arr.type))


def xml_text(arr: pa.Array, raw: bytes) -> pa.Array:
    """Text as an XML parser would give it: line ends normalised, references resolved.

    ``raw`` is the slice the text came from; when it holds no carriage return or no
    ``&``, that step is skipped without looking at the strings.
    """
    if len(arr) == 0:
        return arr
    if b"\r" in raw:  # XML reads CR LF and a lone CR as LF (an escaped &#13; stays CR)
        arr = pc.replace_substring(arr, "\r\n", "\n")
        arr = pc.replace_substring(arr, "\r", "\n")
    if b"&" not in raw:
        return arr
    return _fix_few(arr, pc.match_substring(arr, "&"), _unescape_one)


def ooxml_unescape(arr: pa.Array) -> pa.Array:
    """``_xHHHH_`` escapes (how OOXML stores control characters) resolved, as Excel does."""
    if len(arr) == 0:
        return arr
    return _fix_few(arr, pc.match_substring_regex(arr, "_x[0-9a-fA-F]{4}_"), decode_ooxml_escapes)
