"""Load, validate, patch and fit-adjust a scenario, then compile it into arrays for the engine.

The pipeline is `build_scenario`:

1. fill a plain mapping into the schema (`missionfit.scenario.schema`), rejecting unknown keys;
2. expand a generated structure (`generator.kind: hierarchy | edge`, see `missionfit.scenario.generators`);
3. apply the selected interventions, in a stable (sorted) order, as patches;
4. resolve each unit's attributes (unit > kind_defaults > group_defaults > `UNIT_DEFAULTS`);
5. validate ranges and references, failing with one line naming the file, key and value;
6. move every mechanism of each fit dimension from observed toward ideal (`missionfit.scenario.fit`);
7. compile to numpy arrays (`CompiledScenario`).
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from missionfit.scenario import schema
from missionfit.scenario.compiler import CompiledScenario, compile_arrays
from missionfit.scenario.errors import Checker
from missionfit.scenario.fit import PROBABILITY_MECHANISMS, apply_fit
from missionfit.scenario.generators import expand
from missionfit.scenario.keys import declaration_keys, note_added_units
from missionfit.scenario.patches import _MECH_DEFAULTS, apply_intervention
from missionfit.scenario.resolve import _merge, _normalise_spec, _resolve_unit
from missionfit.scenario.rivalry import rivalry_matrix
from missionfit.scenario.trust import TrustPrior
from missionfit.scenario.validate import _validate, check_v2_mechanisms


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
    sources = dict(sources or {})
    src = sources.get("scenario", f"scenario {scenario.get('name', '?')}")
    ck = Checker(src)
    for key in ("extends", "patches"):
        if scenario.get(key):
            ck.fail(key, scenario[key], "unresolved: compose it first (missionfit.scenario.loading.compose_scenario)")
    spec = _normalise_spec(scenario, ck)
    if spec["generator"]["kind"] != "none":
        expand(spec, ck)
    unit_keys = declaration_keys(spec["units"])  # stable keys of the keyed draws (`missionfit.scenario.keys`)
    for name in sorted(interventions or {}):
        patch = interventions[name]
        if patch is None:
            ck.fail("interventions", name, "unknown intervention")
        before = {str(u["id"]): u for u in spec["units"]}
        apply_intervention(spec, name, patch, sources.get(name, f"interventions/{name}"))
        note_added_units(unit_keys, before, spec["units"], name, patch)

    edge_defaults = dataclasses.asdict(schema.EdgeSpec())
    spec["edges"] = [_merge(edge_defaults, dict(e)) for e in spec["edges"]]
    units = [_resolve_unit(u, spec) for u in spec["units"]]
    _validate(spec, units, ck)

    cfg_ck = Checker(sources.get("config", "config"))
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
    check_v2_mechanisms(mech, cfg_ck)
    for k, v in mech.items():
        cfg_ck.non_negative(f"mechanisms.{k}", v)
    for k in PROBABILITY_MECHANISMS:
        cfg_ck.unit_interval(f"mechanisms.{k}", mech[k])

    for u in units:
        if not spec["rotation_days"]:
            u["rotation_day"] = None  # rotation_days: 0 means no rotation during the run
        elif u["rotation_day"] is None:
            u["rotation_day"] = _default_rotation(u, spec["rotation_days"])
    edges = [dict(e) for e in spec["edges"]]
    prior = TrustPrior.from_spec(units, spec["trust"])
    rivalry = rivalry_matrix(units)  # the whole path of rivalry: missionfit.scenario.rivalry

    units, edges, prior, rivalry, mech = apply_fit(units, edges, prior, rivalry, mech, fit)
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
        information=spec["information"],
        days=int(spec["days"] or schema.DEFAULT_DAYS),
        civmil_shares=[dict(r) for r in spec["civmil_shares"]],
        unit_keys=[unit_keys[str(u["id"])] for u in units],
    )
    compiled.arrays = compile_arrays(compiled)
    return compiled
