"""Load, validate, patch and fit-adjust a scenario, then compile it into arrays for the engine.

The pipeline is `build_scenario`:

1. fill a plain mapping into the schema (`missionfit.schema`), rejecting unknown keys;
2. expand a generated structure (`generator.kind: hierarchy | edge`, see `missionfit.generators`);
3. apply the selected interventions, in a stable (sorted) order, as patches;
4. resolve each unit's attributes (unit > kind_defaults > group_defaults > `UNIT_DEFAULTS`);
5. validate ranges and references, failing with one line naming the file, key and value;
6. move every mechanism of each fit dimension from observed toward ideal (`missionfit.fit`);
7. compile to numpy arrays (`CompiledScenario`).
"""

from __future__ import annotations

import copy
import dataclasses
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from missionfit import schema

#: Attributes every unit has when neither the unit, its kind nor its group sets them.
UNIT_DEFAULTS: dict[str, Any] = {
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
    "analysts": 0.0,
    "sensors": [],
    "escort_cost": 0.0,
    "reporting_culture": {"proactive": 0.5, "responsive": 0.7, "bypass": 0.0},
    "report_writing": 0.6,
    "languages": ["en"],
    "local_knowledge": 0.3,
    "trust_threshold": 0.45,
    "focus": {"horizon": 0.5, "domains": list(schema.DOMAINS)},
    "mandate_fidelity": 1.0,
    "rivals": [],
    "consumer": None,
    "tasking_rate": 0.0,
    "board": None,
    "rotation_day": None,
    "source": None,
}

#: Unit attributes that are probabilities or levels in [0, 1] (dotted for nested ones).
UNIT_UNIT_INTERVAL = (
    "tech_level",
    "escort_cost",
    "reporting_culture.proactive",
    "reporting_culture.responsive",
    "reporting_culture.bypass",
    "report_writing",
    "local_knowledge",
    "trust_threshold",
    "focus.horizon",
    "mandate_fidelity",
    "tasking_rate",
)

_SENSOR_FIELDS = {f.name for f in dataclasses.fields(schema.SensorSpec)}
_CONSUMER_FIELDS = {f.name for f in dataclasses.fields(schema.ConsumerSpec)}
_UNIT_FIELDS = {f.name for f in dataclasses.fields(schema.UnitSpec)}
_EDGE_FIELDS = {f.name for f in dataclasses.fields(schema.EdgeSpec)}
_MECH_DEFAULTS = dataclasses.asdict(schema.MechanismSpec())


class ScenarioError(ValueError):
    """A scenario, intervention or setting that cannot be run; its message is one line."""

    def __init__(self, source: str, key: str, value: Any, reason: str):
        self.source, self.key, self.value, self.reason = source, key, value, reason
        super().__init__(f"{source}: {key} = {value!r}: {reason}")


# --------------------------------------------------------------------------------------------------
# small helpers


def _merge(base: Any, override: Any) -> Any:
    """Deep-merge mappings; `None` in the override means "inherit"; lists are replaced."""
    if override is None:
        return copy.deepcopy(base)
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = {k: copy.deepcopy(v) for k, v in base.items()}
        for k, v in override.items():
            out[k] = _merge(out.get(k), v) if k in out else copy.deepcopy(v)
        return out
    return copy.deepcopy(override)


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


class _Checker:
    """Range and membership checks that raise `ScenarioError` with the file, key and value."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, value: Any, reason: str) -> None:
        raise ScenarioError(self.source, key, value, reason)

    def unit_interval(self, key: str, value: Any) -> None:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
            self.fail(key, value, "must be a number in [0, 1]")

    def non_negative(self, key: str, value: Any) -> None:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            self.fail(key, value, "must be a non-negative number")

    def one_of(self, key: str, value: Any, allowed: tuple[str, ...] | set[str]) -> None:
        if value not in allowed:
            self.fail(key, value, f"must be one of {', '.join(sorted(allowed))}")


# --------------------------------------------------------------------------------------------------
# interventions


def _select(units: list[dict[str, Any]], selector: Any, ck: _Checker, key: str) -> list[str]:
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
    ck = _Checker(source)
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


# --------------------------------------------------------------------------------------------------
# resolution and validation


def _normalise_spec(raw: Mapping[str, Any], ck: _Checker) -> dict[str, Any]:
    """Fill the schema's defaults into a plain mapping and reject unknown top-level keys."""
    base = dataclasses.asdict(schema.ScenarioSpec())
    unknown = set(raw) - set(base)
    if unknown:
        ck.fail("scenario", sorted(unknown)[0], "unknown scenario key")
    spec = _merge(base, {k: v for k, v in raw.items() if v is not None})
    spec["trust"] = _merge(dataclasses.asdict(schema.TrustSpec()), raw.get("trust") or {})
    spec["generator"] = _merge(dataclasses.asdict(schema.GeneratorSpec()), raw.get("generator") or {})
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
    resolved = copy.deepcopy(UNIT_DEFAULTS)
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
    if resolved.get("board") is not None or resolved.get("kind") == "board":
        resolved["board"] = _merge(dataclasses.asdict(schema.BoardSpec()), dict(resolved.get("board") or {}))
    return resolved


