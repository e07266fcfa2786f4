"""Interventions as patches of a scenario mapping (see `schema.InterventionSpec` for the operations)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from missionfit.scenario import schema
from missionfit.scenario.errors import Checker
from missionfit.scenario.resolve import _as_list, _merge

_UNIT_FIELDS = {f.name for f in dataclasses.fields(schema.UnitSpec)}
_EDGE_FIELDS = {f.name for f in dataclasses.fields(schema.EdgeSpec)}
_MECH_DEFAULTS = dataclasses.asdict(schema.MechanismSpec())


def _select(units: list[dict[str, Any]], selector: Any, ck: Checker, key: str) -> list[str]:
    """Unit ids matched by a selector: an id, a list of ids, or a mapping of attribute to value(s)."""
    ids = [u["id"] for u in units]
    if isinstance(selector, str):
        selector = [selector]
    if isinstance(selector, list):
        for s in selector:
            if s not in ids:
                ck.fail(key, s, "unknown unit")
        return list(selector)
    if isinstance(selector, Mapping):
        matched = []
        for u in units:
            ok = True
            for attr, want in selector.items():
                have = u.get(attr)
                if attr == "id":
                    have = u["id"]
                if have not in _as_list(want):
                    ok = False
                    break
            if ok:
                matched.append(u["id"])
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
        targets = set(_select(units, op.get("select"), ck, key + ".select"))
        for u in units:
            if u["id"] in targets:
                for attr, value in (op.get("set") or {}).items():
                    if attr not in _UNIT_FIELDS or attr == "id":
                        ck.fail(key + ".set", attr, "unknown unit attribute")
                    u[attr] = _merge(u.get(attr), value) if isinstance(value, Mapping) else copy.deepcopy(value)
    edges = spec["edges"]
    for i, op in enumerate(patch.get("remove_edges") or []):
        key = f"interventions.{name}.remove_edges[{i}]"
        srcs = set(_select(units, op.get("source"), ck, key + ".source"))
        dsts = set(_select(units, op.get("target"), ck, key + ".target"))
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
        srcs = _select(units, op.get("source"), ck, key + ".source")
        dsts = _select(units, op.get("target"), ck, key + ".target")
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
        srcs = set(_select(units, sel["source"], ck, key + ".select.source")) if "source" in sel else None
        dsts = set(_select(units, sel["target"], ck, key + ".select.target")) if "target" in sel else None
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
        for s in _select(units, op.get("source"), ck, key + ".source"):
            for t in _select(units, op.get("target"), ck, key + ".target"):
                if s != t:
                    pairs.append({"source": s, "target": t, "value": float(op["value"])})
    for k, v in (patch.get("mechanisms") or {}).items():
        if k not in _MECH_DEFAULTS:
            ck.fail(f"interventions.{name}.mechanisms", k, "unknown mechanism parameter")
        spec.setdefault("_mechanism_overrides", {})[k] = v
