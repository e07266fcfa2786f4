"""Keyed behavioural draws (issue 16 §4, docs/design/crn.md): golden values, statistics, and what keying buys.

A behavioural uniform is a pure function of (replicate seed, purpose, keys). These tests pin the function (golden
values at fixed keys, as SALib pins its samplers), check that the compiled and the numpy versions agree, check the
keyed stream statistically over the key patterns the engine uses, and check the property common random numbers
need: a unit added to a scenario changes no draw of any other unit.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from scipy import stats

from missionfit.engine import keyed
from missionfit.model.replicate import run_replicate
from missionfit.scenario import build_scenario
from missionfit.scenario.keys import chain_np, patch_key
from missionfit.scenario.loading import read_scenario


@numba.njit
def _draws(seed, purpose, a, b, c, out):
    """`out[i]` = the uniform under key3(seed, purpose, a[i], b[i], c[i]), sub-key 0 (the engine's pattern)."""
    for i in range(out.size):
        out[i] = keyed.sub(keyed.key3(seed, purpose, a[i], b[i], c[i]), 0)


def keyed_uniforms(seed, purpose, a, b, c):
    a, b, c = (np.broadcast_to(np.asarray(x, np.int64), np.broadcast(a, b, c).shape).copy() for x in (a, b, c))
    out = np.empty(a.size)
    _draws(np.array([seed], np.uint64), purpose, a, b, c, out)
    return out


def test_golden_values():
    """The draw at fixed keys never changes silently: results of every experiment depend on it."""
    got = keyed_uniforms(12345, keyed.SEND, [0, 1, 2], [7, 7, 7], [0, 0, 1])
    np.testing.assert_array_equal(got, GOLDEN)


#: keyed_uniforms(12345, keyed.SEND, [0, 1, 2], [7, 7, 7], [0, 0, 1]), recorded when the keyed draws were adopted.
GOLDEN = np.array([0.9203489971148262, 0.47826226100065894, 0.17571076162094545])


def test_the_compiled_chain_is_the_numpy_chain():
    """The compiler's keys (`scenario.keys.chain_np`) and the engine's (`engine.keyed.link`) are one function."""

    @numba.njit
    def chain(a, b):
        return keyed.link(keyed.link(np.uint64(0), a), b)

    for a, b in [(0, 0), (1, 2), (2**40 + 3, 17), (-1, 5)]:
        assert chain(a, b) == chain_np(a, b)[()]


@pytest.mark.parametrize(
    ("pattern", "a", "b", "c"),
    [
        ("consecutive events", np.arange(200_000), 5, 0),
        ("consecutive units", 3, np.arange(200_000), 0),
        ("consecutive sub-keys", 3, 5, np.arange(200_000)),
        ("a grid of events x units", np.repeat(np.arange(2000), 100), np.tile(np.arange(100), 2000), 0),
    ],
)
def test_keyed_uniforms_are_uniform_and_uncorrelated(pattern, a, b, c):
    """Over the key patterns the engine uses: uniform (KS, and chi-square on 1000 bins), no lag-1 correlation,
    and every one of the 53 bits balanced. (A stand-in for TestU01 SmallCrush, recorded in docs/design/crn.md.)"""
    u = keyed_uniforms(2026, keyed.USE, a, b, c)
    n = u.size
    assert stats.kstest(u, "uniform").pvalue > 1e-4, pattern
    counts = np.bincount((u * 1000).astype(int), minlength=1000)
    assert stats.chisquare(counts).pvalue > 1e-4, pattern
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 5 / np.sqrt(n), pattern
    bits = (u * 2.0**53).astype(np.uint64)
    ones = np.array([((bits >> np.uint64(k)) & np.uint64(1)).sum() for k in range(53)])
    assert np.all(np.abs(ones / n - 0.5) < 5 * 0.5 / np.sqrt(n)), pattern


def test_seeds_and_purposes_give_independent_draws():
    u1 = keyed_uniforms(1, keyed.USE, np.arange(100_000), 0, 0)
    u2 = keyed_uniforms(2, keyed.USE, np.arange(100_000), 0, 0)
    u3 = keyed_uniforms(1, keyed.LEAK, np.arange(100_000), 0, 0)
    for other in (u2, u3):
        assert abs(np.corrcoef(u1, other)[0, 1]) < 5 / np.sqrt(u1.size)


def test_patch_keys_sit_above_declaration_indices():
    assert patch_key("liaison_officers", 0) >= 2**32
    assert patch_key("liaison_officers", 1) == patch_key("liaison_officers", 0) + 1
    assert patch_key("a", 0) != patch_key("b", 0)


ISOLATED = {"id": "observer_x", "kind": "Civil Affairs", "consumer": None}


@pytest.mark.parametrize("name", ["minusma_2015", "minusma_2014"])
def test_adding_an_unrelated_unit_changes_no_draw_of_the_others(name):
    """A unit with no edges and no sensors, added by an intervention, leaves every result of the rest as it was."""
    spec = read_scenario(name)
    base = build_scenario(spec)
    added = build_scenario(spec, interventions={"observer": {"add_units": [dict(ISOLATED)]}})
    assert len(added.units) == len(base.units) + 1
    for replicate in range(3):
        a = run_replicate(base, seed=11, replicate=replicate, days=120)
        b = run_replicate(added, seed=11, replicate=replicate, days=120)
        for key, value in a.metrics.items():
            if key in UNIT_COUNT_METRICS:
                continue
            assert b.metrics[key] == pytest.approx(value, rel=1e-12, abs=1e-12, nan_ok=True), key
        flows_b = b.flows[b.flows["source"] != ISOLATED["id"]].reset_index(drop=True)
        assert a.flows.reset_index(drop=True).equals(flows_b)


#: Metrics that count units (a unit more is a unit more), not what units do.
UNIT_COUNT_METRICS = {"n_units"}


def test_removing_an_unrelated_unit_changes_no_draw_of_the_others():
    """The other direction, through an intervention's `remove_units`: the units declared after the removed one keep
    their keys (declaration order in the composed scenario, not the array index), so nothing else changes."""
    spec = read_scenario("minusma_2015")
    spec["units"] = [dict(ISOLATED), *spec["units"]]  # declared first: every other unit's array index shifts
    with_it = build_scenario(spec)
    without = build_scenario(spec, interventions={"drop": {"remove_units": [{"id": [ISOLATED["id"]]}]}})
    assert len(without.units) == len(with_it.units) - 1
    for replicate in range(2):
        a = run_replicate(with_it, seed=5, replicate=replicate, days=120)
        b = run_replicate(without, seed=5, replicate=replicate, days=120)
        for key, value in b.metrics.items():
            if key not in UNIT_COUNT_METRICS:
                assert a.metrics[key] == pytest.approx(value, rel=1e-12, abs=1e-12, nan_ok=True), key
        flows_a = a.flows[a.flows["source"] != ISOLATED["id"]].reset_index(drop=True)
        assert flows_a.equals(b.flows.reset_index(drop=True))
