"""The scenario layer of the v2 core (docs/design/v2-core.md §2): the information block, consumers' capacity,
threshold and planning, the new mechanism parameters: their defaults, their checks and their arrays."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from missionfit.scenario import ScenarioError, build_scenario, schema
from missionfit.scenario.loading import load

#: Bit masks over the default facets (who, what, where, when).
WHO, WHAT, WHERE, WHEN = 1, 2, 4, 8


def _spec() -> dict:
    """Two sectors, a humint unit in one and a UAV unit covering both, a consumer, a branch."""
    return {
        "name": "v2",
        "sectors": [{"id": "a", "event_rate": 2.0}, {"id": "b", "event_rate": 1.0}],
        "event_types": [
            {"id": "threat", "line": "security", "domain": "military", "horizon": "imminent", "share": 0.5},
            {"id": "trend", "line": "political_process", "domain": "political", "horizon": "mid", "share": 0.3,
             "facets": ["who", "what"]},
            {"id": "slow", "line": "state_authority", "domain": "economic", "horizon": "long", "share": 0.2},
        ],
        "units": [
            {"id": "hq", "kind": "force_hq", "sector": "a",
             "consumer": {"lines": ["security"], "capacity": 2, "action_threshold": 0.8}},
            # (procedures none: no formats, so report quality is report-writing skill; test_formats_lower_facet_errors)
            {"id": "spy", "kind": "humint_team", "sector": "a", "report_writing": 0.3, "procedures": "none",
             "sensors": [{"type": "humint", "coverage": 0.2, "domains": ["military", "political"]}]},
            {"id": "drone", "kind": "isr", "sector": "b", "report_writing": 0.9, "procedures": "none",
             "sensors": [{"type": "uav", "coverage": 0.3, "domains": ["military"], "sectors": ["a", "b"]}]},
            {"id": "cell", "kind": "g2", "sector": "a", "analysts": 2.0},
        ],
        "edges": [
            {"source": "spy", "target": "cell", "type": "intel"},
            {"source": "drone", "target": "cell", "type": "intel"},
            {"source": "cell", "target": "hq", "type": "intel"},
        ],
    }


def _error(spec: dict, mechanisms: dict | None = None) -> str:
    with pytest.raises(ScenarioError) as info:
        build_scenario(spec, mechanisms=mechanisms, sources={"scenario": "my/scenario.yaml", "config": "cli"})
    msg = str(info.value)
    assert "\n" not in msg
    return msg


# --------------------------------------------------------------------------------------------------
# defaults and arrays


def test_schema_defaults_are_the_designs():
    info = schema.InformationSpec()
    assert info.facets == ["who", "what", "where", "when"] and info.metadata_facets == ["where", "when"]
    assert info.values_per_facet == 4 and info.facets_needed == {"imminent": 3, "mid": 2, "long": 1}
    assert (info.false_event_share, info.error_skill) == (0.15, 0.5)
    assert set(info.sensor_profiles) == {"patrol", "humint", "uav", "helicopter", "riverine", "security_network"}
    assert info.sector_error == {}
    c = schema.ConsumerSpec()
    assert (c.capacity, c.action_threshold, c.planning) == (1, 0.75, False)
    m = schema.MechanismSpec()
    assert (m.assessment_threshold, m.action_busy_days) == (0.7, 1.0)
    assert (m.mitigation_completeness_exponent, m.mitigation_accuracy_weight, m.mitigation_lead_half_days) == (
        1.0, 0.75, 0.5,
    )
    assert (m.posture_effect, m.posture_days, m.escalation_facet_loss) == (0.15, 30.0, 0.4)
    assert schema.EventTypeSpec().facets is None


@pytest.mark.parametrize("name", ["minusma_2015", "hierarchy", "edge"])
def test_defaults_compile_into_the_information_arrays(name: str):
    sc = load(name)
    a = sc.arrays
    n_entries, n_types = a["cover_unit"].size, len(sc.event_types)
    assert n_entries > 0
    assert a["n_facets"] == 4 and a["values_per_facet"] == 4
    assert a["facet_is_meta"].dtype == np.int8 and a["facet_is_meta"].tolist() == [0, 0, 1, 1]
    assert a["facets_needed"].dtype == np.int64 and a["facets_needed"].tolist() == [3, 2, 1]
    assert a["type_facet_mask"].dtype == np.int64 and a["type_facet_mask"].tolist() == [15] * n_types
    for key, dtype in (("cover_yield_mask", np.int64), ("cover_yield_prob", np.float64), ("cover_error", np.float64)):
        assert a[key].shape == (n_entries,) and a[key].dtype == dtype, key
    assert ((a["cover_error"] >= 0) & (a["cover_error"] <= 0.95)).all()
    assert ((a["cover_yield_prob"] >= 0) & (a["cover_yield_prob"] <= 1)).all()
    for key, dtype in (
        ("consumer_capacity", np.int64), ("consumer_action_threshold", np.float64), ("consumer_planning", np.int8)
    ):
        assert a[key].shape == (sc.n_units,) and a[key].dtype == dtype, key
    assert (a["consumer_capacity"][~a["is_consumer"]] == 0).all()
    assert (a["consumer_capacity"][a["is_consumer"]] >= 1).all()
    assert a["false_event_share"] == 0.15
    wt = a["world_tables"]
    np.testing.assert_allclose(wt.false_rates, 0.15 * wt.rates)
    assert wt.type_facet_mask.tolist() == [15] * n_types and wt.values_per_facet == 4


def test_minusma_consumers():
    sc = load("minusma_2015")
    a = sc.arrays

    def of_kind(kind):
        return [sc.index_of(u["id"]) for u in sc.units if u["kind"] == kind]

    assert a["consumer_capacity"][of_kind("sector_hq")].tolist() == [2, 2, 2]
    assert a["consumer_capacity"][of_kind("force_hq")].tolist() == [1]
    consumers = np.flatnonzero(a["is_consumer"])
    assert (a["consumer_action_threshold"][consumers] == 0.75).all()
    assert a["consumer_planning"][of_kind("srsg_office")].tolist() == [1]
    assert a["consumer_planning"][of_kind("force_hq")].tolist() == [0]


@pytest.mark.parametrize("year", [2014, 2015, 2018])
def test_minusma_force_planning_cell(year: int):
    sc = load(f"minusma_{year}")
    i = sc.index_of("force_planning")
    a = sc.arrays
    assert a["is_consumer"][i] and a["consumer_planning"][i] == 1 and a["consumer_capacity"][i] == 1
    assert a["consumer_lead"][i] == 3.0 and a["analysts"][i] == 0  # its own consumer, not a fusion branch
    assert sc.units[i]["consumer"]["horizons"] == ["mid", "long"]
    into = {(e["source"], e["type"]) for e in sc.edges if e["target"] == "force_planning"}
    assert into == {("u2", "intel"), ("asifu_hq", "intel")}
    assert i != a["fc"]


def test_per_entry_arrays_line_up_with_cover_unit():
    spec = _spec()
    spec["information"] = {"sector_error": {"b": {"uav": 0.2}}}
    sc = build_scenario(spec)
    a = sc.arrays
    spy, drone = sc.index_of("spy"), sc.index_of("drone")
    assert set(a["cover_unit"].tolist()) == {spy, drone}
    n_dom = len(schema.DOMAINS)
    sector = np.repeat(np.arange(a["cover_ptr"].size - 1), np.diff(a["cover_ptr"])) // n_dom
    for k, unit in enumerate(a["cover_unit"].tolist()):
        if unit == spy:  # humint: who, what; error 0.25 x (1 + 0.5 (0.5 - 0.3))
            assert a["cover_yield_mask"][k] == WHO | WHAT
            assert a["cover_yield_prob"][k] == 0.8
            assert a["cover_error"][k] == pytest.approx(0.25 * 1.1)
        else:  # uav: what, where, when; error 0.10 in a, the override 0.2 in b, x (1 + 0.5 (0.5 - 0.9))
            assert a["cover_yield_mask"][k] == WHAT | WHERE | WHEN
            assert a["cover_yield_prob"][k] == 0.9
            base = 0.2 if sector[k] == 1 else 0.10
            assert a["cover_error"][k] == pytest.approx(base * 0.8)
    # the humint unit covers two domains of its own sector, the UAV one domain of two sectors
    assert (a["cover_unit"] == spy).sum() == 2 and (a["cover_unit"] == drone).sum() == 2
    assert a["type_facet_mask"].tolist() == [15, WHO | WHAT, 15]
    assert a["consumer_capacity"][sc.index_of("hq")] == 2
    assert a["consumer_action_threshold"][sc.index_of("hq")] == 0.8


def test_formats_lower_facet_errors():
    """p. 400: formats "improved the quality of the incoming information": a unit with procedures to use them gets
    report quality w + format_boost (1 - w), and its sensors' errors fall with it (issue 16 §3)."""
    spec = _spec()
    without = build_scenario(spec).arrays
    for u in spec["units"]:
        u.pop("procedures", None)  # the default, "un": formats reach it
    with_formats = build_scenario(spec).arrays
    assert (with_formats["cover_error"] < without["cover_error"]).all()
    spy = 0.25 * (1 + 0.5 * (0.5 - (0.3 + 0.5 * 0.7)))  # report quality 0.65
    assert with_formats["cover_error"].max() >= spy - 1e-12 and spy in with_formats["cover_error"].round(12)