def _validate(spec: dict[str, Any], units: list[dict[str, Any]], ck: _Checker) -> None:
    """Check ranges and references; raises ScenarioError on the first problem."""
    sector_ids = [s["id"] for s in spec["sectors"]]
    for i, s in enumerate(spec["sectors"]):
        ck.non_negative(f"sectors[{i}].event_rate", s.get("event_rate"))
    if len(set(sector_ids)) != len(sector_ids):
        dup = next(x for x in sector_ids if sector_ids.count(x) > 1)
        ck.fail("sectors", dup, "duplicate sector id")
    if not sector_ids:
        ck.fail("sectors", [], "a scenario needs at least one sector")
    if not spec["event_types"]:
        ck.fail("event_types", [], "a scenario needs at least one event type")
    for i, et in enumerate(spec["event_types"]):
        k = f"event_types[{i}]"
        ck.one_of(k + ".line", et["line"], set(schema.MANDATE_LINES))
        ck.one_of(k + ".domain", et["domain"], set(schema.DOMAINS))
        ck.one_of(k + ".horizon", et["horizon"], set(schema.HORIZONS))
        ck.non_negative(k + ".share", et["share"])
        for j, x in enumerate(et["severity"]):
            ck.non_negative(f"{k}.severity[{j}]", x)
        for j, x in enumerate(et["warning_days"]):
            ck.non_negative(f"{k}.warning_days[{j}]", x)
        if len(et["severity"]) != 2 or et["severity"][0] > et["severity"][1]:
            ck.fail(k + ".severity", et["severity"], "must be [low, high] with low <= high")
        if len(et["warning_days"]) != 2 or et["warning_days"][0] > et["warning_days"][1]:
            ck.fail(k + ".warning_days", et["warning_days"], "must be [low, high] with low <= high")
        if et["indicators"] < 1:
            ck.fail(k + ".indicators", et["indicators"], "must be at least 1")
    if sum(et["share"] for et in spec["event_types"]) <= 0:
        ck.fail("event_types", "share", "shares must not all be zero")
    for line, w in spec["mandate_weights"].items():
        ck.one_of(f"mandate_weights.{line}", line, set(schema.MANDATE_LINES))
        ck.non_negative(f"mandate_weights.{line}", w)
    ck.non_negative("rotation_days", spec["rotation_days"])

    seen: set[str] = set()
    for i, u in enumerate(units):
        k = f"units[{i}]"
        if u["id"] in seen:
            ck.fail(k + ".id", u["id"], "duplicate unit id")
        seen.add(u["id"])
        if not u.get("kind") or u["kind"] == "???":
            ck.fail(k + ".kind", u.get("kind"), "every unit needs a kind")
        for attr in UNIT_UNIT_INTERVAL:
            ck.unit_interval(f"units[{i}].{attr} (id {u['id']})", _get(u, attr))
        ck.one_of(f"{k}.component", u["component"], set(schema.COMPONENTS))
        ck.one_of(f"{k}.procedures", u["procedures"], set(schema.PROCEDURES))
        ck.non_negative(f"{k}.analysts", u["analysts"])
        ck.non_negative(f"{k}.strength", u["strength"] or 0)
        sl = u["security_level"]
        if not isinstance(sl, int) or not 0 <= sl <= 3:
            ck.fail(f"{k}.security_level", sl, "must be an integer level 0..3")
        if u["sector"] is not None and u["sector"] not in sector_ids:
            ck.fail(f"{k}.sector", u["sector"], "unknown sector")
        for d in u["focus"]["domains"]:
            ck.one_of(f"{k}.focus.domains", d, set(schema.DOMAINS))
        for j, s in enumerate(u["sensors"]):
            sk = f"{k}.sensors[{j}]"
            extra = set(s) - _SENSOR_FIELDS
            if extra:
                ck.fail(sk, sorted(extra)[0], "unknown sensor key")
            ck.unit_interval(sk + ".coverage", s["coverage"])
            ck.non_negative(sk + ".available_day", s["available_day"])
            for d in s["domains"]:
                ck.one_of(sk + ".domains", d, set(schema.DOMAINS))
            for sec in s["sectors"]:
                ck.one_of(sk + ".sectors", sec, set(sector_ids))
        if u["board"] is not None and (not isinstance(u["board"]["period_days"], int) or u["board"]["period_days"] < 1):
            ck.fail(f"{k}.board.period_days", u["board"]["period_days"], "a board meets every n >= 1 days")
        if u["rotation_day"] is not None:
            ck.non_negative(f"{k}.rotation_day", u["rotation_day"])
        c = u["consumer"]
        if c is not None:
            extra = set(c) - _CONSUMER_FIELDS
            if extra:
                ck.fail(f"{k}.consumer", sorted(extra)[0], "unknown consumer key")
            for line in c["lines"]:
                ck.one_of(f"{k}.consumer.lines", line, set(schema.MANDATE_LINES))
            for h in c["horizons"]:
                ck.one_of(f"{k}.consumer.horizons", h, set(schema.HORIZONS))
            ck.non_negative(f"{k}.consumer.lead_days", c["lead_days"])
    for i, u in enumerate(units):
        for r in u["rivals"]:
            if r not in seen:
                ck.fail(f"units[{i}].rivals", r, "unknown unit")

    command = nx.DiGraph()
    for i, e in enumerate(spec["edges"]):
        k = f"edges[{i}]"
        extra = set(e) - _EDGE_FIELDS
        if extra:
            ck.fail(k, sorted(extra)[0], "unknown edge key")
        for end in ("source", "target"):
            if e[end] not in seen:
                ck.fail(f"{k}.{end}", e[end], "edge to an unknown unit")
        if e["source"] == e["target"]:
            ck.fail(f"{k}.target", e["target"], "an edge may not loop onto its source")
        ck.one_of(f"{k}.type", e["type"], set(schema.EDGE_TYPES))
        ck.non_negative(f"{k}.latency_days", e["latency_days"])
        ck.unit_interval(f"{k}.reliability", e["reliability"])
        if e["type"] == "command":
            command.add_edge(e["source"], e["target"])
        if e["type"] == "board":
            target = next(u for u in units if u["id"] == e["target"])
            if target["board"] is None:
                ck.fail(f"{k}.target", e["target"], "board edges must point at a unit of kind board")
    try:
        cycle = nx.find_cycle(command)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        ck.fail("edges (type command)", " -> ".join([a for a, _ in cycle] + [cycle[0][0]]), "command cycle")
    trust = spec["trust"]
    for key in ("default", "same_group", "same_contributor"):
        ck.unit_interval(f"trust.{key}", trust[key])
    for g, row in (trust.get("groups") or {}).items():
        for h, v in row.items():
            ck.unit_interval(f"trust.groups.{g}.{h}", v)
    for i, p in enumerate(trust.get("pairs") or []):
        for end in ("source", "target"):
            if p[end] not in seen:
                ck.fail(f"trust.pairs[{i}].{end}", p[end], "unknown unit")
        ck.unit_interval(f"trust.pairs[{i}].value", p["value"])


