"""Range and reference checks of a resolved scenario; the first problem raises `ScenarioError`."""

from __future__ import annotations

import dataclasses
from typing import Any

import networkx as nx

from missionfit.scenario import schema
from missionfit.scenario.codes import ECHELONS, ROLES
from missionfit.scenario.errors import Checker
from missionfit.scenario.protection import check_protection
from missionfit.scenario.resolve import _get

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
_INFORMATION_FIELDS = {f.name for f in dataclasses.fields(schema.InformationSpec)}
_PROFILE_FIELDS = ("facets", "yield", "error")

#: Admissible values of the v2 core's mechanism parameters (docs/design/v2-core.md §2.3), as
#: `(low, high, open_low, open_high)`, or `"int>=1"`. These are the domains where the mechanism is defined, so
#: that an ablation (e.g. `posture_effect: 0`) stays valid; the calibration priors inside them are in
#: docs/validation.md §10.4.
V2_MECHANISM_RANGES: dict[str, tuple[float, float, bool, bool] | str] = {
    "assessment_threshold": (0.5, 1.0, True, True),
    "action_busy_days": (0.0, float("inf"), True, False),
    "mitigation_completeness_exponent": (0.0, float("inf"), True, False),
    "mitigation_accuracy_weight": (0.0, 1.0, False, False),
    "mitigation_lead_half_days": (0.0, float("inf"), True, False),
    "posture_effect": (0.0, 1.0, False, False),
    "posture_days": (0.0, float("inf"), True, False),
    "escalation_facet_loss": (0.0, 1.0, False, False),
    # v1 constants made parameters (issue 15 §2): the compiler reads them
    "humint_local_knowledge_floor": (0.0, 1.0, False, False),
    "tasked_detection_cap": (0.0, 1.0, True, False),
    "sanitize_metadata_strip": (0.0, 1.0, False, False),
    "fusion_corroboration": "0or1",
    "analyst_backlog_days": (0.0, float("inf"), False, False),
    "max_open_tasks": "int>=1",
    # issue 16 §1: living trust
    "goodwill_gain": (0.0, 1.0, False, False),
    "goodwill_loss": (0.0, 1.0, False, False),
    "reporting_duty": (0.0, 1.0, False, True),
    "trust_conflation": (0.0, 1.0, False, False),
    "leak_rate": (0.0, 1.0, False, False),
    "requests_for_information": "0or1",
}

#: Largest `values_per_facet`: the engine stores a facet's value in an int8.
MAX_VALUES_PER_FACET = 127


def check_v2_mechanisms(mech: dict[str, Any], ck: Checker) -> None:
    """Range checks of the v2 core's mechanism parameters (`V2_MECHANISM_RANGES`), NaN and infinity refused.

    Args:
        mech: Mechanism parameters after the scenario's interventions and the command-line overrides.
        ck: Reports the first bad value.

    Raises:
        ScenarioError: One line naming the key and the value.
    """
    for key, rng in V2_MECHANISM_RANGES.items():
        if rng == "int>=1":
            ck.integer(f"mechanisms.{key}", mech[key], 1)
        elif rng == "0or1":
            if mech[key] not in (0, 1) or isinstance(mech[key], str):
                ck.fail(f"mechanisms.{key}", mech[key], "must be 0 or 1 (a switch)")
        else:
            low, high, open_low, open_high = rng
            ck.number(f"mechanisms.{key}", mech[key], low, high, open_low=open_low, open_high=open_high)


def _lane(key: str, lane: Any, ck: Checker) -> None:
    """A peer cell's lane: a mapping of `horizons` and `domains`, lists of known names (issue 16 §2)."""
    if not isinstance(lane, dict) or set(lane) - {"horizons", "domains"}:
        ck.fail(key, lane, "must be a mapping with keys horizons and domains")
    for part, names in (("horizons", schema.HORIZONS), ("domains", schema.DOMAINS)):
        values = lane.get(part, [])
        if not isinstance(values, list):
            ck.fail(f"{key}.{part}", values, "must be a list")
        for v in values:
            ck.one_of(f"{key}.{part}", v, set(names))


def _facet_list(key: str, value: Any, facets: list[str], ck: Checker) -> None:
    """Fail unless `value` is a list of distinct facet names from `facets`."""
    if not isinstance(value, list):
        ck.fail(key, value, "must be a list of facet names")
    for f in value:
        if f not in facets:
            ck.fail(key, f, f"unknown facet (information.facets: {', '.join(facets)})")
    if len(set(value)) != len(value):
        ck.fail(key, value, "facet named twice")