def test_cover_error_is_clipped_and_skill_moves_it():
    spec = _spec()
    spec["information"] = {"error_skill": 1.5, "sensor_profiles": {"humint": {"error": 0.9}}}
    a = build_scenario(spec).arrays
    assert a["cover_error"].max() == 0.95  # 0.9 x (1 + 1.5 x 0.2) = 1.17, clipped
    spec["information"] = {"error_skill": 0.0}
    a = build_scenario(spec).arrays
    assert sorted(set(a["cover_error"].tolist())) == [0.10, 0.25]


def test_a_scenario_can_add_a_sensor_profile():
    spec = _spec()
    spec["units"][1]["sensors"][0]["type"] = "sigint"
    assert "unknown sensor type" in _error(spec)
    spec["information"] = {"sensor_profiles": {"sigint": {"facets": ["who", "when"], "yield": 0.6, "error": 0.1}}}
    a = build_scenario(spec).arrays
    assert (WHO | WHEN) in a["cover_yield_mask"].tolist()


# --------------------------------------------------------------------------------------------------
# bad values: one line naming the file, key and value


def _info(**kw):
    return lambda spec: spec.setdefault("information", {}).update(kw)


def _profile(typ, **kw):
    return lambda spec: spec.setdefault("information", {}).setdefault("sensor_profiles", {}).update({typ: kw})


