"""The scenario loader: valid scenarios build and run; bad ones fail fast with one line (file, key, value)."""

from __future__ import annotations

import copy
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missionfit.model.replicate import run_replicate
from missionfit.scenario import ScenarioError, build_scenario, schema
from missionfit.scenario.loading import load

unit_interval = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
KINDS = ["battalion", "s2", "g2", "force_hq", "jmac", "asifu_hq", "liaison_officer"]


@st.composite
def scenarios(draw):
    """Small random but valid scenarios."""
    n_sectors = draw(st.integers(1, 3))
    sectors = [{"id": f"s{i}", "event_rate": draw(st.floats(0.1, 3.0)), "languages": ["fr"]} for i in range(n_sectors)]
    lines = draw(st.lists(st.sampled_from(schema.MANDATE_LINES), min_size=1, max_size=3, unique=True))
    event_types = [
        {
            "id": f"e{i}", "line": line, "domain": draw(st.sampled_from(schema.DOMAINS)),
            "horizon": draw(st.sampled_from(schema.HORIZONS)), "share": draw(st.floats(0.1, 1.0)),
            "severity": [0.5, 1.0], "warning_days": [0.2, draw(st.floats(0.3, 20.0))],
            "indicators": draw(st.integers(1, 4)),
        }
        for i, line in enumerate(lines)
    ]
    n = draw(st.integers(2, 12))
    units = []
    for i in range(n):
        unit = {
            "id": f"u{i}", "kind": draw(st.sampled_from(KINDS)), "sector": f"s{draw(st.integers(0, n_sectors - 1))}",
            "tech_level": draw(unit_interval), "report_writing": draw(unit_interval),
            "trust_threshold": draw(unit_interval), "analysts": draw(st.sampled_from([0.0, 0.0, 1.0, 3.0])),
            "reporting_culture": {"proactive": draw(unit_interval), "bypass": draw(unit_interval)},
            "security_level": draw(st.integers(0, 3)), "procedures": draw(st.sampled_from(schema.PROCEDURES)),
            "sensors": [{"type": "patrol", "coverage": draw(unit_interval), "domains": list(schema.DOMAINS)}],
        }
        if draw(st.booleans()):
            unit["consumer"] = {"lines": lines, "horizons": list(schema.HORIZONS), "lead_days": 0.25}
            unit["tasking_rate"] = draw(unit_interval)
        units.append(unit)
    edges = []
    for _ in range(draw(st.integers(1, 3 * n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a == b:
            continue
        etype = draw(st.sampled_from(["intel", "commander_chain", "liaison", "informal", "command"]))
        if etype == "command" and a > b:  # keep command acyclic
            a, b = b, a
        edges.append({"source": f"u{a}", "target": f"u{b}", "type": etype,
                      "latency_days": draw(st.floats(0.0, 2.0)), "reliability": draw(unit_interval)})
    return {"name": "random", "sectors": sectors, "event_types": event_types, "units": units, "edges": edges,
            "mandate_weights": {line: 1.0 for line in lines}}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(1, 25), st.integers(0, 10))
def test_valid_scenarios_build_and_run(spec, days, seed):
    sc = build_scenario(spec)
    res = run_replicate(sc, seed=seed, replicate=0, days=days)
    m = res.metrics
    assert m["reports_created"] == m["reports_delivered"] + m["reports_dropped"] + m["reports_in_flight"]
    v = m["goal_realization"]
    assert math.isnan(v) or 0.0 <= v <= 1.0
    assert len(res.timeseries) == days


def _one_line_error(spec, match):
    with pytest.raises(ScenarioError) as info:
        build_scenario(spec, sources={"scenario": "my/scenario.yaml"})
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith("my/scenario.yaml: ")
    assert match in msg, msg
    return msg


@settings(max_examples=20, deadline=None)
@given(scenarios(), st.sampled_from(["dangling", "duplicate", "probability", "reliability", "cycle", "sector"]))
def test_corrupted_scenarios_fail_with_one_line(spec, corruption):
    spec = copy.deepcopy(spec)
    if corruption == "dangling":
        spec["edges"].append({"source": "u0", "target": "ghost", "type": "intel"})
        msg = _one_line_error(spec, "'ghost'")
        assert "unknown unit" in msg and ".target" in msg
    elif corruption == "duplicate":
        spec["units"].append(dict(spec["units"][0]))
        _one_line_error(spec, "duplicate unit id")
    elif corruption == "probability":
        spec["units"][0]["tech_level"] = 1.5
        msg = _one_line_error(spec, "tech_level")
        assert "1.5" in msg
    elif corruption == "reliability":
        spec["edges"].append({"source": "u0", "target": "u1", "type": "intel", "reliability": -0.2})
        _one_line_error(spec, "reliability = -0.2")
    elif corruption == "cycle":
        spec["edges"] += [{"source": "u0", "target": "u1", "type": "command"},
                          {"source": "u1", "target": "u0", "type": "command"}]
        _one_line_error(spec, "command cycle")
    else:
        spec["units"][0]["sector"] = "atlantis"
        _one_line_error(spec, "'atlantis'")


def test_minusma_bad_values_name_the_file():
    with pytest.raises(ScenarioError, match=r"fit\.cultural = 1\.5"):
        load("minusma_2015", fit={"cultural": 1.5})
    with pytest.raises(ScenarioError, match="unknown intervention"):
        load("minusma_2015", interventions=["integrate_everything"])
    with pytest.raises(ScenarioError, match="unknown scenario"):
        load("minusma_1999")
    with pytest.raises(ScenarioError, match="unknown mechanism parameter"):
        load("minusma_2015", mechanisms={"warp_speed": 1.0})


def test_trust_pair_out_of_range_and_unknown_keys():
    base = load("hierarchy")
    assert base.n_units == 100
    spec = {"name": "x", "sectors": [{"id": "a"}], "event_types": [{"id": "e"}],
            "units": [{"id": "p", "kind": "battalion"}, {"id": "q", "kind": "battalion"}],
            "trust": {"pairs": [{"source": "p", "target": "q", "value": 3.0}]}}
    _one_line_error(spec, "trust.pairs[0].value")
    spec2 = {**spec, "trust": {}, "colour": "blue"}
    _one_line_error(spec2, "unknown scenario key")
    spec3 = {**spec, "trust": {}, "edges": [{"source": "p", "target": "q", "type": "telepathy"}]}
    _one_line_error(spec3, "telepathy")


def test_generated_structures_scale():
    sc = load("hierarchy", overrides={"n_units": 500})
    assert sc.n_units == 500
    kinds = {u["kind"] for u in sc.units}
    assert kinds == {"force_hq", "g2", "battalion"}
    edge = load("edge", overrides={"n_units": 60})
    assert edge.n_units == 60 and all(e["type"] == "intel" for e in edge.edges)
    with pytest.raises(ScenarioError, match="n_units"):
        load("hierarchy", overrides={"n_units": 1})
