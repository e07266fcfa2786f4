"""The v2 information submodels on their own: observation draws, distinct-origin fusion, pictures' table.

docs/design/v2-core.md §4. Each is checked against its analytic value (issue 15 §4: "fusion is monotone in
diverse sources", relays and clones add nothing, contradictions lower confidence).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionfit.engine.facets import (
    MAX_FACETS,
    NO_VALUE,
    draw_observation,
    facets_at_or_above,
    fuse_facet,
    merge_best,
)
from missionfit.engine.pictures import EMPTY, add_entry, find, find_or_insert, needs_growth, rehash
from missionfit.scenario.keys import chain_np

K = 4


def pool(origins, values, confs):
    """An observation pool: one observation per (origin, value of facet 0, confidence)."""
    n = len(origins)
    obs_origin = np.array(origins, np.int64)
    obs_value = np.full((n, MAX_FACETS), NO_VALUE, np.int8)
    obs_value[:, 0] = values
    obs_conf = np.zeros((n, MAX_FACETS), np.float32)
    obs_conf[:, 0] = confs
    return obs_origin, obs_value, obs_conf


def fused(entries, origins, values, confs, weight=None, masks=None):
    obs_origin, obs_value, obs_conf = pool(origins, values, confs)
    obs = np.array(entries, np.int32)
    masks = np.ones(len(entries), np.int16) if masks is None else np.array(masks, np.int16)
    weight = np.ones(max(origins) + 1) if weight is None else np.asarray(weight, float)
    per_entry = weight[obs_origin[obs]]  # the holder's trust in each entry's origin
    return fuse_facet(0, obs, masks, len(entries), obs_origin, obs_value, obs_conf, per_entry, K, np.zeros(8))


def posterior(confs_agree, confs_other_values):
    """The analytic posterior of value 0 given agreeing and disagreeing (distinct-valued) origins."""

    def lik(v):
        p = 1.0
        for c in confs_agree:
            p *= c if v == 0 else (1 - c) / (K - 1)
        for c, value in confs_other_values:
            p *= c if v == value else (1 - c) / (K - 1)
        return p

    return lik(0) / sum(lik(v) for v in range(K))


def test_one_origin_gives_its_own_confidence():
    value, conf = fused([0], [3], [2], [0.8])
    assert value == 2 and conf == pytest.approx(0.8, abs=1e-6)


def test_agreeing_distinct_origins_raise_confidence_monotonically():
    confs = []
    for n in range(1, 6):
        value, conf = fused(list(range(n)), list(range(n)), [1] * n, [0.7] * n)
        assert value == 1
        assert conf == pytest.approx(posterior([0.7] * n, []), rel=1e-6)
        confs.append(conf)
    assert all(b > a for a, b in zip(confs, confs[1:], strict=False))


def test_relays_clones_and_the_same_origin_add_nothing():
    one = fused([0], [5], [1], [0.7])
    # the same observation three times (relays, clones, an assessment built on it)
    relayed = fused([0, 0, 0], [5], [1], [0.7])
    # two observations of the same origin (two indicators seen by one unit): one origin
    same_origin = fused([0, 1], [5, 5], [1, 1], [0.7, 0.7])
    assert one == relayed == same_origin


def test_a_contradiction_lowers_confidence():
    agree = fused([0, 1], [0, 1], [2, 2], [0.8, 0.8])[1]
    alone = fused([0], [0], [2], [0.8])[1]
    value, contra = fused([0, 1], [0, 1], [2, 3], [0.8, 0.8])
    assert contra < alone < agree
    assert value == 2 and contra == pytest.approx(0.8 * 0.2 / 3 / (2 * 0.8 * 0.2 / 3 + 2 * (0.2 / 3) ** 2), rel=1e-6)


def test_trust_weights_the_evidence():
    full = fused([0, 1], [0, 1], [2, 2], [0.8, 0.8])[1]
    half = fused([0, 1], [0, 1], [2, 2], [0.8, 0.8], weight=[1.0, 0.5])[1]
    none = fused([0, 1], [0, 1], [2, 2], [0.8, 0.8], weight=[1.0, 0.0])[1]
    assert none == pytest.approx(0.8, abs=1e-6) and none < half < full


def test_a_stripped_facet_is_not_evidence():
    assert fused([0], [0], [2], [0.8], masks=[0]) == (NO_VALUE, 0.0)
    assert fused([0, 1], [0, 1], [2, 2], [0.8, 0.8], masks=[1, 0])[1] == pytest.approx(0.8, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, K - 1), st.floats(0.3, 0.95)), min_size=1, max_size=10)
)
def test_fusion_is_a_probability_and_ignores_order(obs):
    origins, values, confs = zip(*obs, strict=True)
    value, conf = fused(list(range(len(obs))), list(origins), list(values), list(confs))
    assert 1.0 / K - 1e-9 <= conf <= 1.0
    # reversing the entries changes which duplicate of an origin counts, not the set of distinct origins when
    # every origin appears once
    if len(set(origins)) == len(origins):
        rev = fused(list(range(len(obs)))[::-1], list(origins), list(values), list(confs))
        assert rev[1] == pytest.approx(conf, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, K - 1), st.sampled_from([0.3, 0.55, 0.8, 0.95])),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 2**31),
)
def test_remembered_logarithms_change_no_bit(obs, seed):
    """The engine's scratch (16 entries) remembers two entries' logarithms across calls, keyed on confidence and
    K; fusing every facet of several pictures through one such scratch gives exactly the bits of a fresh one."""
    rng = np.random.default_rng(seed)
    origins, values, confs = zip(*obs, strict=True)
    n = len(obs)
    obs_origin = np.array(origins, np.int64)
    obs_value = np.full((n, MAX_FACETS), NO_VALUE, np.int8)
    obs_conf = np.zeros((n, MAX_FACETS), np.float32)
    for f in range(MAX_FACETS):
        obs_value[:, f] = (np.array(values) + f) % K
        obs_conf[:, f] = confs
    weight = rng.uniform(0.2, 1.0, 6)
    shared = np.full(16, np.nan)
    for _ in range(3):
        entries = rng.permutation(n).astype(np.int32)
        masks = rng.integers(0, 2**MAX_FACETS, n).astype(np.int16)
        for k_values in (K, 3):
            for f in range(MAX_FACETS):
                per_entry = weight[obs_origin[entries]]
                args = (f, entries, masks, n, obs_origin, obs_value % k_values, obs_conf, per_entry, k_values)
                want = fuse_facet(*args, np.zeros(8))
                got = fuse_facet(*args, shared)
                assert got[0] == want[0] and float(got[1]).hex() == float(want[1]).hex()


def test_merge_best_keeps_the_best_confidence_per_facet_without_corroboration():
    value = np.full(MAX_FACETS, NO_VALUE, np.int8)
    conf = np.zeros(MAX_FACETS, np.float32)
    a = np.array([1, 2, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE], np.int8)
    assert merge_best(value, conf, a, np.array([0.7, 0.6, 0, 0, 0, 0], np.float32)) == 2
    # the same assertion again adds nothing (no corroboration gain for consumers)
    assert merge_best(value, conf, a, np.array([0.7, 0.6, 0, 0, 0, 0], np.float32)) == 0
    b = np.array([3, NO_VALUE, 0, NO_VALUE, NO_VALUE, NO_VALUE], np.int8)
    assert merge_best(value, conf, b, np.array([0.9, 0, 0.5, 0, 0, 0], np.float32)) == 2
    assert value.tolist()[:3] == [3, 2, 0]
    assert conf.tolist()[:3] == pytest.approx([0.9, 0.6, 0.5])
    assert facets_at_or_above(conf, 0.6) == 2


def _keys(seed, n):
    """`n` draw keys, as the engine's `keyed.key2` gives one per detection."""
    return chain_np(seed, np.arange(n))


