"""The compiled world generator draws exactly what its plain numpy formulation draws."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionfit.engine import pcg64
from missionfit.model.world import generate_world, poisson_counts
from missionfit.scenario.codes import DOMAIN_CODE, HORIZON_CODE, LINE_CODE
from missionfit.scenario.loading import load


def reference_world(sectors, event_types, days, rng):
    """The world of one replicate in plain numpy: the specification `generate_world` must match."""
    rates = np.array([float(s["event_rate"]) for s in sectors])
    counts = rng.poisson(rates * days)
    sector = np.repeat(np.arange(len(sectors)), counts)
    n = int(sector.size)
    time = rng.uniform(0.0, float(days), size=n)
    shares = np.array([float(t["share"]) for t in event_types])
    kind = rng.choice(len(event_types), size=n, p=shares / shares.sum())
    lo = np.array([t["severity"][0] for t in event_types], dtype=float)[kind]
    hi = np.array([t["severity"][1] for t in event_types], dtype=float)[kind]
    severity = lo + (hi - lo) * rng.random(n)
    outcome_draw = rng.random(n)
    w_lo = np.array([t["warning_days"][0] for t in event_types], dtype=float)[kind]
    w_hi = np.array([t["warning_days"][1] for t in event_types], dtype=float)[kind]
    window = w_lo + (w_hi - w_lo) * rng.random(n)
    n_ind = np.array([int(t["indicators"]) for t in event_types])[kind]
    ind_event = np.repeat(np.arange(n), n_ind)
    ind_time = time[ind_event] - window[ind_event] * rng.random(ind_event.size)
    order = np.argsort(time, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    keep = ind_time >= 0.0
    ind_time, ind_event = ind_time[keep], rank[ind_event[keep]]
    ind_order = np.argsort(ind_time, kind="stable")
    code = {
        "line": np.array([LINE_CODE[t["line"]] for t in event_types])[kind],
        "domain": np.array([DOMAIN_CODE[t["domain"]] for t in event_types])[kind],
        "horizon": np.array([HORIZON_CODE[t["horizon"]] for t in event_types])[kind],
    }
    return {
        "time": time[order], "sector": sector[order], "kind": kind[order], "line": code["line"][order],
        "domain": code["domain"][order], "horizon": code["horizon"][order], "severity": severity[order],
        "outcome_draw": outcome_draw[order], "indicator_time": ind_time[ind_order],
        "indicator_event": ind_event[ind_order],
    }


@pytest.fixture(scope="module", params=["minusma_2014", "minusma_2015", "minusma_2018", "hierarchy"])
def scenario(request):
    return load(request.param)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32), days=st.integers(1, 400))
def test_compiled_world_equals_numpy_formulation(scenario, seed, days):
    got = generate_world(scenario.sectors, scenario.event_types, days, np.random.default_rng(seed))
    want = reference_world(scenario.sectors, scenario.event_types, days, np.random.default_rng(seed))
    for name, expected in want.items():
        np.testing.assert_array_equal(getattr(got, name), expected, err_msg=name)


def test_a_single_event_type_and_an_empty_world():
    sc = load("minusma_2015")
    one_type = [dict(sc.event_types[0], share=1.0)]
    quiet = [dict(s, event_rate=0.0) for s in sc.sectors]
    for sectors, types in ((sc.sectors, one_type), (quiet, sc.event_types)):
        got = generate_world(sectors, types, 30, np.random.default_rng(3))
        want = reference_world(sectors, types, 30, np.random.default_rng(3))
        for name, expected in want.items():
            np.testing.assert_array_equal(getattr(got, name), expected, err_msg=name)


def test_compiled_poisson_counts_are_numpys_draw_for_draw():
    """`poisson_counts` is `Generator.poisson` on the same stream: same counts, stream left in the same state.

    Both of numpy's branches (multiplication below 10, transformed rejection from 10) and their boundary;
    the rejection's log-gamma test is reached in about one draw in ten above 10.
    """
    lam = np.concatenate([[0.0, 1e-9, 0.5, 3.0, 9.999999, 10.0, 13.5, 94.5, 630.0, 1e5, 1e12], np.linspace(0, 60, 61)])
    for seed in range(300):
        rng = np.random.default_rng(seed)
        stream = pcg64.state_of(rng)
        np.testing.assert_array_equal(poisson_counts(lam, stream), rng.poisson(lam))
        np.testing.assert_array_equal(stream, pcg64.state_of(rng))


@pytest.mark.parametrize(("lam", "message"), [(-1.0, "lam < 0"), (np.nan, "too large"), (1e19, "too large")])
def test_compiled_poisson_counts_reject_what_numpy_rejects(lam, message):
    with pytest.raises(ValueError, match=message):
        np.random.default_rng(0).poisson(np.array([lam]))
    with pytest.raises(ValueError, match=message):
        poisson_counts(np.array([lam]), pcg64.state_of(np.random.default_rng(0)))