def _validate_information(spec: dict[str, Any], units: list[dict[str, Any]], ck: Checker) -> None:
    """The `information:` block, event types' facets and units' sensor types (docs/design/v2-core.md §2.1)."""
    info = spec["information"]
    extra = set(info) - _INFORMATION_FIELDS
    if extra:
        ck.fail("information", sorted(extra)[0], "unknown information key")
    facets = info["facets"]
    if not isinstance(facets, list) or not 1 <= len(facets) <= schema.MAX_FACETS:
        ck.fail("information.facets", facets, f"must be a list of 1..{schema.MAX_FACETS} facet names")
    for f in facets:
        if not isinstance(f, str) or not f:
            ck.fail("information.facets", f, "a facet name must be a non-empty string")
    if len(set(facets)) != len(facets):
        ck.fail("information.facets", facets, "facet named twice")
    _facet_list("information.metadata_facets", info["metadata_facets"], facets, ck)
    ck.integer("information.values_per_facet", info["values_per_facet"], 2, MAX_VALUES_PER_FACET)
    ck.number("information.false_event_share", info["false_event_share"], 0.0)
    ck.number("information.error_skill", info["error_skill"], 0.0, 1.5)

    n_facets = {}
    for i, et in enumerate(spec["event_types"]):
        if et.get("facets") is None:
            n_facets[i] = len(facets)
        else:
            _facet_list(f"event_types[{i}].facets", et["facets"], facets, ck)
            if not et["facets"]:
                ck.fail(f"event_types[{i}].facets", et["facets"], "an event type needs at least one facet")
            order = [f for f in facets if f in et["facets"]]
            if et["facets"] != order:
                ck.fail(f"event_types[{i}].facets", et["facets"], "must keep the order of information.facets")
            n_facets[i] = len(et["facets"])
    needed = info["facets_needed"]
    if not isinstance(needed, dict):
        ck.fail("information.facets_needed", needed, "must map each horizon to a number of facets")
    for h, v in needed.items():
        ck.one_of("information.facets_needed", h, set(schema.HORIZONS))
        ck.integer(f"information.facets_needed.{h}", v, 1, len(facets))
        for i, et in enumerate(spec["event_types"]):
            if et["horizon"] == h and v > n_facets[i]:
                ck.fail(
                    f"information.facets_needed.{h}",
                    v,
                    f"more than the {n_facets[i]} facets of event type {et['id']} (event_types[{i}])",
                )
    for h in schema.HORIZONS:
        if h not in needed:
            ck.fail("information.facets_needed", h, "missing horizon")

    profiles = info["sensor_profiles"]
    if not isinstance(profiles, dict):
        ck.fail("information.sensor_profiles", profiles, "must map each sensor type to {facets, yield, error}")
    for typ, prof in profiles.items():
        k = f"information.sensor_profiles.{typ}"
        if not isinstance(prof, dict):
            ck.fail(k, prof, "must be {facets, yield, error}")
        extra = set(prof) - set(_PROFILE_FIELDS)
        if extra:
            ck.fail(k, sorted(extra)[0], "unknown sensor profile key (facets, yield, error)")
        for attr in _PROFILE_FIELDS:
            if attr not in prof:
                ck.fail(k, attr, "missing sensor profile key")
        _facet_list(k + ".facets", prof["facets"], facets, ck)
        ck.number(k + ".yield", prof["yield"], 0.0, 1.0)
        ck.number(k + ".error", prof["error"], 0.0, 1.0, open_high=True)
    sector_ids = {s["id"] for s in spec["sectors"]}
    sector_error = info["sector_error"]
    if not isinstance(sector_error, dict):
        ck.fail("information.sector_error", sector_error, "must map sector -> {sensor type: error}")
    for sec, row in sector_error.items():
        ck.one_of("information.sector_error", sec, sector_ids)
        if not isinstance(row, dict):
            ck.fail(f"information.sector_error.{sec}", row, "must map sensor type -> error")
        for typ, err in row.items():
            if typ not in profiles:
                ck.fail(f"information.sector_error.{sec}", typ, "unknown sensor type (no sensor profile)")
            ck.number(f"information.sector_error.{sec}.{typ}", err, 0.0, 1.0, open_high=True)
    for i, u in enumerate(units):
        for j, s in enumerate(u["sensors"]):
            if s["type"] not in profiles:
                ck.fail(
                    f"units[{i}].sensors[{j}].type (id {u['id']})",
                    s["type"],
                    "unknown sensor type (no information.sensor_profiles entry)",
                )