def test_observation_draws_have_the_profiles_distribution():
    truth = np.array([0, 1, 2, 3, NO_VALUE, NO_VALUE], np.int8)
    out = np.empty(MAX_FACETS, np.int8)
    n, yielded, right = 40_000, np.zeros(MAX_FACETS), np.zeros(MAX_FACETS)
    type_mask, profile = 0b1111, 0b0110  # the type has who/what/where/when; the sensor yields what, where
    for key in _keys(1, n):
        draw_observation(key, truth, type_mask, profile, 0.8, 0.2, K, False, out)
        got = out != NO_VALUE
        yielded += got
        right += got & (out == truth)
    assert yielded[0] == yielded[3] == yielded[4] == 0
    for f in (1, 2):
        assert yielded[f] / n == pytest.approx(0.8, abs=0.01)
        assert right[f] / yielded[f] == pytest.approx(0.8, abs=0.01)


def test_a_false_event_draws_independent_uniform_values():
    truth = np.full(MAX_FACETS, NO_VALUE, np.int8)
    out = np.empty(MAX_FACETS, np.int8)
    counts = np.zeros(K)
    for key in _keys(2, 20_000):
        draw_observation(key, truth, 0b1, 0b1, 1.0, 0.1, K, True, out)
        counts[out[0]] += 1
    assert counts / counts.sum() == pytest.approx(np.full(K, 1 / K), abs=0.015)