# --------------------------------------------------------------------------------------------------
# the compiled scenario


@dataclass
class CompiledScenario:
    """A validated, patched, fit-adjusted scenario, with the arrays the engine runs on.

    Attributes:
        name: Scenario name.
        units: Resolved unit attributes after interventions and fit (one dict per unit).
        edges: Compiled edges (board memberships expanded into member-to-member `board` edges).
        sectors: Sector specs.
        event_types: Event type specs.
        mandate_weights: Weight per mandate line (normalised to sum 1 over `schema.MANDATE_LINES`).
        mechanisms: Mechanism parameters after interventions and fit.
        fit: Fit knobs used.
        interventions: Names of the interventions applied.
        trust_prior: Trust prior matrix, `trust_prior[i, j]` = unit i's trust in unit j.
        rivalry: Rivalry matrix in [0, 1].
        arrays: Per-unit, per-sensor and per-edge arrays for the engine.
    """

    name: str
    units: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    sectors: list[dict[str, Any]]
    event_types: list[dict[str, Any]]
    mandate_weights: np.ndarray
    mechanisms: dict[str, float]
    fit: dict[str, float]
    interventions: list[str]
    trust_prior: np.ndarray
    rivalry: np.ndarray
    rotation_days: int = 180
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.units)

    def index_of(self, unit_id: str) -> int:
        """Array index of a unit id."""
        return self.arrays["_index"][unit_id]

    @cached_property
    def labels(self) -> dict[str, Any]:
        """Unit ids and kinds, and edge sources, targets and types, as pandas string arrays.

        Built once per compiled scenario for the tables every replicate makes (`missionfit.metrics`):
        converting Python strings to pandas' strings per replicate costs about as much as a table.
        `edge_type` has one more entry, "none", for a message that crossed no edge (index -1).
        """
        def strings(values: list[str]) -> Any:
            return pd.array(values, dtype="str")

        return {
            "unit_id": strings([u["id"] for u in self.units]),
            "unit_kind": strings([u["kind"] for u in self.units]),
            "edge_source": strings([e["source"] for e in self.edges]),
            "edge_target": strings([e["target"] for e in self.edges]),
            "edge_type": strings([e["type"] for e in self.edges] + ["none"]),
            "message_kind": strings(["report", "assessment"]),  # by kind code: RAW, ASSESSMENT
        }

    def units_of_kind(self, *kinds: str) -> list[int]:
        """Indices of the units of the given kinds."""
        return [i for i, u in enumerate(self.units) if u["kind"] in kinds]

    def units_table(self) -> pd.DataFrame:
        """The units as run: identity, placement and every attribute (nested ones flattened)."""
        rows = []
        for u in self.units:
            nested = ("sensors", "consumer", "board", "reporting_culture", "focus")
            row = {k: v for k, v in u.items() if k not in nested}
            row["languages"] = ",".join(u["languages"])
            row["rivals"] = ",".join(u["rivals"])
            for k, v in u["reporting_culture"].items():
                row[f"reporting_culture.{k}"] = v
            row["focus.horizon"] = u["focus"]["horizon"]
            row["focus.domains"] = ",".join(u["focus"]["domains"])
            row["sensors"] = ";".join(
                f"{s['type']}:{s['coverage']:.3f}@{s['available_day']}" for s in u["sensors"]
            )
            c = u["consumer"]
            row["consumer.lines"] = ",".join(c["lines"]) if c else ""
            row["consumer.horizons"] = ",".join(c["horizons"]) if c else ""
            row["consumer.lead_days"] = c["lead_days"] if c else np.nan
            row["board.period_days"] = u["board"]["period_days"] if u["board"] else np.nan
            rows.append(row)
        df = pd.DataFrame(rows)
        front = ["id", "name", "kind", "component", "contributor", "group", "location", "sector", "strength"]
        return df[front + [c for c in df.columns if c not in front]]


