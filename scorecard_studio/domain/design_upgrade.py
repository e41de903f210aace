"""Upgrades of older design documents to the current schema, one version step at a time.

A design file written by an earlier release must keep opening. Each step is a pure function
from a version-N document to a version-N+1 document; loading applies the steps in order.

Schema history:

* **1** - the first, flat format: a KPI held ``aggregation``, ``source`` and ``column`` and
  its ``baseline``/``target``/``stretch`` directly, with no overrides, and ``tiers`` was a
  list of names.
* **2** - the current format: a KPI has a ``measure`` object and a ``targets`` set with
  per-tier and per-period overrides; tiers have ids and weights.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from scorecard_studio.domain.errors import DesignError

CURRENT_SCHEMA_VERSION = 2

_MEASURE_KEYS_V1 = ("aggregation", "source", "column")
_TARGET_KEYS_V1 = ("baseline", "target", "stretch", "red_flag")


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug or "tier"


def _upgrade_kpi_1_to_2(kpi: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in kpi.items() if k not in _MEASURE_KEYS_V1 + _TARGET_KEYS_V1}
    measure = {k: kpi[k] for k in _MEASURE_KEYS_V1 if k in kpi}
    if measure:
        out["measure"] = measure
    default = {k: kpi[k] for k in _TARGET_KEYS_V1 if kpi.get(k) is not None}
    if default:
        out["targets"] = {"default": default}
    return out


def _upgrade_1_to_2(doc: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    if isinstance(doc.get("tiers"), list) and all(isinstance(t, str) for t in doc["tiers"]):
        out["tiers"] = [{"id": _slug(name), "name": name} for name in doc["tiers"]]
    perspectives = []
    for p in doc.get("perspectives", []) or []:
        if not isinstance(p, dict):
            perspectives.append(p)
            continue
        q = dict(p)
        if isinstance(p.get("kpis"), list):
            q["kpis"] = [_upgrade_kpi_1_to_2(k) if isinstance(k, dict) else k for k in p["kpis"]]
        if isinstance(p.get("objectives"), list):
            objectives = []
            for o in p["objectives"]:
                if isinstance(o, dict) and isinstance(o.get("kpis"), list):
                    objectives.append({**o, "kpis": [_upgrade_kpi_1_to_2(k) for k in o["kpis"]]})
                else:
                    objectives.append(o)
            q["objectives"] = objectives
        perspectives.append(q)
    if "perspectives" in doc:
        out["perspectives"] = perspectives
    out["schema_version"] = 2
    return out


_STEPS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_1_to_2}


def upgrade_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring a document of any known schema version up to the current one."""
    version = doc.get("schema_version")
    if version is None:
        raise DesignError("schema_version", "this field is required")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DesignError("schema_version", f"expected a whole number, found {version!r}")
    if version > CURRENT_SCHEMA_VERSION:
        raise DesignError(
            "schema_version",
            f"version {version} is newer than this release understands "
            f"({CURRENT_SCHEMA_VERSION}); update Scorecard Studio",
        )
    if version < 1:
        raise DesignError("schema_version", f"unknown version {version}")
    while version < CURRENT_SCHEMA_VERSION:
        doc = _STEPS[version](doc)
        version = doc["schema_version"]
    return doc
