"""What changed between two scorecard designs: structured, and as readable text.

The diff answers the QBR question "what changed since last quarter?": KPIs, objectives,
perspectives, tiers and data sources added, removed, renamed or moved (a KPI taken out with
a reason, ``domain/retirement``, is "retired" with that reason); weights, targets,
directions, formulas and settings changed, each with its old and new value side by side.

Items are matched by id, which the designer keeps stable across edits, so a renamed KPI is
a rename and not a removal plus an addition. A KPI whose id changed while its name and
every other field stayed the same is reported as renamed (its id) too. Every field is
compared as a flat, dotted path (``measure.column``, ``targets.default.target``,
``targets[tier=tier_1].target``) of plain JSON values, so new fields in the model are
compared without changing this module.

Pure: no I/O; the store and the CLI decide where the designs come from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum, StrEnum
from typing import Any

from scorecard_studio.domain.diff_text import (
    JsonValue,
    fmt,
    fmt_in,
    is_target_value,
    location_text,
)
from scorecard_studio.domain.diff_text import where as where_of
from scorecard_studio.domain.model import (
    Kpi,
    Objective,
    Perspective,
    Scorecard,
    TargetOverride,
    TargetSet,
    Tiering,
)
from scorecard_studio.domain.units import Unit, unit_of


class ChangeKind(StrEnum):
    """What happened to an item or a field."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    RENAMED = "renamed"
    MOVED = "moved"
    RETIRED = "retired"