def _trust_prior(units: list[dict[str, Any]], trust: Mapping[str, Any]) -> np.ndarray:
    n = len(units)
    prior = np.full((n, n), float(trust["default"]))
    groups = trust.get("groups") or {}
    index = {u["id"]: i for i, u in enumerate(units)}
    for i, a in enumerate(units):
        row = groups.get(a["group"], {})
        for j, b in enumerate(units):
            if b["group"] in row:
                prior[i, j] = row[b["group"]]
            elif a["group"] == b["group"]:
                prior[i, j] = trust["same_group"]
            if a["contributor"] == b["contributor"] and b["group"] not in row:
                prior[i, j] = max(prior[i, j], trust["same_contributor"])
    for p in trust.get("pairs") or []:
        prior[index[p["source"]], index[p["target"]]] = p["value"]
    np.fill_diagonal(prior, 1.0)
    return prior


def _expand_boards(units: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replace membership edges (member -> board) by pairwise member-to-member `board` edges.

    The board's meetings are where members exchange; each pair exchange is a hop on its own edge, so
    flows show who actually shared with whom at the JCB.
    """
    out = [e for e in edges if e["type"] != "board"]
    members: dict[str, list[dict[str, Any]]] = {}
    for e in edges:
        if e["type"] == "board":
            members.setdefault(e["target"], []).append(e)
    for board, ms in members.items():
        for a in ms:
            for b in ms:
                if a["source"] != b["source"]:
                    out.append(
                        {
                            "source": a["source"],
                            "target": b["source"],
                            "type": "board",
                            "latency_days": max(a["latency_days"], b["latency_days"]),
                            "reliability": a["reliability"] * b["reliability"],
                            "directive": bool(a["directive"] or b["directive"]),
                            "board": board,
                        }
                    )
    return out


def _default_rotation(unit: Mapping[str, Any], rotation_days: int) -> int | None:
    """Contingents rotate once per `rotation_days`; the day is a stable function of the contributor."""
    if not rotation_days:
        return None
    return zlib.crc32(str(unit["contributor"]).encode()) % rotation_days


def build_scenario(
    scenario: Mapping[str, Any],
    *,
    interventions: Mapping[str, Mapping[str, Any]] | None = None,
    fit: Mapping[str, float] | None = None,
    mechanisms: Mapping[str, float] | None = None,
    sources: Mapping[str, str] | None = None,
) -> CompiledScenario:
    """Validate, patch, fit-adjust and compile a scenario.

    Args:
        scenario: The scenario as a plain mapping (e.g. a loaded YAML file or `cfg.scenario`).
        interventions: Intervention name to patch mapping, applied in sorted order.
        fit: Fit knobs `strategic`, `cultural`, `operational` in [0, 1].
        mechanisms: Mechanism parameter overrides (see `schema.MechanismSpec`).
        sources: File path per input for error messages: key "scenario", each intervention name, and
            "config" for fit and mechanisms.

    Returns:
        The compiled scenario.

    Raises:
        ScenarioError: With one line naming the file, key and value.
    """
    from missionfit import fit as fitmod
    from missionfit import generators

    sources = dict(sources or {})
    src = sources.get("scenario", f"scenario {scenario.get('name', '?')}")
    ck = _Checker(src)
    spec = _normalise_spec(scenario, ck)
    if spec["generator"]["kind"] != "none":
        generators.expand(spec, ck)
    for name in sorted(interventions or {}):
        patch = interventions[name]
        if patch is None:
            ck.fail("interventions", name, "unknown intervention")
        apply_intervention(spec, name, patch, sources.get(name, f"interventions/{name}"))

    edge_defaults = dataclasses.asdict(schema.EdgeSpec())
    spec["edges"] = [_merge(edge_defaults, dict(e)) for e in spec["edges"]]
    units = [_resolve_unit(u, spec) for u in spec["units"]]
    _validate(spec, units, ck)

    cfg_ck = _Checker(sources.get("config", "config"))
    fit = {**dataclasses.asdict(schema.FitSpec()), **dict(fit or {})}
    for k, v in fit.items():
        if k not in ("strategic", "cultural", "operational"):
            cfg_ck.fail("fit", k, "unknown fit dimension")
        cfg_ck.unit_interval(f"fit.{k}", v)
    mech = dict(_MECH_DEFAULTS)
    for k, v in {**dict(mechanisms or {}), **spec.get("_mechanism_overrides", {})}.items():
        if k not in mech:
            cfg_ck.fail("mechanisms", k, "unknown mechanism parameter")
        mech[k] = v
    for k, v in mech.items():
        cfg_ck.non_negative(f"mechanisms.{k}", v)
    for k in fitmod.PROBABILITY_MECHANISMS:
        cfg_ck.unit_interval(f"mechanisms.{k}", mech[k])

    for u in units:
        if not spec["rotation_days"]:
            u["rotation_day"] = None  # rotation_days: 0 means no rotation during the run
        elif u["rotation_day"] is None:
            u["rotation_day"] = _default_rotation(u, spec["rotation_days"])
    edges = [dict(e) for e in spec["edges"]]
    prior = _trust_prior(units, spec["trust"])
    index = {u["id"]: i for i, u in enumerate(units)}
    rivalry = np.zeros((len(units), len(units)))
    for i, u in enumerate(units):
        for r in u["rivals"]:
            rivalry[i, index[r]] = rivalry[index[r], i] = 1.0

    units, edges, prior, rivalry, mech = fitmod.apply_fit(units, edges, prior, rivalry, mech, fit)
    edges = _expand_boards(units, edges)

    weights = np.array([float(spec["mandate_weights"].get(line, 0.0)) for line in schema.MANDATE_LINES])
    if weights.sum() <= 0:
        weights = np.ones(len(schema.MANDATE_LINES))
    weights = weights / weights.sum()

    compiled = CompiledScenario(
        name=spec["name"],
        units=units,
        edges=edges,
        sectors=[dict(s) for s in spec["sectors"]],
        event_types=[dict(e) for e in spec["event_types"]],
        mandate_weights=weights,
        mechanisms=mech,
        fit=fit,
        interventions=sorted(interventions or {}),
        trust_prior=prior,
        rivalry=rivalry,
        rotation_days=int(spec["rotation_days"]),
    )
    from missionfit import compile as compmod

    compiled.arrays = compmod.compile_arrays(compiled)
    return compiled
