"""Interventions as patches of a scenario mapping (see `schema.InterventionSpec` for the operations)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from missionfit.scenario import schema
from missionfit.scenario.codes import ROLES
from missionfit.scenario.errors import Checker
from missionfit.scenario.resolve import UNIT_DEFAULTS, _as_list, _merge

_UNIT_FIELDS = {f.name for f in dataclasses.fields(schema.UnitSpec)}
_EDGE_FIELDS = {f.name for f in dataclasses.fields(schema.EdgeSpec)}
_MECH_DEFAULTS = dataclasses.asdict(schema.MechanismSpec())


#: Selector keys read from the unit after inheritance (unit > kind_defaults > group_defaults), since the mission
#: vocabulary is usually declared per kind; other keys match what the unit itself says.
_RESOLVED_SELECTOR_KEYS = ("roles", "echelon", "actor_block", "kind_label")


def _resolved(u: Mapping[str, Any], attr: str, spec: Mapping[str, Any]) -> Any:
    """A unit's attribute through inheritance: the unit, its kind's defaults, its group's, `UNIT_DEFAULTS`."""
    kind_defaults = spec["kind_defaults"].get(u.get("kind")) or {}
    group = u.get("group") or kind_defaults.get("group") or UNIT_DEFAULTS["group"]
    for layer in (u, kind_defaults, spec["group_defaults"].get(group) or {}):
        if layer.get(attr) is not None:
            return layer[attr]
    return UNIT_DEFAULTS.get(attr)


def _matches(u: Mapping[str, Any], selector: Mapping[str, Any], spec: Mapping[str, Any]) -> bool:
    """Whether a unit matches every attribute of a mapping selector (`role`: it holds any of the roles)."""
    for attr, want in selector.items():
        if attr == "role":
            if not set(_as_list(want)) & set(_resolved(u, "roles", spec) or []):
                return False
            continue
        have = _resolved(u, attr, spec) if attr in _RESOLVED_SELECTOR_KEYS else u.get(attr)
        if have not in _as_list(want):
            return False
    return True


def _select(spec: Mapping[str, Any], selector: Any, ck: Checker, key: str) -> list[str]:
    """Unit ids matched by a selector: an id, a list of ids, or a mapping of attribute (or `role`) to value(s)."""
    units = spec["units"]
    ids = [u["id"] for u in units]
    if isinstance(selector, str):
        selector = [selector]
    if isinstance(selector, list):
        for s in selector:
            if s not in ids:
                ck.fail(key, s, "unknown unit")
        return list(selector)
    if isinstance(selector, Mapping):
        for attr in selector:
            if attr != "role" and attr not in _UNIT_FIELDS:
                ck.fail(key, attr, "unknown selector key (a unit attribute or role)")
        for role in _as_list(selector.get("role")):
            if role not in ROLES:
                ck.fail(key + ".role", role, "unknown role (docs/scenarios.md, Roles)")
        matched = [u["id"] for u in units if _matches(u, selector, spec)]
        if not matched:
            ck.fail(key, dict(selector), "selector matches no unit")
        return matched
    ck.fail(key, selector, "a selector is a unit id, a list of ids or a mapping of attributes")
    return []


def _edge_key(e: Mapping[str, Any]) -> tuple[str, str, str]:
    return (e["source"], e["target"], e.get("type", "intel"))


def apply_intervention(spec: dict[str, Any], name: str, patch: Mapping[str, Any], source: str) -> None:
    """Apply one intervention patch in place (see `schema.InterventionSpec` for the operations).

    Adds are idempotent (an existing unit id or edge is kept as it is), so interventions compose and an
    intervention already built into a scenario (e.g. `integrate_u2_asifu` in `minusma_2018`) is harmless.
    """
    ck = Checker(source)
    unknown = set(patch) - {f.name for f in dataclasses.fields(schema.InterventionSpec)}
    if unknown:
        ck.fail(f"interventions.{name}", sorted(unknown)[0], "unknown intervention key")
    units = spec["units"]
    for i, u in enumerate(patch.get("add_units") or []):
        if u.get("id") not in {x["id"] for x in units}:
            units.append(copy.deepcopy(dict(u)))
        _ = i
    for i, op in enumerate(patch.get("set_units") or []):
        key = f"interventions.{name}.set_units[{i}]"
        targets = set(_select(spec, op.get("select"), ck, key + ".select"))
        for u in units:
            if u["id"] in targets:
                for attr, value in (op.get("set") or {}).items():
                    if attr not in _UNIT_FIELDS or attr == "id":
                        ck.fail(key + ".set", attr, "unknown unit attribute")
                    u[attr] = _merge(u.get(attr), value) if isinstance(value, Mapping) else copy.deepcopy(value)
    edges = spec["edges"]
    for i, op in enumerate(patch.get("remove_edges") or []):
        key = f"interventions.{name}.remove_edges[{i}]"
        srcs = set(_select(spec, op.get("source"), ck, key + ".source"))
        dsts = set(_select(spec, op.get("target"), ck, key + ".target"))
        etype = op.get("type")
        edges[:] = [
            e
            for e in edges
            if not (e["source"] in srcs and e["target"] in dsts and (etype is None or e.get("type") == etype))
        ]
    existing = {_edge_key(e) for e in edges}
    by_id = {u["id"]: u for u in units}
    for i, op in enumerate(patch.get("add_edges") or []):
        key = f"interventions.{name}.add_edges[{i}]"
        srcs = _select(spec, op.get("source"), ck, key + ".source")
        dsts = _select(spec, op.get("target"), ck, key + ".target")
        same_sector = bool(op.get("same_sector", False))
        attrs = {k: v for k, v in op.items() if k in _EDGE_FIELDS and k not in ("source", "target")}
        for s in srcs:
            for t in dsts:
                if s == t or (same_sector and by_id[s].get("sector") != by_id[t].get("sector")):
                    continue
                edge = {"source": s, "target": t, **attrs}
                if _edge_key(edge) not in existing:
                    edges.append(edge)
                    existing.add(_edge_key(edge))
    for i, op in enumerate(patch.get("set_edges") or []):
        key = f"interventions.{name}.set_edges[{i}]"
        sel = op.get("select") or {}
        srcs = set(_select(spec, sel["source"], ck, key + ".select.source")) if "source" in sel else None
        dsts = set(_select(spec, sel["target"], ck, key + ".select.target")) if "target" in sel else None
        for e in edges:
            if srcs is not None and e["source"] not in srcs:
                continue
            if dsts is not None and e["target"] not in dsts:
                continue
            if "type" in sel and e.get("type") not in _as_list(sel["type"]):
                continue
            for attr, value in (op.get("set") or {}).items():
                if attr not in _EDGE_FIELDS or attr in ("source", "target"):
                    ck.fail(key + ".set", attr, "unknown edge attribute")
                e[attr] = value
    pairs = spec["trust"].setdefault("pairs", [])
    for i, op in enumerate(patch.get("set_trust") or []):
        key = f"interventions.{name}.set_trust[{i}]"
        ck.unit_interval(key + ".value", op.get("value"))
        for s in _select(spec, op.get("source"), ck, key + ".source"):
            for t in _select(spec, op.get("target"), ck, key + ".target"):
                if s != t:
                    pairs.append({"source": s, "target": t, "value": float(op["value"])})
    for k, v in (patch.get("mechanisms") or {}).items():
        if k not in _MECH_DEFAULTS:
            ck.fail(f"interventions.{name}.mechanisms", k, "unknown mechanism parameter")
        spec.setdefault("_mechanism_overrides", {})[k] = v
