"""Declared target flows of an intervention (`target_flows:`): what its patch acts on, named by the output contract.

An intervention's YAML names the flow or metric it acts on by design (docs/validation.md §6.8 (a), issue 16 §3), so
that a test can check, paired and with the same seeds, that the declared flow moves (in the declared direction, if
one is declared). Whether goal realization follows is a finding, never a test. An entry is one of

- `{metric: <name>, direction: up|down}`: a per-replicate metric of the contract (`missionfit.contract.METRICS`);
- `{flow: <column>, edges: {source: <selector>, target: <selector>, type: <edge type(s)>}, direction: up|down}`: a
  count column of `flows.parquet` (`hops`, `delivered`, `withheld`, `sanitized`, `lost`) summed over the edges the
  filter selects (every key optional; selectors are unit ids or mappings of unit attribute or `role` to values, as in
  the intervention's own selectors, matched against the units as run);
- `{reports: <measure>, origin: <selector>, direction: up|down}`: how good the selected units' reports are, read
  from the run's message store (`missionfit.model.received`; no counter of the contract holds it):
  `accuracy_received`, the share of right facet values at their first receiver (the "quality as received" of
  docs/validation.md §6.2, §6.8); `quality_received`, their report quality on arrival; `accuracy_observed`, the
  facet accuracy of what the units' sensors yield (issue 16 §3: "report quality, facet accuracy").

`direction` is optional (then any change counts). `scenario` (optional) names the scenario the check runs on, when
the intervention is a no-op on the default one (`uav_fast_accreditation` on `minusma_2015`, whose UAVs are
accredited from day 0). `check_target_flows` is the loader's check: an unknown key, name or value fails with one
line naming the file, key and value (`ScenarioError`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from missionfit.contract import FLOWS, METRICS, Kind
from missionfit.scenario import schema
from missionfit.scenario.codes import ROLES
from missionfit.scenario.errors import Checker
from missionfit.scenario.rivalry import matches

#: Keys a target-flow entry may hold.
TARGET_KEYS = ("metric", "flow", "reports", "edges", "origin", "direction", "scenario")
#: Directions a target flow may declare, and their sign.
DIRECTIONS = {"up": 1, "down": -1}
#: Per-replicate metrics a target may name (the contract's, produced now).
TARGET_METRICS = tuple(m.name for m in METRICS if m.per_replicate)
#: Count columns of `flows.parquet` a target may name.
TARGET_FLOW_COLUMNS = tuple(c.name for c in FLOWS.columns if c.kind is Kind.COUNT and c.name != "replicates")
#: Measures of a `reports:` target (as `missionfit.model.received.RECEIVED_MEASURES`; the scenario layer does not
#: import the model).
REPORT_MEASURES = ("accuracy_received", "quality_received", "accuracy_observed")
#: Keys of a target's edge filter.
EDGE_FILTER_KEYS = ("source", "target", "type")

_UNIT_FIELDS = {f.name for f in dataclasses.fields(schema.UnitSpec)}


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _check_selector(selector: Any, ck: Checker, key: str) -> None:
    """A unit selector: an id, a list of ids, or a mapping of unit attribute (or `role`) to value(s)."""
    if isinstance(selector, str) or (isinstance(selector, list) and all(isinstance(s, str) for s in selector)):
        return
    if not isinstance(selector, Mapping) or not selector:
        ck.fail(key, selector, "a selector is a unit id, a list of ids or a mapping of attributes")
    for attr, want in selector.items():
        if attr != "role" and attr not in _UNIT_FIELDS:
            ck.fail(key, attr, "unknown selector key (a unit attribute or role)")
        if attr == "role":
            for role in _as_list(want):
                if role not in ROLES:
                    ck.fail(key + ".role", role, "unknown role (docs/scenarios.md, Roles)")


def check_target_flows(entries: Any, ck: Checker, key: str) -> None:
    """The loader's check of an intervention's `target_flows:` (see the module docstring).

    Args:
        entries: The value of `target_flows`.
        ck: Names the intervention's file in the error.
        key: Where the list sits, e.g. `interventions.jcb_directive.target_flows`.

    Raises:
        ScenarioError: One line naming the file, the key and the bad value.
    """
    if not isinstance(entries, list):
        ck.fail(key, entries, "must be a list of {metric | flow (+ edges) | reports (+ origin), direction, scenario}")
    for i, entry in enumerate(entries):
        k = f"{key}[{i}]"
        if not isinstance(entry, Mapping):
            ck.fail(k, entry, "must be a mapping {metric | flow (+ edges) | reports (+ origin), direction, scenario}")
        for name in entry:
            if name not in TARGET_KEYS:
                ck.fail(k, name, f"unknown target-flow key (known: {', '.join(TARGET_KEYS)})")
        if sum(name in entry for name in ("metric", "flow", "reports")) != 1:
            ck.fail(k, dict(entry), "names exactly one of metric, flow or reports")
        if "origin" in entry and "reports" not in entry:
            ck.fail(k + ".origin", entry["origin"], "an origin goes with a reports target")
        if "reports" in entry:
            ck.one_of(k + ".reports", entry["reports"], set(REPORT_MEASURES))
            if "edges" in entry:
                ck.fail(k + ".edges", entry["edges"], "an edge filter goes with a flow, not a reports target")
            if "origin" not in entry:
                ck.fail(k, dict(entry), "a reports target names the origin units whose reports count")
            _check_selector(entry["origin"], ck, k + ".origin")
        elif "metric" in entry:
            if entry["metric"] not in TARGET_METRICS:
                ck.fail(k + ".metric", entry["metric"], "not a per-replicate metric of the output contract")
            if "edges" in entry:
                ck.fail(k + ".edges", entry["edges"], "an edge filter goes with a flow, not a metric")
        else:
            ck.one_of(k + ".flow", entry["flow"], set(TARGET_FLOW_COLUMNS))
            edges = entry.get("edges") or {}
            if not isinstance(edges, Mapping):
                ck.fail(k + ".edges", edges, "must be a mapping {source, target, type}")
            for name, value in edges.items():
                if name not in EDGE_FILTER_KEYS:
                    ck.fail(k + ".edges", name, f"unknown edge filter key (known: {', '.join(EDGE_FILTER_KEYS)})")
                if name == "type":
                    for t in _as_list(value):
                        ck.one_of(k + ".edges.type", t, set(schema.EDGE_TYPES))
                else:
                    _check_selector(value, ck, f"{k}.edges.{name}")
        if "direction" in entry:
            ck.one_of(k + ".direction", entry["direction"], set(DIRECTIONS))
        if "scenario" in entry and (not isinstance(entry["scenario"], str) or not entry["scenario"]):
            ck.fail(k + ".scenario", entry["scenario"], "must be a scenario name")


def _unit_matches(unit: Mapping[str, Any], selector: Any) -> bool:
    if isinstance(selector, str):
        return unit["id"] == selector
    if isinstance(selector, list):
        return unit["id"] in selector
    return matches(unit, selector)


def selected_units(units: Sequence[Mapping[str, Any]], selector: Any) -> list[int]:
    """The indices (in the order of the units as run) of the units a target's selector picks, e.g. its `origin`.

    Args:
        units: The units as run (`CompiledScenario.units`: resolved, with their roles).
        selector: A unit id, a list of ids, or a mapping of unit attribute (or `role`) to value(s).
    """
    return [i for i, u in enumerate(units) if _unit_matches(u, selector)]


def selected_edges(
    units: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]], edge_filter: Any
) -> list[tuple[str, str, str]]:
    """The (source, target, type) of the edges a target's `edges:` filter selects, among the edges of a run.

    Args:
        units: The units as run (`CompiledScenario.units`: resolved, with their roles).
        edges: The edges as run (`CompiledScenario.edges`).
        edge_filter: The filter (`{source, target, type}`, each optional; `None` selects every edge).
    """
    f = dict(edge_filter or {})
    by_id = {u["id"]: u for u in units}
    types = set(_as_list(f["type"])) if "type" in f else None
    out = []
    for e in edges:
        if types is not None and e["type"] not in types:
            continue
        if "source" in f and not _unit_matches(by_id[e["source"]], f["source"]):
            continue
        if "target" in f and not _unit_matches(by_id[e["target"]], f["target"]):
            continue
        out.append((e["source"], e["target"], e["type"]))
    return out
