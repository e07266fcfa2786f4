"""Generic, mission-agnostic structures of any size: a `hierarchy` and an `edge` organization.

They exist for method work and scaling (docs/scenarios.md). The hierarchy is the classic staff pyramid
(collectors report up intelligence branches to one commander), the edge organization is the flat,
peer-to-peer alternative of Alberts and Hayes's "Power to the Edge" studied with ELICIT. Both are written
into the scenario mapping as ordinary units and edges, so the engine treats them like any mission.
The structure is drawn from its own seed (`generator.structure_seed`), apart from the replicate seeds.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from missionfit.scenario import schema
from missionfit.scenario.resolve import _merge

#: The vocabulary of the generated kinds (docs/scenarios.md, "Roles"): the hierarchy's root is the Force
#: Commander, its inner nodes are sector-level intelligence branches (G2s: they feed no slot, since no S2
#: reports to them), its leaves collectors; the edge organization's peers collect and analyse.
GENERATED_KINDS: dict[str, dict[str, Any]] = {
    "force_hq": {"roles": ["force_commander"], "echelon": "leadership", "actor_block": "Force & sector HQ",
                 "kind_label": "Force HQ"},
    "g2": {"roles": ["military_intelligence"], "echelon": "sector", "actor_block": "U2/G2/S2 line",
           "kind_label": "Sector G2"},
    "battalion": {"roles": ["collector"], "echelon": "unit", "actor_block": "Battalions", "kind_label": "Battalion"},
    "edge_unit": {"roles": ["collector"], "kind_label": "Edge unit"},
}


def _declare_kinds(spec: dict[str, Any], kinds: tuple[str, ...]) -> None:
    """Give the generated kinds their roles; what the scenario's own `kind_defaults` says for them wins."""
    for kind in kinds:
        spec["kind_defaults"][kind] = _merge(GENERATED_KINDS[kind], spec["kind_defaults"].get(kind) or {})


def _lines(spec: dict[str, Any]) -> list[str]:
    lines = sorted({et["line"] for et in spec["event_types"]})
    return lines or ["security"]


def _horizons(spec: dict[str, Any]) -> list[str]:
    return sorted({et["horizon"] for et in spec["event_types"]}) or ["imminent"]


def _sectors(spec: dict[str, Any], n: int, gen: dict[str, Any]) -> list[str]:
    # 0 = about 25 units a sector, so each indicator meets a handful of collectors at any size
    k = int(gen["sectors"]) or max(1, n // 25)
    rate = float(gen["events_per_unit_day"]) * n / k
    spec["sectors"] = [{"id": f"s{i}", "name": f"Sector {i}", "event_rate": rate, "languages": []} for i in range(k)]
    return [s["id"] for s in spec["sectors"]]


def _collector(uid: str, sector: str) -> dict[str, Any]:
    return {
        "id": uid,
        "kind": "battalion",
        "sector": sector,
        "strength": 650,
        "sensors": [{"type": "patrol", "coverage": 0.15, "domains": list(schema.DOMAINS)}],
    }


def hierarchy(spec: dict[str, Any], n: int, gen: dict[str, Any]) -> None:
    """A tree with `branching` children per node: root commander, branch nodes, collector leaves."""
    sectors = _sectors(spec, n, gen)
    b = max(2, int(gen["branching"]))
    parent = [-1] + [(i - 1) // b for i in range(1, n)]
    has_child = [False] * n
    for i in range(1, n):
        has_child[parent[i]] = True
    units, edges = [], []
    consumer = {"lines": _lines(spec), "horizons": _horizons(spec), "lead_days": 0.5}
    for i in range(n):
        uid = f"u{i}"
        if i == 0:
            units.append({"id": uid, "kind": "force_hq", "consumer": consumer, "tasking_rate": 0.2,
                          "focus": {"horizon": 0.0}})
            continue
        sector = sectors[(i * len(sectors)) // n]  # siblings are contiguous in breadth-first numbering
        if has_child[i]:
            units.append({"id": uid, "kind": "g2", "sector": sector, "analysts": 4.0, "tasking_rate": 0.2,
                          "focus": {"horizon": 0.2}})
        else:
            units.append(_collector(uid, sector))
        edges.append({"source": uid, "target": f"u{parent[i]}", "type": "intel", "latency_days": 0.25})
        edges.append({"source": f"u{parent[i]}", "target": uid, "type": "command", "latency_days": 0.25})
    spec["units"], spec["edges"] = units, edges
    _declare_kinds(spec, ("force_hq", "g2", "battalion"))


def edge_organization(spec: dict[str, Any], n: int, gen: dict[str, Any]) -> None:
    """A connected small world of peer units that all collect, analyse and share both ways."""
    sectors = _sectors(spec, n, gen)
    k = max(2, int(gen["neighbours"]))
    graph = nx.connected_watts_strogatz_graph(n, k, float(gen["rewire"]), seed=int(gen["structure_seed"]))
    consumer = {"lines": _lines(spec), "horizons": _horizons(spec), "lead_days": 0.5}
    units = []
    for i in range(n):
        unit = _collector(f"u{i}", sectors[i * len(sectors) // n])
        unit.update({"kind": "edge_unit", "analysts": 2.0, "focus": {"horizon": 0.3}})
        if i % max(1, n // 10) == 0:
            unit["consumer"] = consumer
        units.append(unit)
    edges = []
    for a, b in sorted(graph.edges()):
        for s, t in ((a, b), (b, a)):
            edges.append({"source": f"u{s}", "target": f"u{t}", "type": "intel", "latency_days": 0.25})
    spec["units"], spec["edges"] = units, edges
    _declare_kinds(spec, ("edge_unit",))


def expand(spec: dict[str, Any], ck: Any) -> None:
    """Write the generated structure into `spec` (units, edges, sectors)."""
    gen = spec["generator"]
    n = spec.get("n_units")
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        ck.fail("n_units", n, "a generated scenario needs n_units >= 2")
    if gen["kind"] == "hierarchy":
        hierarchy(spec, n, gen)
    elif gen["kind"] == "edge":
        edge_organization(spec, n, gen)
    else:
        ck.fail("generator.kind", gen["kind"], "must be none, hierarchy or edge")
