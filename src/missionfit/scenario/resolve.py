"""Fill a plain scenario mapping into the schema, and resolve each unit's inherited attributes.

A unit's attribute comes from, in order of precedence: the unit itself, its kind's `kind_defaults`, its
group's `group_defaults`, and `UNIT_DEFAULTS`.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from missionfit.scenario import schema
from missionfit.scenario.errors import Checker

#: Attributes every unit has when neither the unit, its kind nor its group sets them.
UNIT_DEFAULTS: dict[str, Any] = {
    # the mission vocabulary (missionfit.scenario.codes): no role, echelon, block or label unless declared
    "roles": [],
    "echelon": None,
    "actor_block": None,
    "kind_label": None,
    "component": "military",
    "contributor": "UN",
    "group": "other",
    "location": None,
    "sector": None,
    "strength": 0,
    "latitude": None,
    "longitude": None,
    "tech_level": 0.5,
    "security_level": 0,
    "procedures": "un",
    "intelligence_formats": False,
    "analysts": 0.0,
    "sensors": [],
    "escort_cost": 0.0,
    "protection": None,
    "reporting_culture": {"proactive": 0.5, "responsive": 0.7, "bypass": 0.0},
    "report_writing": 0.6,
    "languages": ["en"],
    "local_knowledge": 0.3,
    "trust_threshold": 0.45,
    "focus": {"horizon": 0.5, "domains": list(schema.DOMAINS)},
    "lane": None,
    "mandate_fidelity": 1.0,
    "rivals": [],
    "consumer": None,
    "tasking_rate": 0.0,
    "board": None,
    "rotation_day": None,
    "source": None,
}


def _copy(value: Any) -> Any:
    """A deep copy of plain data (dicts, lists, tuples and immutable scalars), the same as `copy.deepcopy`.

    Resolving a scenario copies every unit's attributes through four layers of defaults; `copy.deepcopy`
    spends most of that time on its memo, which plain YAML data (no shared or cyclic references) does not need.
    Anything else is handed to `copy.deepcopy`.
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if type(value) is dict:
        return {k: _copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy(v) for v in value]
    if type(value) is tuple:
        return tuple(_copy(v) for v in value)
    return copy.deepcopy(value)


def _merge(base: Any, override: Any) -> Any:
    """Deep-merge mappings; `None` in the override means "inherit"; lists are replaced."""
    if override is None:
        return _copy(base)
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = {k: _copy(v) for k, v in base.items()}
        for k, v in override.items():
            out[k] = _merge(out[k], v) if k in out else _copy(v)
        return out
    return _copy(override)


def _strip_none(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _get(d: Mapping[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(d, Mapping):
            return None
        d = d.get(part)
    return d


def _as_list(x: Any) -> list[Any]:
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _normalise_spec(raw: Mapping[str, Any], ck: Checker) -> dict[str, Any]:
    """Fill the schema's defaults into a plain mapping and reject unknown top-level keys."""
    base = dataclasses.asdict(schema.ScenarioSpec())
    unknown = set(raw) - set(base)
    if unknown:
        ck.fail("scenario", sorted(unknown)[0], "unknown scenario key")
    spec = _merge(base, {k: v for k, v in raw.items() if v is not None})
    spec["trust"] = _merge(dataclasses.asdict(schema.TrustSpec()), raw.get("trust") or {})
    spec["generator"] = _merge(dataclasses.asdict(schema.GeneratorSpec()), raw.get("generator") or {})
    information = raw.get("information") or {}
    if not isinstance(information, Mapping):
        ck.fail("information", information, "must be a mapping (schema.InformationSpec)")
    spec["information"] = _merge(dataclasses.asdict(schema.InformationSpec()), dict(information))
    spec["units"] = [dict(u) for u in spec.get("units") or []]
    spec["sectors"] = [_merge(dataclasses.asdict(schema.SectorSpec()), dict(x)) for x in spec["sectors"] or []]
    spec["event_types"] = [
        _merge(dataclasses.asdict(schema.EventTypeSpec()), dict(x)) for x in spec["event_types"] or []
    ]
    spec["edges"] = [_merge(dataclasses.asdict(schema.EdgeSpec()), dict(e)) for e in spec.get("edges") or []]
    return spec


def _resolve_unit(u: Mapping[str, Any], spec: Mapping[str, Any]) -> dict[str, Any]:
    """Unit attributes after inheritance: unit > kind_defaults > group_defaults > UNIT_DEFAULTS."""
    explicit = _strip_none(u)
    group = explicit.get("group") or (spec["kind_defaults"].get(explicit.get("kind"), {}) or {}).get("group")
    resolved = _copy(UNIT_DEFAULTS)
    for layer in (
        spec["group_defaults"].get(group or UNIT_DEFAULTS["group"]) or {},
        spec["kind_defaults"].get(explicit.get("kind")) or {},
        explicit,
    ):
        resolved = _merge(resolved, _strip_none(dict(layer)))
    resolved["name"] = resolved.get("name") or resolved["id"]
    resolved["sensors"] = [
        _merge(dataclasses.asdict(schema.SensorSpec()), dict(s)) for s in resolved.get("sensors") or []
    ]
    if resolved.get("consumer") is not None:
        resolved["consumer"] = _merge(dataclasses.asdict(schema.ConsumerSpec()), dict(resolved["consumer"]))
    if resolved.get("board") is not None or "coordination_board" in resolved["roles"]:
        resolved["board"] = _merge(dataclasses.asdict(schema.BoardSpec()), dict(resolved.get("board") or {}))
    return resolved
