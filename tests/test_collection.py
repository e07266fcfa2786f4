"""Collection draws detections exactly as one Bernoulli trial per candidate sensor would.

`engine.collection.next_detection` finds the first detecting candidate by inversion (one uniform per detection) and
skips the scan when the draw falls below `cover_none_bound`. These tests hold both to the plain
formulation: candidates in order, each detecting independently with its probability.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionfit.engine import pcg64
from missionfit.engine.collection import next_detection
from missionfit.model import MissionModel
from missionfit.scenario import compiler as compmod
from missionfit.scenario.loading import load


def observed_bits(observed):
    """`State.observed` of one event whose observer slot i observed it if `observed[i]` (slots 0 .. n-1)."""
    words = np.zeros((1, max(1, (len(observed) + 63) // 64)), np.uint64)
    for i, seen in enumerate(observed):
        if seen:
            words[0, i // 64] |= np.uint64(1) << np.uint64(i % 64)
    return words


def cell_model(p, p_tasked, observed, tasked):
    """A replicate's static and state, with coverage entries 0 .. n-1 of one cell replaced by a given set."""
    model = MissionModel(scenario=load("minusma_2015"), seed=0, replicate=0, days=30)
    n = len(p)
    p_max = np.maximum(p, p_tasked)
    static = model.engine_static._replace(
        cover_ptr=np.array([0, n]),
        cover_prob=np.asarray(p, float),
        cover_prob_tasked=np.asarray(p_tasked, float),
        cover_slot=np.arange(n),
        cover_unit=np.zeros(n, np.int64),
        cover_available=np.zeros(n),
        cover_group=np.arange(n),
        cover_none_bound=compmod._next_detection_none_bound(np.array([0, n]), p_max),
    )
    state = model.engine_state._replace(
        observed=observed_bits(observed),
        task_until=np.where(tasked, 10.0, -1.0),
    )
    return static, state


def first_detection_frequencies(static, state, draws, seed):
    stream = pcg64.state_of(np.random.default_rng(seed))
    n = static.cover_prob.size
    counts = np.zeros(n + 1, np.int64)
    for _ in range(draws):
        counts[next_detection(static, state, stream, 0, 0, n, 1.0)] += 1
    return counts / draws


def expected_first_detection(p, p_tasked, observed, tasked):
    """P(first detection at j) for j < n, and P(none) last: independent trials in order."""
    p_eff = np.where(tasked, p_tasked, p) * ~np.asarray(observed)
    none_before = np.concatenate([[1.0], np.cumprod(1.0 - p_eff)])
    return np.append(none_before[:-1] * p_eff, none_before[-1])


@pytest.mark.parametrize(
    ("p", "p_tasked", "observed", "tasked"),
    [
        ([0.05, 0.2, 0.5, 0.1, 0.3], [0.1, 0.4, 0.95, 0.2, 0.6], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
        ([0.05, 0.2, 0.5, 0.1, 0.3], [0.1, 0.4, 0.95, 0.2, 0.6], [0, 1, 0, 0, 1], [1, 0, 1, 0, 0]),
        ([0.0, 1.0, 0.3], [0.0, 1.0, 0.6], [0, 0, 0], [0, 0, 1]),
    ],
)
def test_first_detection_has_the_distribution_of_independent_trials(p, p_tasked, observed, tasked):
    observed, tasked = np.array(observed, bool), np.array(tasked, bool)
    static, state = cell_model(np.array(p), np.array(p_tasked), observed, tasked)
    draws = 40_000
    got = first_detection_frequencies(static, state, draws, seed=1)
    want = expected_first_detection(np.array(p), np.array(p_tasked), observed, tasked)
    # within 5 standard errors of a multinomial frequency (and exactly 0 where the probability is 0)
    tolerance = 5 * np.sqrt(want * (1 - want) / draws) + 1e-12
    np.testing.assert_array_less(np.abs(got - want), tolerance)
    assert np.all(got[want == 0] == 0)


@settings(max_examples=60, deadline=None)
@given(
    p=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12),
    boost=st.floats(0.0, 3.0),
    data=st.data(),
)
def test_skipping_the_scan_never_skips_a_detection(p, boost, data):
    """Below the bound, the full scan would have found nothing either, whatever tasks and observations."""
    p = np.array(p)
    p_tasked = np.minimum(0.95, p * (1.0 + boost))
    n = p.size
    observed = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    tasked = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    bound = compmod._next_detection_none_bound(np.array([0, n]), np.maximum(p, p_tasked))
    p_eff = np.where(tasked, p_tasked, p) * ~observed
    for j in range(n):
        all_fail = np.prod(1.0 - p_eff[j:])
        assert bound[j] <= all_fail
