"""Interventions as patches of a scenario mapping, and how scenario files combine (`extends:`).

`apply_intervention` applies one patch of the intervention language (see `schema.InterventionSpec` for the
operations); the same language writes the `patches:` of a scenario file. `merge_scenarios` is the rule by which
the files a scenario `extends` combine (see `missionfit.scenario.loading.compose_scenario`).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from missionfit.scenario import schema
from missionfit.scenario.codes import ROLES
from missionfit.scenario.errors import Checker
from missionfit.scenario.resolve import UNIT_DEFAULTS, _as_list, _merge
from missionfit.scenario.targets import check_target_flows

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


def _pair_key(p: Mapping[str, Any]) -> tuple[str, str]:
    return (p["source"], p["target"])


def _id_key(entry: Mapping[str, Any]) -> Any:
    return entry.get("id")


#: Lists of a scenario whose entries have an identity: `merge_scenarios` merges them entry by entry.
KEYED_LISTS = {"units": _id_key, "sectors": _id_key, "event_types": _id_key, "edges": _edge_key}


def _merge_keyed(base: Any, override: Any, key: Any) -> list[dict[str, Any]]:
    """Entries of `base`, each deep-merged in place with the `override` entry of the same key; new ones appended.

    Only keys of `base` are matched: two entries with one key in the same file stay two, so that validation
    reports the duplicate instead of a silent merge.
    """
    out = [copy.deepcopy(dict(entry)) for entry in base or []]
    index = {key(entry): i for i, entry in enumerate(out)}
    for entry in override or []:
        k = key(entry)
        if k in index:
            out[index[k]] = _merge(out[index[k]], dict(entry))
        else:
            out.append(copy.deepcopy(dict(entry)))
    return out


def merge_scenarios(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Combine two scenario mappings, `override` on top of `base` (the rule of a scenario's `extends:`).

    - Entries with an identity keep their order: `units`, `sectors` and `event_types` by `id`, `edges` by
      (source, target, type) and `trust.pairs` by (source, target). An entry whose key is already present is
      deep-merged into it in place (its position, which drives the order of random draws, is kept); a new
      entry is appended. So a file can refine a unit of the file it extends by writing only the changed keys.
    - Mappings merge key by key, recursively (as Hydra merges configs).
    - Every other list (`citation`, `languages`, `sensors`, `domains`, ...) is replaced, as in Hydra.
    - `None` (an absent or null value) means "inherit".

    Args:
        base: The scenario so far (earlier files of `extends:`).
        override: The next file's keys.

    Returns:
        A new mapping; the inputs are not modified.
    """
    out = {k: copy.deepcopy(v) for k, v in base.items()}
    for key, value in override.items():
        if value is None:
            continue
        if key in KEYED_LISTS:
            out[key] = _merge_keyed(out.get(key), value, KEYED_LISTS[key])
        elif key == "trust" and isinstance(value, Mapping):
            trust = _merge(out.get("trust") or {}, {k: v for k, v in value.items() if k != "pairs"})
            if value.get("pairs") is not None:
                trust["pairs"] = _merge_keyed((out.get("trust") or {}).get("pairs"), value["pairs"], _pair_key)
            out["trust"] = trust
        else:
            out[key] = _merge(out.get(key), value)
    return out


def _remove_units(spec: dict[str, Any], ids: set[str]) -> None:
    """Remove units with everything that names them: their edges, trust pairs and places in `rivals` lists."""
    spec["units"][:] = [u for u in spec["units"] if u["id"] not in ids]
    spec["edges"][:] = [e for e in spec["edges"] if e["source"] not in ids and e["target"] not in ids]
    pairs = spec["trust"].get("pairs")
    if pairs:
        pairs[:] = [p for p in pairs if p["source"] not in ids and p["target"] not in ids]
    for u in spec["units"]:
        if u.get("rivals"):
            u["rivals"] = [r for r in u["rivals"] if r not in ids]
        if (u.get("protection") or {}).get("by") in ids:
            u["protection"] = None  # the protector left: nobody to depend on (issue 16 §3)


def _insert_at(
    edges: list[dict[str, Any]], op: Mapping[str, Any], spec: Mapping[str, Any], ck: Checker, key: str
) -> int:
    """Index after the last edge matched by `op["after"]` (an edge selector), or the end of the list."""
    after = op.get("after")
    if after is None:
        return len(edges)
    if not isinstance(after, Mapping) or not {"source", "target"} <= set(after):
        ck.fail(key + ".after", after, "an edge selector {source, target, type}")
    srcs = set(_select(spec, after["source"], ck, key + ".after.source"))
    dsts = set(_select(spec, after["target"], ck, key + ".after.target"))
    types = _as_list(after.get("type"))
    hits = [
        i
        for i, e in enumerate(edges)
        if e["source"] in srcs and e["target"] in dsts and (not types or e.get("type", "intel") in types)
    ]
    if not hits:
        ck.fail(key + ".after", dict(after), "matches no edge")
    return hits[-1] + 1


