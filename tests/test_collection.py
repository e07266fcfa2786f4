"""Collection draws detections exactly as one Bernoulli trial per candidate sensor would.

`engine.collection.next_detection` gives each candidate its own keyed uniform (`engine.keyed`, issue 16 §4). These
tests hold it to the plain formulation (candidates in order, each detecting independently with its probability)
and check the property keying buys: whether an entry detects does not depend on the entries before it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionfit.engine.collection import next_detection
from missionfit.model import MissionModel
from missionfit.scenario.keys import chain_np
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
    static = model.engine_static._replace(
        cover_ptr=np.array([0, n]),
        cover_prob=np.asarray(p, float),
        cover_prob_tasked=np.asarray(p_tasked, float),
        cover_slot=np.arange(n),
        cover_unit=np.zeros(n, np.int64),
        cover_available=np.zeros(n),
        cover_group=np.arange(n),
        cover_key=chain_np(np.arange(n), 0),
        ind_event=np.zeros(1, np.int64),  # indicator 0 is of event 0, the one row of `observed`
    )
    state = model.engine_state._replace(
        observed=observed_bits(observed),
        task_until=np.where(tasked, 10.0, -1.0),
    )
    return static, state


def first_detection_frequencies(static, state, draws, seed):
    """Frequencies of the first detecting entry (n: none) over `draws` replicate seeds, for indicator 0."""
    n = static.cover_prob.size
    counts = np.zeros(n + 1, np.int64)
    for d in range(draws):
        key = np.array([seed * 1_000_003 + d], np.uint64)
        counts[next_detection(static, state, key, 0, 0, n, 1.0)] += 1
    return counts / draws


def detecting_entries(static, state, key, indicator):
    """Every entry that detects the indicator, walked as `collection.collect` walks a cell."""
    n = static.cover_prob.size
    found, j = [], next_detection(static, state, key, indicator, 0, n, 1.0)
    while j < n:
        found.append(int(j))
        j = next_detection(static, state, key, indicator, j + 1, n, 1.0)
    return found


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


@settings(max_examples=40, deadline=None)
@given(
    p=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=10),
    data=st.data(),
)
def test_an_entry_detects_whatever_the_entries_before_it(p, data):
    """Changing the probabilities of the first m entries leaves which of the rest detect unchanged (issue 16 §4)."""
    p = np.array(p)
    n = p.size
    m = data.draw(st.integers(1, n - 1))
    other = p.copy()
    other[:m] = data.draw(st.lists(st.floats(0.0, 1.0), min_size=m, max_size=m))
    none = np.zeros(n, bool)
    static, state = cell_model(p, p, none, none)
    static_other = static._replace(cover_prob=other, cover_prob_tasked=other)
    for d in range(20):
        key = np.array([d], np.uint64)
        a = [j for j in detecting_entries(static, state, key, 0) if j >= m]
        b = [j for j in detecting_entries(static_other, state, key, 0) if j >= m]
        assert a == b
