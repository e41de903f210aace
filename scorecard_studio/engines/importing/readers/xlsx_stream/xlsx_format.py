"""What a workbook says about its numbers: the date system and which styles are dates.

The streaming reader needs to tell a date from a number the way Excel does: a number is a
date when its cell style's number format has day, month or year parts. This module reads
``workbook.xml`` and the styles part (small parts, parsed with a non-resolving parser)
and classes every cell style once, so the per-cell work is an array lookup.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

import numpy as np
from lxml import etree

from scorecard_studio.engines.importing.readers.xlsx_stream.xml_scan import UnsupportedXmlError

__all__ = ["SheetFormat", "format_class", "format_display", "sheet_format", "workbook_parts"]


@dataclass(frozen=True, slots=True)
class SheetFormat:
    """What the workbook says about numbers: its date system and which styles are dates."""

    date1904: bool
    style_class: np.ndarray  # per cell style: 0 number, 1 date, 2 time of day or duration
    #: per cell style: how its numbers are shown, ("percent", ""), ("currency", "$") or
    #: ("", ""), so a preview shows 87% and $905,200 as the workbook did
    style_display: tuple[tuple[str, str], ...] = ()


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _parse_small(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    names = {n.lower(): n for n in zf.namelist()}
    real = names.get(name.lower())
    if real is None:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zf.open(real) as fh:
        return etree.fromstring(fh.read(32 * 1024**2), parser)


_BUILTIN_DATES = {14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58}
_BUILTIN_TIMES = {18, 19, 20, 21, 32, 33, 45, 46, 47, 55, 56}


def format_class(code: str) -> int:
    """0 for a number format, 1 for a date (or date and time), 2 for a time or duration."""
    out: list[str] = []
    quoted = escaped = bracket = False
    elapsed = False
    for ch in code:
        if escaped:
            escaped = False
        elif quoted:
            quoted = ch != '"'
        elif bracket:
            if ch == "]":
                bracket = False
            elif ch.lower() in "hms":
                elapsed = True
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = True
        elif ch == "[":
            bracket = True
        elif ch == ";":
            break  # the first section decides, as in Excel
        else:
            out.append(ch.lower())
    text = "".join(out).replace("am/pm", "").replace("a/p", "")
    if "y" in text or "d" in text:
        return 1
    if elapsed or "h" in text or "s" in text:
        return 2
    return 1 if "m" in text else 0


_CURRENCY_SIGNS = "$€£¥"
_BUILTIN_PERCENT = {9, 10}


def format_display(code: str) -> tuple[str, str]:
    """How a number format shows numbers: ("percent", ""), ("currency", symbol), or
    ("", "") for anything else. Only the first section counts, as for dates; a quoted
    ``"%"`` is text (no scaling), a quoted or escaped currency sign is money, and a
    ``[$€-407]`` locale tag names its currency."""
    quoted = escaped = False
    tag = text = ""
    in_tag = False
    for ch in code:
        if escaped:
            escaped = False
            if ch in _CURRENCY_SIGNS:  # \$ shows the sign
                return "currency", ch
        elif quoted:
            quoted = ch != '"'
            if not quoted and text.strip() in set(_CURRENCY_SIGNS):  # "$"#,##0
                return "currency", text.strip()
            text += ch
        elif in_tag:
            if ch == "]":
                in_tag = False
                sign = tag[1:].split("-", 1)[0] if tag.startswith("$") else ""
                if sign:
                    return "currency", sign
            else:
                tag += ch
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted, text = True, ""
        elif ch == "[":
            in_tag, tag = True, ""
        elif ch == ";":
            break
        elif ch == "%":
            return "percent", ""
        elif ch in _CURRENCY_SIGNS:
            return "currency", ch
    return "", ""


def _related(zf: zipfile.ZipFile, workbook_part: str, kind: str) -> str | None:
    """The part the workbook relates to as ``kind`` (styles, sharedStrings), if any."""
    rels = posixpath.join(posixpath.dirname(workbook_part), "_rels", "workbook.xml.rels")
    root = _parse_small(zf, rels)
    names = {n.lower(): n for n in zf.namelist()}
    for rel in root if root is not None else []:
        if str(rel.get("Type", "")).endswith("/" + kind):
            target = str(rel.get("Target", ""))
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(workbook_part), target))
            )
            return names.get(path.lower())
    return None


def workbook_parts(zf: zipfile.ZipFile) -> tuple[str, str | None]:
    """The workbook part and its shared-string part (None when the workbook has none)."""
    names = [n for n in zf.namelist() if n.lower().endswith("workbook.xml")]
    if not names:
        raise UnsupportedXmlError("no workbook part")
    workbook = names[0]
    return workbook, _related(zf, workbook, "sharedStrings")


def sheet_format(zf: zipfile.ZipFile, workbook_part: str) -> SheetFormat:
    """The date system and the class of every cell style, from workbook.xml and styles."""
    date1904 = False
    wb = _parse_small(zf, workbook_part)
    if wb is not None:
        for el in wb:
            if _local(el.tag) == "workbookPr":
                date1904 = el.get("date1904", "0").strip().lower() in {"1", "true"}
    styles_part = _related(zf, workbook_part, "styles")
    classes: list[int] = []
    displays: list[tuple[str, str]] = []
    root = _parse_small(zf, styles_part) if styles_part else None
    if root is not None:
        custom: dict[int, str] = {}
        for el in root.iter():
            if _local(el.tag) == "numFmt":
                try:
                    custom[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
                except ValueError:
                    continue
        for el in root:
            if _local(el.tag) != "cellXfs":
                continue
            for xf in el:
                try:
                    fmt_id = int(xf.get("numFmtId", "0"))
                except ValueError:
                    fmt_id = 0
                if fmt_id in custom:
                    classes.append(format_class(custom[fmt_id]))
                    displays.append(format_display(custom[fmt_id]))
                else:
                    displays.append(("percent", "") if fmt_id in _BUILTIN_PERCENT else ("", ""))
                    classes.append(
                        1 if fmt_id in _BUILTIN_DATES else 2 if fmt_id in _BUILTIN_TIMES else 0
                    )
    return SheetFormat(
        date1904, np.asarray(classes or [0], dtype=np.int8), tuple(displays) or (("", ""),)
    )
