"""`transmission.garble` on its own: a mismatch misreads facets at its rate, and the origin stays one origin."""

from __future__ import annotations

import numpy as np
import pytest

from missionfit import engine as E
from missionfit.engine.transmission import garble, new_message, payload_of_observation, summary_from_observation
from missionfit.model import BatchSimulation
from missionfit.scenario import load
from missionfit.scenario.keys import chain_np


@pytest.fixture(scope="module")
def sim():
    return BatchSimulation(scenario=load("hierarchy"), seed=0, replicate=0, days=5)


def _raw_report(sim, values, origin=3):
    net, fl = sim.engine_static.net, sim.engine_state.flow
    k_obs = fl.counters[E.C_NOBS]
    fl.counters[E.C_NOBS] += 1
    fl.obs_origin[k_obs] = origin
    fl.obs_value[k_obs] = values
    fl.obs_conf[k_obs] = np.where(values >= 0, 0.8, 0.0)
    pay = payload_of_observation(fl, k_obs)
    k = new_message(net, fl, 0, origin, E.RAW, 0, 1.0, 0, 0.0, 0, -1, pay, 1, -1, 0)
    summary_from_observation(fl, k, k_obs)
    return k, k_obs


def test_a_mismatch_misreads_facets_at_its_rate_and_keeps_origin_and_confidence(sim):
    net, fl = sim.engine_static.net, sim.engine_state.flow
    values = np.array([0, 1, 2, -1, -1, -1], np.int8)
    n, changed = 3000, 0
    for key in chain_np(0, np.arange(n)):  # one draw key per hop, as `transmission.send` makes them
        k, k_obs = _raw_report(sim, values)
        garble(net, fl, key, k, 0.3)
        asserted = fl.mi[k, E.M_VAL0 : E.M_VAL0 + 3]
        changed += int((asserted != values[:3]).sum())
        assert all(0 <= v < net.info[E.IN_VALUES] for v in asserted)
        assert fl.mi[k, E.M_VAL0 + 3] == -1  # a facet it does not carry stays absent
        evidence = fl.pay_obs[fl.mi[k, E.M_PAYLOAD]]
        if (asserted != values[:3]).any():
            # the message now carries a new observation of the same origin, saying what was misread
            assert evidence != k_obs and fl.obs_origin[evidence] == fl.obs_origin[k_obs]
            assert (fl.obs_value[evidence, :3] == asserted).all()
            assert np.allclose(fl.obs_conf[evidence], fl.obs_conf[k_obs])
        else:
            assert evidence == k_obs
    assert changed / (3 * n) == pytest.approx(0.3, abs=0.02)


def test_no_mismatch_no_misreading(sim):
    net, fl = sim.engine_static.net, sim.engine_state.flow
    values = np.array([3, 0, 1, 2, -1, -1], np.int8)
    k, k_obs = _raw_report(sim, values)
    garble(net, fl, np.uint64(1), k, 0.0)
    assert (fl.mi[k, E.M_VAL0 : E.M_VAL0 + 6] == values).all()
    assert fl.pay_obs[fl.mi[k, E.M_PAYLOAD]] == k_obs