def _validate_civmil_shares(rules: Any, ck: Checker) -> None:
    """The `civmil_shares` rules: `{between: [selector, selector], share}` with unit-attribute selectors."""
    if not isinstance(rules, list):
        ck.fail("civmil_shares", rules, "must be a list of {between: [selector, selector], share}")
    for i, rule in enumerate(rules):
        k = f"civmil_shares[{i}]"
        if not isinstance(rule, dict) or set(rule) != {"between", "share"}:
            ck.fail(k, rule, "must be {between: [selector, selector], share}")
        pair = rule["between"]
        if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(x, dict) and x for x in pair):
            ck.fail(k + ".between", pair, "must be two selectors (mappings of unit attribute or role to values)")
        for j, selector in enumerate(pair):
            for attr, want in selector.items():
                if attr != "role" and attr not in _UNIT_FIELDS:
                    ck.fail(f"{k}.between[{j}]", attr, "unknown selector key (a unit attribute or role)")
                if attr == "role":
                    for role in want if isinstance(want, list) else [want]:
                        if role not in ROLES:
                            ck.fail(f"{k}.between[{j}].role", role, "unknown role (docs/scenarios.md, Roles)")
                if attr == "component":
                    for comp in want if isinstance(want, list) else [want]:
                        ck.one_of(f"{k}.between[{j}].component", comp, set(schema.COMPONENTS))
        ck.unit_interval(k + ".share", rule["share"])


def _check_vocabulary(key: str, attrs: dict[str, Any], ck: Checker, where: str = "") -> None:
    """Roles, echelon, actor block and kind label of a unit or a kind (`key` names where they were written)."""
    roles = attrs.get("roles")
    if roles is not None:
        if not isinstance(roles, list):
            ck.fail(f"{key}.roles{where}", roles, "must be a list of roles")
        for role in roles:
            if role not in ROLES:
                ck.fail(f"{key}.roles{where}", role, "unknown role (docs/scenarios.md, Roles)")
    if attrs.get("echelon") is not None:
        ck.one_of(f"{key}.echelon{where}", attrs["echelon"], set(ECHELONS))
    for attr in ("actor_block", "kind_label"):
        if attrs.get(attr) is not None and not isinstance(attrs[attr], str):
            ck.fail(f"{key}.{attr}{where}", attrs[attr], "must be a string")


def _validate(spec: dict[str, Any], units: list[dict[str, Any]], ck: Checker) -> None:
    """Check ranges and references; raises ScenarioError on the first problem."""
    for kind, attrs in spec["kind_defaults"].items():
        _check_vocabulary(f"kind_defaults.{kind}", attrs or {}, ck)
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
    if spec.get("days") is not None:
        ck.integer("days", spec["days"], 1)
    _validate_civmil_shares(spec.get("civmil_shares"), ck)

    seen: set[str] = set()
    for i, u in enumerate(units):
        k = f"units[{i}]"
        if u["id"] in seen:
            ck.fail(k + ".id", u["id"], "duplicate unit id")
        seen.add(u["id"])
        if not u.get("kind") or u["kind"] == "???":
            ck.fail(k + ".kind", u.get("kind"), "every unit needs a kind")
        _check_vocabulary(k, u, ck, f" (id {u['id']})")
        for attr in UNIT_UNIT_INTERVAL:
            ck.unit_interval(f"units[{i}].{attr} (id {u['id']})", _get(u, attr))
        ck.one_of(f"{k}.component", u["component"], set(schema.COMPONENTS))
        ck.one_of(f"{k}.procedures", u["procedures"], set(schema.PROCEDURES))
        if not isinstance(u["intelligence_formats"], bool):
            ck.fail(f"{k}.intelligence_formats", u["intelligence_formats"], "must be true or false")
        ck.non_negative(f"{k}.analysts", u["analysts"])
        ck.non_negative(f"{k}.strength", u["strength"] or 0)
        sl = u["security_level"]
        if not isinstance(sl, int) or not 0 <= sl <= 3:
            ck.fail(f"{k}.security_level", sl, "must be an integer level 0..3")
        if u["sector"] is not None and u["sector"] not in sector_ids:
            ck.fail(f"{k}.sector", u["sector"], "unknown sector")
        for d in u["focus"]["domains"]:
            ck.one_of(f"{k}.focus.domains", d, set(schema.DOMAINS))
        if u["lane"] is not None:
            _lane(f"{k}.lane", u["lane"], ck)
        if u["protection"] is not None:
            check_protection(f"{k}.protection", u["protection"], {v["id"] for v in units}, ck)
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
            ck.integer(f"{k}.consumer.capacity (id {u['id']})", c["capacity"], 0)
            ck.number(
                f"{k}.consumer.action_threshold (id {u['id']})",
                c["action_threshold"],
                0.5,
                1.0,
                open_low=True,
                open_high=True,
            )
            for flag in ("planning", "weighs_reports"):
                if not isinstance(c[flag], bool):
                    ck.fail(f"{k}.consumer.{flag} (id {u['id']})", c[flag], "must be true or false")
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
                ck.fail(f"{k}.target", e["target"], "board edges must point at a board (role coordination_board)")
    try:
        cycle = nx.find_cycle(command)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        ck.fail("edges (type command)", " -> ".join([a for a, _ in cycle] + [cycle[0][0]]), "command cycle")
    _validate_information(spec, units, ck)
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