def _consumer(**kw):
    return lambda spec: spec["units"][0]["consumer"].update(kw)


def _event(**kw):
    return lambda spec: spec["event_types"][1].update(kw)


def _sensor_type(t):
    return lambda spec: spec["units"][1]["sensors"][0].update(type=t)


BAD = [
    (_info(false_event_share=math.nan), "information.false_event_share", "nan"),
    (_info(false_event_share=-0.1), "information.false_event_share", "-0.1"),
    (_info(false_event_expiry_days=3.0), "information", "'false_event_expiry_days'"),  # removed: a dead input
    (_info(error_skill=2.0), "information.error_skill", "2.0"),
    (_info(values_per_facet=1), "information.values_per_facet", "1"),
    (_info(values_per_facet=3.5), "information.values_per_facet", "3.5"),
    (_info(facets_needed={"imminent": 5}), "information.facets_needed.imminent", "5"),
    (_info(facets_needed={"imminent": 0}), "information.facets_needed.imminent", "0"),
    (_info(facets_needed={"mid": 3}), "information.facets_needed.mid", "3"),  # the mid type has 2 facets
    (_info(facets_needed={"soon": 1}), "information.facets_needed", "'soon'"),
    (_info(metadata_facets=["where", "why"]), "information.metadata_facets", "'why'"),
    (_info(facets=[]), "information.facets", "[]"),
    (_info(facets=list("abcdefg")), "information.facets", str(list("abcdefg"))),
    (_info(colour="red"), "information", "'colour'"),
    (_profile("patrol", error=1.0), "information.sensor_profiles.patrol.error", "1.0"),
    (_profile("uav", error=-0.1), "information.sensor_profiles.uav.error", "-0.1"),
    (_profile("humint", **{"yield": 1.5}), "information.sensor_profiles.humint.yield", "1.5"),
    (_profile("humint", **{"yield": math.nan}), "information.sensor_profiles.humint.yield", "nan"),
    (_profile("humint", facets=["what", "why"]), "information.sensor_profiles.humint.facets", "'why'"),
    (_profile("sonar", facets=["what"], error=0.1), "information.sensor_profiles.sonar", "'yield'"),
    (_info(sector_error={"z": {"uav": 0.1}}), "information.sector_error", "'z'"),
    (_info(sector_error={"a": {"sonar": 0.1}}), "information.sector_error.a", "'sonar'"),
    (_info(sector_error={"a": {"uav": 1.0}}), "information.sector_error.a.uav", "1.0"),
    (_sensor_type("sonar"), "units[1].sensors[0].type (id spy)", "'sonar'"),
    (_consumer(capacity=-1), "units[0].consumer.capacity (id hq)", "-1"),
    (_consumer(capacity=1.5), "units[0].consumer.capacity (id hq)", "1.5"),
    (_consumer(action_threshold=0.4), "units[0].consumer.action_threshold (id hq)", "0.4"),
    (_consumer(action_threshold=1.0), "units[0].consumer.action_threshold (id hq)", "1.0"),
    (_consumer(action_threshold=math.inf), "units[0].consumer.action_threshold (id hq)", "inf"),
    (_consumer(planning="yes"), "units[0].consumer.planning (id hq)", "'yes'"),
    (_event(facets=["who", "why"]), "event_types[1].facets", "'why'"),
    (_event(facets=["what", "who"]), "event_types[1].facets", "['what', 'who']"),
]