_SYMBOL = {
    ChangeKind.ADDED: "+",
    ChangeKind.REMOVED: "-",
    ChangeKind.CHANGED: "~",
    ChangeKind.RENAMED: "~",
    ChangeKind.MOVED: ">",
    ChangeKind.RETIRED: "x",
}


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. ``item`` is the kind of thing (``kpi``, ``perspective``...).

    For a changed field, ``field`` is its dotted path and ``old``/``new`` its values; for an
    added or removed item, ``new``/``old`` hold all its fields; for a move, the locations.
    """

    kind: ChangeKind
    item: str
    item_id: str
    item_name: str
    field: str = ""
    old: JsonValue = None
    new: JsonValue = None
    #: The KPI's unit, for target values: a churn target reads "6% → 5%", not "0.06 → 0.05".
    unit: Unit | None = dataclasses.field(default=None, compare=False)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "item": self.item,
            "id": self.item_id,
            "name": self.item_name,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }

    def describe(self) -> str:
        """One readable line, e.g. ``KPI revenue "Revenue": weight 1 → 2``."""
        subject = _ITEM_TITLES.get(self.item, self.item)
        if self.item_id:
            subject += f" {self.item_id}"
        if self.item_name:
            subject += f" “{self.item_name}”"
        if self.kind is ChangeKind.ADDED:
            where = where_of(self.new)
            return f"{subject} added{f' in {where}' if where else ''}"
        if self.kind is ChangeKind.REMOVED:
            where = where_of(self.old)
            return f"{subject} removed{f' from {where}' if where else ''}"
        if self.kind is ChangeKind.RETIRED:
            where = where_of(self.old)
            return f"{subject} retired{f' from {where}' if where else ''}: {fmt(self.new)}"
        if self.kind is ChangeKind.MOVED:
            return f"{subject} moved from {location_text(self.old)} to {location_text(self.new)}"
        if self.kind is ChangeKind.RENAMED:
            what = "id" if self.field == "id" else "name"
            return f"{subject} renamed ({what}) {fmt(self.old)} → {fmt(self.new)}"
        if self.unit is not None and is_target_value(self.field):
            old = fmt_in(self.old, self.unit)
            new = fmt_in(self.new, self.unit)
            return f"{subject}: {self.field} {old} → {new}"
        return f"{subject}: {self.field} {fmt(self.old)} → {fmt(self.new)}"


_ITEM_TITLES = {
    "scorecard": "Scorecard",
    "setting": "Setting",
    "tiering": "Tiering",
    "tier_weights": "Tier weighting",
    "tier": "Tier",
    "source": "Data source",
    "perspective": "Perspective",
    "objective": "Objective",
    "kpi": "KPI",
    "link": "Link",
}


@dataclass(frozen=True, slots=True)
class DesignDiff:
    """All changes from ``old_label`` to ``new_label``, in design order."""

    old_label: str
    new_label: str
    changes: tuple[Change, ...]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def of_item(self, item: str) -> list[Change]:
        return [c for c in self.changes if c.item == item]

    def counts(self) -> dict[str, int]:
        """Number of changes per kind (added, removed, changed, renamed, moved)."""
        out = {k.value: 0 for k in ChangeKind}
        for change in self.changes:
            out[change.kind.value] += 1
        return out

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "from": self.old_label,
            "to": self.new_label,
            "counts": self.counts(),
            "changes": [c.to_json_dict() for c in self.changes],
        }

    def to_text(self) -> str:
        """The readable form: a heading line, then one line per change."""
        if not self.changes:
            return f"No design changes from {self.old_label} to {self.new_label}."
        n = len(self.changes)
        lines = [
            f"Design changes from {self.old_label} to {self.new_label}: "
            f"{n} change{'s' if n != 1 else ''}"
        ]
        lines += [f"  {_SYMBOL[c.kind]} {c.describe()}" for c in self.changes]
        return "\n".join(lines)


def diff_designs(
    old: Scorecard, new: Scorecard, *, old_label: str = "old", new_label: str = "new"
) -> DesignDiff:
    """The structured difference from ``old`` to ``new``."""
    changes: list[Change] = []
    changes += _field_changes(
        "scorecard",
        "",
        new.name,
        _without_links(_flat_fields(old, _SCORECARD_SKIP)),
        _without_links(_flat_fields(new, _SCORECARD_SKIP)),
    )
    changes += _field_changes("setting", "", "", flatten(old.settings), flatten(new.settings))
    changes += _field_changes("tiering", "", "", flatten(old.tiering), flatten(new.tiering))
    changes += _field_changes(
        "tier_weights", "", "", flatten(old.tier_weights), flatten(new.tier_weights)
    )
    changes += _keyed("tier", _by_id(old.tiers), _by_id(new.tiers), {}, {})
    changes += _keyed("source", _by_id(old.sources), _by_id(new.sources), {}, {})
    old_p = {p.id: p for p in old.perspectives}
    new_p = {p.id: p for p in new.perspectives}
    changes += _keyed("perspective", old_p, new_p, {}, {})
    old_o, old_o_at = _objectives(old)
    new_o, new_o_at = _objectives(new)
    changes += _keyed("objective", old_o, new_o, old_o_at, new_o_at)
    old_k, old_k_at = _kpis(old)
    new_k, new_k_at = _kpis(new)
    kpi_changes = _keyed("kpi", old_k, new_k, old_k_at, new_k_at, detect_id_renames=True)
    changes += _as_retirements(kpi_changes, new)
    changes += _link_changes(old, new)
    return DesignDiff(old_label, new_label, tuple(changes))


def _as_retirements(changes: list[Change], new: Scorecard) -> list[Change]:
    """A removed KPI kept in ``new.retired`` was retired: say so, with the reason."""
    reasons = {r.kpi.id: r.reason for r in new.retired}
    return [
        replace(c, kind=ChangeKind.RETIRED, field="reason", new=reasons[c.item_id])
        if c.kind is ChangeKind.REMOVED and c.item_id in reasons
        else c
        for c in changes
    ]


# --- flattening ---------------------------------------------------------------------------

_SCORECARD_SKIP = frozenset(
    {"perspectives", "tiers", "tiering", "tier_weights", "settings", "sources", "retired"}
)
_CONTAINER_SKIP = frozenset({"id", "kpis", "objectives"})


def flatten(value: object, prefix: str = "") -> dict[str, JsonValue]:
    """A dataclass as ``{dotted path: plain JSON value}`` (see the module docstring)."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return {prefix: _plain(value)}
    if isinstance(value, TargetSet):
        out = flatten(value.default, _join(prefix, "default"))
        for override in value.overrides:
            out.update(flatten(override.values, _join(prefix, _override_key(override))))
        return out
    out = {}
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        path = _join(prefix, f.name)
        if isinstance(value, Tiering) and f.name == "values":
            out[path] = dict(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            out.update(flatten(item, path))
        else:
            out[path] = _plain(item)
    return out


def _flat_fields(value: object, skip: frozenset[str]) -> dict[str, JsonValue]:
    out: dict[str, JsonValue] = {}
    assert dataclasses.is_dataclass(value)
    for f in dataclasses.fields(value):
        if f.name in skip:
            continue
        item = getattr(value, f.name)
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            out.update(flatten(item, f.name))
        else:
            out[f.name] = _plain(item)
    return out


def _join(prefix: str, name: str) -> str:
    if not prefix:
        return name
    return f"{prefix}{name}" if name.startswith("[") else f"{prefix}.{name}"


def _override_key(override: TargetOverride) -> str:
    parts = []
    if override.tier is not None:
        parts.append(f"tier={override.tier}")
    if override.period is not None:
        parts.append(f"period={override.period}")
    return "[" + " ".join(parts) + "]"


def _plain(value: object) -> JsonValue:
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dict(flatten(value).items())
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# --- items --------------------------------------------------------------------------------


def _by_id(items: Iterable[Any]) -> dict[str, Any]:
    return {item.id: item for item in items}


def _objectives(card: Scorecard) -> tuple[dict[str, Objective], dict[str, str]]:
    items: dict[str, Objective] = {}
    where: dict[str, str] = {}
    for p in card.perspectives:
        for o in p.objectives:
            items[o.id] = o
            where[o.id] = p.name
    return items, where


def _kpis(card: Scorecard) -> tuple[dict[str, Kpi], dict[str, str]]:
    items: dict[str, Kpi] = {}
    where: dict[str, str] = {}
    for p in card.perspectives:
        for k in p.kpis:
            items[k.id] = k
            where[k.id] = _location(p, None)
        for o in p.objectives:
            for k in o.kpis:
                items[k.id] = k
                where[k.id] = _location(p, o)
    return items, where


def _location(p: Perspective, o: Objective | None) -> str:
    return p.name if o is None else f"{p.name} / {o.name}"


def _item_fields(item: object) -> dict[str, JsonValue]:
    return _flat_fields(item, _CONTAINER_SKIP)


def _keyed(
    kind: str,
    old: dict[str, Any],
    new: dict[str, Any],
    old_at: dict[str, str],
    new_at: dict[str, str],
    *,
    detect_id_renames: bool = False,
) -> list[Change]:
    changes: list[Change] = []
    removed = [i for i in old if i not in new]
    added = [i for i in new if i not in old]
    id_renamed: dict[str, str] = {}  # new id -> old id
    if detect_id_renames:
        for new_id in added:
            shape = _item_fields(new[new_id])
            for old_id in removed:
                if old_id not in id_renamed.values() and shape == _item_fields(old[old_id]):
                    id_renamed[new_id] = old_id
                    break
    for item_id, item in new.items():
        if item_id in old or item_id in id_renamed:
            before_id = id_renamed.get(item_id, item_id)
            before = old[before_id]
            if before_id != item_id:
                changes.append(
                    Change(ChangeKind.RENAMED, kind, item_id, item.name, "id", before_id, item_id)
                )
            if before.name != item.name:
                changes.append(
                    Change(
                        ChangeKind.RENAMED, kind, item_id, item.name, "name", before.name, item.name
                    )
                )
            if old_at.get(before_id) != new_at.get(item_id):
                changes.append(
                    Change(
                        ChangeKind.MOVED,
                        kind,
                        item_id,
                        item.name,
                        "location",
                        old_at.get(before_id),
                        new_at.get(item_id),
                    )
                )
            changes += _field_changes(
                kind,
                item_id,
                item.name,
                _without_name(_item_fields(before)),
                _without_name(_item_fields(item)),
                unit_of(item) if isinstance(item, Kpi) else None,
            )
        else:
            fields = _item_fields(item)
            if item_id in new_at:
                fields = {"location": new_at[item_id], **fields}
            changes.append(Change(ChangeKind.ADDED, kind, item_id, item.name, "", None, fields))
    for item_id in removed:
        if item_id in id_renamed.values():
            continue
        item = old[item_id]
        fields = _item_fields(item)
        if item_id in old_at:
            fields = {"location": old_at[item_id], **fields}
        changes.append(Change(ChangeKind.REMOVED, kind, item_id, item.name, "", fields, None))
    return changes


def _without_links(fields: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The scorecard's fields less its strategy-map links, which are diffed one by one."""
    return {k: v for k, v in fields.items() if k != "analytics.links"}


def _link_changes(old: Scorecard, new: Scorecard) -> list[Change]:
    """Links added, removed or changed (sign, note), each named "cause → effect".

    A link is the pair it joins, so moving one end is a removal and an addition: that is
    what the strategy map shows, an arrow gone and another drawn.
    """
    old_links = {(k.cause, k.effect): k for k in old.analytics.links}
    new_links = {(k.cause, k.effect): k for k in new.analytics.links}
    out: list[Change] = []
    for key, link in new_links.items():
        name = f"{key[0]} → {key[1]}"
        fields = flatten(link)
        if key not in old_links:
            out.append(Change(ChangeKind.ADDED, "link", "", name, "", None, fields))
        else:
            out += _field_changes("link", "", name, flatten(old_links[key]), fields)
    for key, link in old_links.items():
        if key not in new_links:
            name = f"{key[0]} → {key[1]}"
            out.append(Change(ChangeKind.REMOVED, "link", "", name, "", flatten(link), None))
    return out


def _without_name(fields: dict[str, JsonValue]) -> dict[str, JsonValue]:
    return {k: v for k, v in fields.items() if k != "name"}


def _field_changes(
    kind: str,
    item_id: str,
    name: str,
    old: dict[str, JsonValue],
    new: dict[str, JsonValue],
    unit: Unit | None = None,
) -> list[Change]:
    out = []
    for path in list(old) + [p for p in new if p not in old]:
        before, after = old.get(path), new.get(path)
        if not _same(before, after):
            out.append(Change(ChangeKind.CHANGED, kind, item_id, name, path, before, after, unit))
    return out


def _same(a: JsonValue, b: JsonValue) -> bool:
    # 1 and 1.0 are the same weight; True and 1 are not the same setting.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)
