"""The inline PCG64 stream (the world's) is numpy's, draw for draw, and hands its state back to the generator."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionfit.engine import pcg64


@pytest.fixture(scope="module")
def draw_many():
    import numba

    @numba.njit
    def draw(state, out):
        for i in range(out.size):
            out[i] = pcg64.random(state)

    return draw


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**63), replicate=st.integers(0, 10_000))
def test_inline_draws_equal_numpy(draw_many, seed, replicate):
    generator = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replicate,)))
    reference = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replicate,)))
    state = pcg64.state_of(generator)
    out = np.empty(5000)
    draw_many(state, out)
    np.testing.assert_array_equal(out, reference.random(5000))
    pcg64.store(generator, state)
    # the generator continues where the inline draws stopped
    np.testing.assert_array_equal(generator.random(100), reference.random(100))


def test_other_bit_generators_are_refused():
    with pytest.raises(TypeError, match="PCG64"):
        pcg64.state_of(np.random.Generator(np.random.MT19937(1)))