@pytest.mark.parametrize(("corrupt", "key", "value"), BAD, ids=[f"{k}={v}" for _, k, v in BAD])
def test_bad_value_gives_one_line_naming_key_and_value(corrupt, key, value):
    spec = copy.deepcopy(_spec())
    corrupt(spec)
    msg = _error(spec)
    assert msg.startswith(f"my/scenario.yaml: {key} = {value}: "), msg


BAD_MECHANISMS = [
    ("assessment_threshold", 0.5), ("assessment_threshold", 1.0), ("assessment_threshold", math.nan),
    ("action_busy_days", 0.0),
    ("action_busy_days", math.inf), ("mitigation_completeness_exponent", -1.0), ("mitigation_accuracy_weight", 1.2),
    ("mitigation_lead_half_days", 0.0), ("posture_effect", 1.5), ("posture_days", math.nan),
    ("escalation_facet_loss", -0.1),
]


@pytest.mark.parametrize(("key", "value"), BAD_MECHANISMS)
def test_bad_mechanism_from_the_command_line(key, value):
    msg = _error(_spec(), mechanisms={key: value})
    assert msg.startswith(f"cli: mechanisms.{key} = {value!r}: "), msg


def test_bad_mechanism_from_an_intervention():
    with pytest.raises(ScenarioError, match=r"mechanisms\.posture_effect = 2\.0: must be a finite number"):
        build_scenario(_spec(), interventions={"strong": {"mechanisms": {"posture_effect": 2.0}}})


def test_good_mechanisms_pass_including_ablations():
    mech = {"posture_effect": 0.0, "mitigation_accuracy_weight": 0.0,
            "assessment_threshold": 0.99, "escalation_facet_loss": 1.0}
    sc = build_scenario(_spec(), mechanisms=mech)
    assert {k: sc.mechanisms[k] for k in mech} == mech
