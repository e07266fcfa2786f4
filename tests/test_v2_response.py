"""Capacity, mitigation and posture on their own (docs/design/v2-core.md §5), against their analytic values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionfit.engine.response import mitigation_probability, prevented, take_slot


def test_capacity_binds_and_frees_after_the_busy_time():
    busy = np.zeros(3)  # consumer A: slots 0-1 (capacity 2), consumer B: slot 2
    assert take_slot(busy, 0, 2, 1.0, 2.0) == 0
    assert take_slot(busy, 0, 2, 1.5, 2.0) == 1
    assert take_slot(busy, 0, 2, 2.0, 2.0) == -1  # both busy: no action
    assert take_slot(busy, 2, 1, 2.0, 2.0) == 2  # another consumer's slot is its own
    assert take_slot(busy, 0, 2, 3.0, 2.0) == 0  # slot 0 free again at 1 + 2
    assert take_slot(busy, 0, 0, 9.0, 2.0) == -1  # capacity 0 never acts


def test_a_false_alarm_blocks_a_later_true_threat():
    """The stress case of issue 15 §2: with capacity 1, an action on a rumour leaves no slot for a real threat."""
    busy = np.zeros(1)
    assert take_slot(busy, 0, 1, 10.0, 1.5) == 0  # acts on a false event at day 10
    assert take_slot(busy, 0, 1, 11.0, 1.5) == -1  # the true threat at day 11 finds the force busy
    busy[:] = 0.0
    assert take_slot(busy, 0, 1, 11.0, 1.5) == 0  # without the false alarm it would have acted


@settings(max_examples=80, deadline=None)
@given(
    st.floats(0.0, 0.2), st.floats(0.3, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(-1.0, 10.0),
    st.floats(0.5, 2.0), st.floats(0.5, 1.0), st.floats(0.25, 2.0),
)
def test_mitigation_is_the_formula_and_stays_between_baseline_and_ceiling(b, top, c, a, lead, g, w, h):
    p = mitigation_probability(b, top, c, a, lead, g, w, h)
    expected = b if lead <= 0 or c <= 0 else b + (top - b) * c**g * (1 - w * (1 - a)) * lead / (lead + h)
    assert p == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert min(b, top) - 1e-12 <= p <= max(b, top) + 1e-12


def test_mitigation_rises_with_completeness_accuracy_and_lead():
    base = dict(baseline=0.05, ceiling=0.75, exponent=1.0, accuracy_weight=0.75, half_days=0.5)

    def p(c, a, lead):
        return mitigation_probability(
            base["baseline"], base["ceiling"], c, a, lead, base["exponent"], base["accuracy_weight"], base["half_days"]
        )

    assert p(0.5, 1.0, 1.0) < p(1.0, 1.0, 1.0)
    assert p(1.0, 0.5, 1.0) < p(1.0, 1.0, 1.0)
    assert p(1.0, 1.0, 0.25) < p(1.0, 1.0, 2.0) < 0.75
    assert p(1.0, 1.0, 0.0) == 0.05


def test_posture_prevents_only_inside_its_window_and_below_the_effect():
    until = np.array([-1.0, 30.0])
    assert prevented(until, 1, 20.0, 0.1, 0.15)
    assert not prevented(until, 1, 20.0, 0.2, 0.15)  # the draw is above the effect
    assert not prevented(until, 1, 31.0, 0.1, 0.15)  # the posture has ended
    assert not prevented(until, 0, 20.0, 0.0, 0.15)  # another cell has no posture