def test_wrong_values_are_uniform_over_the_others():
    truth = np.array([2, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE], np.int8)
    out = np.empty(MAX_FACETS, np.int8)
    counts = np.zeros(K)
    for key in _keys(3, 30_000):
        draw_observation(key, truth, 0b1, 0b1, 1.0, 1.0 - 1e-12, K, False, out)  # always wrong
        counts[out[0]] += 1
    assert counts[2] == 0
    assert counts[[0, 1, 3]] / counts.sum() == pytest.approx(np.full(3, 1 / 3), abs=0.015)


def test_the_picture_table_finds_what_it_inserted_and_survives_a_rehash():
    size = 64
    keys, slots = np.full(size, EMPTY, np.int64), np.full(size, -1, np.int64)
    rng = np.random.default_rng(0)
    chosen = rng.choice(10**9, size=32, replace=False)
    for row, key in enumerate(chosen):
        assert find_or_insert(keys, slots, key, row) == (row, True)
        assert not needs_growth(row + 1, size) or row + 1 > size // 2
    assert all(find(keys, slots, key) == row for row, key in enumerate(chosen))
    assert find_or_insert(keys, slots, chosen[5], 99) == (5, False)
    assert find(keys, slots, 10**9 + 7) == -1
    assert needs_growth(33, size)
    big_keys, big_slots = np.full(2 * size, EMPTY, np.int64), np.full(2 * size, -1, np.int64)
    rehash(keys, slots, big_keys, big_slots)
    assert all(find(big_keys, big_slots, key) == row for row, key in enumerate(chosen))


def test_add_entry_merges_masks_and_caps_the_entries():
    entry_obs = np.full((1, 3), -1, np.int32)
    entry_mask = np.zeros((1, 3), np.int16)
    n = np.zeros(1, np.int16)
    assert add_entry(entry_obs, entry_mask, n, 0, 7, 0b0011)
    assert not add_entry(entry_obs, entry_mask, n, 0, 7, 0b0001)  # nothing new
    assert add_entry(entry_obs, entry_mask, n, 0, 7, 0b0100)  # a facet it lacked
    assert entry_mask[0, 0] == 0b0111 and n[0] == 1
    assert add_entry(entry_obs, entry_mask, n, 0, 8, 1) and add_entry(entry_obs, entry_mask, n, 0, 9, 1)
    assert not add_entry(entry_obs, entry_mask, n, 0, 10, 1)  # full
    assert n[0] == 3 and math.isclose(float(entry_obs[0, 2]), 9)