def apply_intervention(
    spec: dict[str, Any], name: str, patch: Mapping[str, Any], source: str, where: str = "interventions"
) -> None:
    """Apply one intervention patch in place (see `schema.InterventionSpec` for the operations).

    Adds are idempotent (an existing unit id or edge is kept as it is), so interventions compose and an
    intervention already built into a scenario (e.g. `integrate_u2_asifu` in `minusma_2018`) is harmless.
    Units are removed first, so that a patch can remove a unit and add another with the same id.

    Args:
        spec: The scenario mapping, changed in place.
        name: The patch's name (in error messages).
        patch: The operations.
        source: The file the patch came from (in error messages).
        where: The key the patch sits under, `interventions` or a scenario's `patches` (in error messages).
    """
    ck = Checker(source)
    unknown = set(patch) - {f.name for f in dataclasses.fields(schema.InterventionSpec)}
    if unknown:
        ck.fail(f"{where}.{name}", sorted(unknown)[0], "unknown intervention key")
    if patch.get("target_flows") is not None:
        check_target_flows(patch["target_flows"], ck, f"{where}.{name}.target_flows")
    units = spec["units"]
    for i, op in enumerate(patch.get("remove_units") or []):
        key = f"{where}.{name}.remove_units[{i}]"
        _remove_units(spec, set(_select(spec, op, ck, key)))
    for i, u in enumerate(patch.get("add_units") or []):
        if u.get("id") not in {x["id"] for x in units}:
            units.append(copy.deepcopy(dict(u)))
        _ = i
    for i, op in enumerate(patch.get("set_units") or []):
        key = f"{where}.{name}.set_units[{i}]"
        targets = set(_select(spec, op.get("select"), ck, key + ".select"))
        for u in units:
            if u["id"] in targets:
                for attr, value in (op.get("set") or {}).items():
                    if attr not in _UNIT_FIELDS or attr == "id":
                        ck.fail(key + ".set", attr, "unknown unit attribute")
                    u[attr] = _merge(u.get(attr), value) if isinstance(value, Mapping) else copy.deepcopy(value)
    edges = spec["edges"]
    for i, op in enumerate(patch.get("remove_edges") or []):
        key = f"{where}.{name}.remove_edges[{i}]"
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
        key = f"{where}.{name}.add_edges[{i}]"
        srcs = _select(spec, op.get("source"), ck, key + ".source")
        dsts = _select(spec, op.get("target"), ck, key + ".target")
        same_sector = bool(op.get("same_sector", False))
        attrs = {k: v for k, v in op.items() if k in _EDGE_FIELDS and k not in ("source", "target")}
        at = _insert_at(edges, op, spec, ck, key)
        for s in srcs:
            for t in dsts:
                if s == t or (same_sector and by_id[s].get("sector") != by_id[t].get("sector")):
                    continue
                edge = {"source": s, "target": t, **attrs}
                if _edge_key(edge) not in existing:
                    edges.insert(at, edge)
                    at += 1
                    existing.add(_edge_key(edge))
    for i, op in enumerate(patch.get("set_edges") or []):
        key = f"{where}.{name}.set_edges[{i}]"
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
        key = f"{where}.{name}.set_trust[{i}]"
        ck.unit_interval(key + ".value", op.get("value"))
        for s in _select(spec, op.get("source"), ck, key + ".source"):
            for t in _select(spec, op.get("target"), ck, key + ".target"):
                if s != t:
                    pairs.append({"source": s, "target": t, "value": float(op["value"])})
    for k, v in (patch.get("mechanisms") or {}).items():
        if k not in _MECH_DEFAULTS:
            ck.fail(f"{where}.{name}.mechanisms", k, "unknown mechanism parameter")
        spec.setdefault("_mechanism_overrides", {})[k] = v


def apply_patches(spec: dict[str, Any], patches: Mapping[str, Mapping[str, Any]], source: str) -> None:
    """Apply a scenario file's `patches:` in place, in order (the intervention language without `mechanisms`).

    Args:
        spec: The composed scenario mapping.
        patches: Name -> patch.
        source: The scenario file (in error messages).

    Raises:
        ScenarioError: A patch sets mechanisms (a scenario describes a mission, not a run), or fails.
    """
    for key in ("units", "edges"):
        spec.setdefault(key, [])
    if spec.get("trust") is None:
        spec["trust"] = {}
    for name, patch in patches.items():
        if (patch or {}).get("mechanisms"):
            Checker(source).fail(f"patches.{name}", "mechanisms", "a scenario patch cannot set mechanisms")
        if (patch or {}).get("target_flows"):
            Checker(source).fail(
                f"patches.{name}", "target_flows", "a scenario patch declares no target flows (an intervention does)"
            )
        apply_intervention(spec, name, patch or {}, source, where="patches")
