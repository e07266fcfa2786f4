"""Invariants, determinism, common random numbers and the Mesa side of the model."""

from __future__ import annotations

import gc
import math
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionfit import contract
from missionfit import engine as E
from missionfit.model import MissionModel, replicate_seed_sequence, streams
from missionfit.model.replicate import run_replicate
from model_runs import compiled, runs, trust_state, values

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
    # the three fates are counted apart (delivered, withheld or lost at a hop, still in flight at the end)
    for m in runs(name, ivs, replicates=3):
        assert m["reports_created"] == m["reports_delivered"] + m["reports_dropped"] + m["reports_in_flight"]
        assert m["reports_created"] > 0 and m["hops"] > 0 and m["reports_dropped"] > 0


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
    np.testing.assert_array_equal(trust_state(stepped), trust_state(batch))


@pytest.mark.parametrize("name,ivs", CASES)
def test_the_batch_path_without_mesa_equals_the_mesa_model(name, ivs):
    """`run_replicate` runs `BatchSimulation` (no Mesa, no agents): the same draws and tables as `MissionModel`."""
    import json

    from missionfit.model import BatchSimulation, flows_table, replicate_metrics, timeseries_table

    sc = compiled(name, ivs)
    mesa_model = MissionModel(scenario=sc, seed=3, replicate=2, days=60)
    mesa_model.run()
    batch = BatchSimulation(scenario=sc, seed=3, replicate=2, days=60)
    batch.run()
    assert not hasattr(batch, "units") and batch.day == mesa_model.day == 60
    np.testing.assert_array_equal(batch.engine_state.flow.counters, mesa_model.engine_state.flow.counters)
    np.testing.assert_array_equal(trust_state(batch), trust_state(mesa_model))
    assert json.dumps(replicate_metrics(batch), sort_keys=True, default=str) == json.dumps(
        replicate_metrics(mesa_model), sort_keys=True, default=str
    )
    assert timeseries_table(batch).equals(timeseries_table(mesa_model))
    assert flows_table(batch).equals(flows_table(mesa_model))


def test_a_batch_run_does_not_import_mesa():
    import subprocess
    import sys

    code = (
        "import sys; from missionfit.model.replicate import run_replicate; from missionfit.scenario import load;"
        "run_replicate(load('hierarchy'), seed=0, replicate=0, days=5); print('mesa' in sys.modules)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "False"


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
    assert asifu.reports_sent == asifu.reports_received == 0  # nothing has moved before the first day
    prior = fc.trust_in(asifu)
    model.run_for(30)
    # the agents show the live run: what ASIFU sent and received is what the run's flows table records
    flows = run_replicate(sc, seed=0, replicate=0, days=30).flows
    assert asifu.reports_sent == int(flows.loc[flows["source"] == "asifu_hq", "hops"].sum()) > 0
    assert asifu.reports_received == int(flows.loc[flows["target"] == "asifu_hq", "delivered"].sum()) > 0
    assert fc.trust_in(asifu) != prior and 0.0 <= fc.trust_in(asifu) <= 1.0
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
    """A rotated unit's dyads, either way, fall back to their priors on its rotation day, seen through a model run.

    On an ordinary day most of a unit's dyads keep their value (checked on the day before). On the rotation day
    every dyad of the rotated unit that had drifted from its prior must lose its old value, and most are exactly
    at the prior at the end of the day (the rest moved again later that day).
    """
    sc = compiled("minusma_2015")
    rotation_day = np.array([-1 if u["rotation_day"] is None else u["rotation_day"] for u in sc.units])
    degree = np.zeros(sc.n_units, dtype=int)
    for e in sc.edges:
        degree[sc.index_of(e["source"])] += 1
        degree[sc.index_of(e["target"])] += 1
    # the best-connected unit rotating mid-run: its relationships have had time and traffic to drift
    unit = max(np.flatnonzero((rotation_day > 20) & (rotation_day < 170)), key=lambda i: degree[i])
    day = int(rotation_day[unit])

    def pairs(model, rows=None):
        """The unit's dyads (rows), their components now, and at the prior."""
        fl = model.engine_state.flow
        n = int(fl.counters[E.C_NDYAD])
        if rows is None:
            rows = np.flatnonzero((fl.dy_i[E.DY_TRUSTER, :n] == unit) | (fl.dy_i[E.DY_TRUSTEE, :n] == unit))
        now = fl.dy_f[[E.DY_COMPETENCE, E.DY_GOODWILL]][:, rows].ravel()
        prior = fl.dy_f[[E.DY_COMPETENCE0, E.DY_GOODWILL0]][:, rows].ravel()
        return rows, now, prior

    model = MissionModel(scenario=sc, seed=0, replicate=0, days=180)
    model.run(day - 1)  # days 0 .. day-2
    rows, two_days_before, _ = pairs(model)
    model.run(1)  # an ordinary day
    _, before, prior = pairs(model, rows)
    model.run(1)  # the rotation day
    _, after, _ = pairs(model, rows)

    drifted = two_days_before != prior
    assert drifted.sum() >= 5 and (before[drifted] == two_days_before[drifted]).mean() > 0.5
    drifted = before != prior
    assert drifted.sum() >= 5, "too little drift before the rotation to test the reset"
    # (a pair touched the same way before and after the reset, e.g. by one board meeting each, can land on its old
    # value again: a few, not many)
    assert (after[drifted] != before[drifted]).mean() >= 0.9, "drifted pairs kept their values through the rotation"
    assert (after[drifted] == prior[drifted]).mean() > 0.5


def test_stepping_after_a_bulk_run_simulates_the_next_day_only():
    # `run` simulates days in compiled code without firing Mesa's per-day step events; a later `step()` must
    # then advance exactly one day (it used to replay the skipped events: day 5 -> 11, time 6)
    sc = compiled("hierarchy")
    bulk = MissionModel(scenario=sc, seed=3, replicate=1, days=30)
    bulk.run(5)
    bulk.step()
    assert (bulk.day, bulk.time) == (6, 6.0)
    stepped = MissionModel(scenario=sc, seed=3, replicate=1, days=30)
    for _ in range(6):
        stepped.step()
    assert (stepped.day, stepped.time, stepped.steps) == (6, 6.0, 6)
    np.testing.assert_array_equal(bulk.engine_state.flow.counters, stepped.engine_state.flow.counters)
    np.testing.assert_array_equal(trust_state(bulk), trust_state(stepped))
    bulk.run_for(3)  # Mesa's own clock advance after a bulk run
    for _ in range(3):
        stepped.step()
    assert bulk.day == stepped.day == 9
    np.testing.assert_array_equal(bulk.engine_state.day_record, stepped.engine_state.day_record)
