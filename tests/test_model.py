"""Invariants, determinism, common random numbers and the Mesa side of the model."""

from __future__ import annotations

import gc
import math
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionfit import contract, engine
from missionfit.model import MissionModel, replicate_seed_sequence, streams
from missionfit.model.replicate import run_replicate
from model_runs import compiled, runs, values

#: The top-level share metrics of the output contract (the nested per-line ones are checked below).
SHARE_METRICS = tuple(m.name for m in contract.METRICS if m.kind is contract.Kind.SHARE and "." not in m.name)
CASES = [
    ("minusma_2014", ()),
    ("minusma_2015", ()),
    ("minusma_2018", ()),
    ("minusma_2015", ("liaison_officers", "jcb_directive", "asifu_tasking_authority")),
    ("hierarchy", ()),
    ("edge", ()),
]


@pytest.mark.parametrize("name,ivs", CASES)
def test_reports_are_conserved(name, ivs):
    for m in runs(name, ivs, replicates=3):
        assert m["reports_created"] == m["reports_delivered"] + m["reports_dropped"] + m["reports_in_flight"]
        assert m["reports_dropped"] == m["reports_withheld"] + m["reports_lost"]
        assert m["reports_created"] > 0 and m["hops"] > 0


@pytest.mark.parametrize("name,ivs", CASES)
def test_metrics_in_range(name, ivs):
    for m in runs(name, ivs, replicates=3):
        for key in SHARE_METRICS:
            v = m[key]
            assert math.isnan(v) or 0.0 <= v <= 1.0, (key, v)
        for line, v in m["goal_realization_by_line"].items():
            assert math.isnan(v) or 0.0 <= v <= 1.0, (line, v)
        for dim, v in m["fit_index"].items():
            assert 0.0 <= v <= 1.0, (dim, v)
        assert m["events_total"] > 0


def test_minusma_metrics_are_all_defined():
    m = runs("minusma_2015", replicates=2)[0]
    for key in SHARE_METRICS:
        assert not math.isnan(m[key]), key
    assert not any(math.isnan(v) for v in m["goal_realization_by_line"].values())


def test_flows_add_up_to_hops():
    sc = compiled("minusma_2015")
    res = run_replicate(sc, seed=3, replicate=1, days=60)
    f = res.flows
    assert int(f["hops"].sum()) == res.metrics["hops"]
    assert (f["hops"] == f["delivered"] + f["withheld"] + f["lost"]).all()
    assert int(f["withheld"].sum()) == res.metrics["reports_withheld"]
    assert int(f["lost"].sum()) == res.metrics["reports_lost"]
    assert set(f["type"]) <= {"command", "intel", "commander_chain", "liaison", "informal", "board"}


def test_same_seed_same_results():
    sc = compiled("minusma_2015")
    a = run_replicate(sc, seed=7, replicate=2, days=90)
    b = run_replicate(sc, seed=7, replicate=2, days=90)
    assert a.metrics == b.metrics or np.allclose(
        [v for v in a.metrics.values() if not isinstance(v, dict)],
        [v for v in b.metrics.values() if not isinstance(v, dict)], equal_nan=True, rtol=0, atol=0)
    assert a.timeseries.equals(b.timeseries)
    assert a.flows.equals(b.flows)


def test_different_seeds_differ():
    sc = compiled("minusma_2015")
    a = run_replicate(sc, seed=1, replicate=0, days=90).metrics
    b = run_replicate(sc, seed=2, replicate=0, days=90).metrics
    c = run_replicate(sc, seed=1, replicate=1, days=90).metrics
    assert a["events_total"] != b["events_total"] or a["reports_created"] != b["reports_created"]
    assert a["reports_created"] != c["reports_created"]


def test_stepping_equals_the_batch_path():
    sc = compiled("minusma_2015")
    stepped = MissionModel(scenario=sc, seed=5, replicate=0, days=40)
    stepped.run_for(40)
    batch = MissionModel(scenario=sc, seed=5, replicate=0, days=40)
    batch.run()
    assert stepped.time == batch.time == 40
    np.testing.assert_array_equal(stepped.engine_state.flow.counters, batch.engine_state.flow.counters)
    np.testing.assert_array_equal(stepped.engine_state.flow.trust, batch.engine_state.flow.trust)


def test_common_random_numbers_across_configurations():
    """Every configuration of a scenario meets the same world in replicate r (MODEL.md §6)."""
    base = runs("minusma_2015", replicates=4)
    for ivs, fit in [(("integrate_u2_asifu",), (0, 0, 0)), (("jcb_directive", "liaison_officers"), (0, 0, 0)),
                     ((), (1.0, 0.5, 0.0))]:
        other = runs("minusma_2015", ivs, fit, replicates=4)
        np.testing.assert_array_equal(values(base, "events_total"), values(other, "events_total"))
        np.testing.assert_array_equal(values(base, "imminent_threats"), values(other, "imminent_threats"))


def test_world_and_behaviour_streams_are_independent():
    world, behaviour = streams(0, 0)
    assert world.spawn_key != behaviour.spawn_key
    w2, _ = streams(0, 1)
    assert not np.array_equal(np.random.default_rng(world).random(4), np.random.default_rng(w2).random(4))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**63), replicate=st.integers(0, 10**6))
def test_streams_are_the_replicate_sequence_children(seed, replicate):
    """The two streams are `SeedSequence(seed, replicate).spawn(2)`, built directly (MODEL.md §6)."""
    world, behaviour = streams(seed, replicate)
    for got, want in zip((world, behaviour), replicate_seed_sequence(seed, replicate).spawn(2), strict=True):
        assert got.spawn_key == want.spawn_key
        np.testing.assert_array_equal(got.generate_state(4), want.generate_state(4))


def test_agents_are_the_units():
    sc = compiled("minusma_2015")
    model = MissionModel(scenario=sc, seed=0, replicate=0, days=30)
    assert len(model.agents) == sc.n_units
    fc = model.unit("force_hq")
    asifu = model.unit("asifu_hq")
    assert fc.kind == "force_hq" and fc.is_consumer and asifu.is_branch
    before = asifu.reports_sent
    model.run_for(30)
    assert asifu.reports_received > 0 and asifu.reports_sent >= before
    assert 0.0 <= fc.trust_in(asifu) <= 1.0
    kinds = model.agents.groupby("kind").count()
    assert kinds["battalion"] > 10 and kinds["s2"] >= 1


def test_finished_model_is_freed():
    sc = compiled("hierarchy")
    model = MissionModel(scenario=sc, seed=0, replicate=0, days=5)
    model.run()
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


def test_days_must_be_positive():
    sc = compiled("hierarchy")
    for bad in (0, -3):
        with pytest.raises(ValueError, match="days"):
            run_replicate(sc, seed=0, replicate=0, days=bad)


def test_rotation_resets_trust_to_priors():
    sc = compiled("minusma_2015")
    model = MissionModel(scenario=sc, seed=0, replicate=0, days=180)
    unit = next(i for i, u in enumerate(sc.units) if u["rotation_day"] and 20 < u["rotation_day"] < 170)
    day = sc.units[unit]["rotation_day"]
    model.run(day)  # days 0 .. day-1
    engine.rotation.rotate(model.engine_static, model.engine_state, day)
    trust = model.engine_state.flow.trust
    np.testing.assert_allclose(trust[unit], sc.trust_prior[unit])
    np.testing.assert_allclose(trust[:, unit], sc.trust_prior[:, unit])
