"""The v2 world (docs/design/v2-core.md §3): the v1 world of the same seed, plus facet truths and false events."""

from __future__ import annotations

import numpy as np
import pytest

from missionfit.engine.facets import MAX_FACETS, NO_VALUE
from missionfit.model.information import InformationTables, generate_world_v2, information_tables
from missionfit.model.world import generate_world
from missionfit.scenario import load

INFO = {"facets": ["who", "what", "where", "when"], "values_per_facet": 4, "false_event_share": 0.2}


@pytest.fixture(scope="module")
def scenario():
    sc = load("minusma_2015")
    types = [dict(t) for t in sc.event_types]
    types[0]["facets"] = ["what", "where"]  # one type with fewer facets
    return sc.sectors, types


def worlds(scenario, seed, info=INFO, days=180):
    sectors, types = scenario
    tables = information_tables(sectors, types, info)
    v1 = generate_world(sectors, types, days, np.random.default_rng(seed))
    v2 = generate_world_v2(sectors, types, days, np.random.default_rng(seed), tables)
    return v1, v2, tables


def test_the_true_events_are_the_v1_world(scenario):
    v1, v2, _ = worlds(scenario, 5)
    true = v2.is_false == 0
    for name in ("time", "sector", "kind", "line", "domain", "horizon", "severity", "outcome_draw"):
        np.testing.assert_array_equal(getattr(v2, name)[true], getattr(v1, name))
    # and the true events' indicators are v1's, re-indexed
    true_index = np.flatnonzero(true)
    kept = true[v2.indicator_event]
    np.testing.assert_array_equal(v2.indicator_time[kept], v1.indicator_time)
    np.testing.assert_array_equal(v2.indicator_event[kept], true_index[v1.indicator_event])


def test_events_and_indicators_are_in_time_order(scenario):
    _, v2, _ = worlds(scenario, 6)
    assert np.all(np.diff(v2.time) >= 0) and np.all(np.diff(v2.indicator_time) >= 0)
    assert np.all(v2.indicator_time <= v2.time[v2.indicator_event])


def test_false_events_arrive_at_their_share_and_have_no_truth(scenario):
    sectors, _ = scenario
    days, n_false, n_true = 180, 0, 0
    for seed in range(20):
        _, v2, tables = worlds(scenario, seed)
        n_false += int(v2.is_false.sum())
        n_true += int((v2.is_false == 0).sum())
        assert np.all(v2.facet_truth[v2.is_false == 1] == NO_VALUE)
        assert np.all(v2.prevention_draw[v2.is_false == 1] == 1.0)  # never prevented
    expected = 20 * days * tables.false_rates.sum()
    assert n_false == pytest.approx(expected, rel=0.05)
    assert n_false / n_true == pytest.approx(0.2, rel=0.05)
    assert any(v2.is_false[v2.indicator_event] == 1)  # false events emit indicators too


def test_facet_truths_follow_the_type_and_are_uniform(scenario):
    _, v2, tables = worlds(scenario, 7)
    true = v2.is_false == 0
    for i in np.flatnonzero(true):
        mask = tables.type_facet_mask[v2.kind[i]]
        for f in range(MAX_FACETS):
            has = (mask >> f) & 1
            assert (v2.facet_truth[i, f] != NO_VALUE) == bool(has)
    values = v2.facet_truth[true][:, 1]  # "what": every type has it
    counts = np.bincount(values, minlength=4) / values.size
    assert counts == pytest.approx(np.full(4, 0.25), abs=0.03)
    assert 0.0 <= v2.prevention_draw[true].min() and v2.prevention_draw[true].max() < 1.0


def test_the_false_share_leaves_the_true_events_additions_alone(scenario):
    """Common random numbers across `false_event_share`: truths and prevention draws of true events stay."""
    _, a, _ = worlds(scenario, 8)
    _, b, _ = worlds(scenario, 8, info={**INFO, "false_event_share": 0.05})
    np.testing.assert_array_equal(a.facet_truth[a.is_false == 0], b.facet_truth[b.is_false == 0])
    np.testing.assert_array_equal(a.prevention_draw[a.is_false == 0], b.prevention_draw[b.is_false == 0])
    assert a.is_false.sum() > b.is_false.sum()


def test_no_false_events_at_share_zero(scenario):
    v1, v2, _ = worlds(scenario, 9, info={**INFO, "false_event_share": 0.0})
    assert v2.is_false.sum() == 0 and v2.time.size == v1.time.size


def test_information_tables_masks():
    sectors = [{"event_rate": 2.0}, {"event_rate": 1.0}]
    types = [{"facets": None}, {"facets": ["what", "when"]}]
    t = information_tables(sectors, types, INFO)
    assert isinstance(t, InformationTables)
    assert t.type_facet_mask.tolist() == [0b1111, 0b1010]
    assert t.false_rates.tolist() == [0.4, 0.2] and t.values_per_facet == 4
