"""Algorithmic constants do not change results (issue 15 §2): in every shipped scenario, none of them binds.

A constant that sizes a store or bounds a loop is algorithmic only if results do not depend on it. These tests run
every shipped scenario and check that each bound is never reached, so that a larger value would give the same
results: the evidence entries a picture keeps (`PICTURE_ENTRIES`) and the turns of transmission and fusion in a
day (`MAX_FUSION_ROUNDS`). Behavioural bounds are parameters instead (`max_open_tasks`,
`analyst_backlog_days`: docs/parameters.md).
"""

from __future__ import annotations

import pytest

from missionfit import engine
from missionfit.engine.schedule import MAX_FUSION_ROUNDS
from missionfit.model.simulation import BatchSimulation
from missionfit.scenario.loading import load

SCENARIOS = ("minusma_2014", "minusma_2015", "minusma_2018", "hierarchy", "edge")


@pytest.fixture(scope="module", params=SCENARIOS)
def finished(request):
    scenario = load(request.param)
    runs = []
    for replicate in range(3):
        sim = BatchSimulation(scenario=scenario, seed=5, replicate=replicate, days=180)
        sim.run()
        runs.append(sim.engine_state.flow)
    return request.param, runs


def test_no_picture_fills_its_evidence_entries(finished):
    name, flows = finished
    for fl in flows:
        n = int(fl.counters[engine.C_NPIC])
        most = int(fl.pic_i[engine.PI_N, :n].max(initial=0))
        assert most < engine.PICTURE_ENTRIES, (name, most)


def test_no_day_runs_out_of_fusion_turns(finished):
    name, flows = finished
    assert MAX_FUSION_ROUNDS >= 2
    assert all(int(fl.counters[engine.C_ROUNDS_CAPPED]) == 0 for fl in flows), name
