"""The v2 use rule of `asifu_use_rate_fc` (CHANGELOG [2.0], docs/validation.md P2): `arrival.entering_facets`.

An assessment counts as used when it brings the FC's picture a facet at or above the FC's action threshold that
the picture did not already hold at that confidence (the rule `absorb_summary` applies when it merges).
"""

from __future__ import annotations

import numpy as np
import pytest

from missionfit import engine as E
from missionfit.engine.arrival import entering_facets

THRESHOLD = 0.75


def _message(values, confs, mask):
    mi = np.zeros((1, E.N_MESSAGE_INT_FIELDS), np.int32)
    mf = np.zeros((1, E.N_MESSAGE_FLOAT_FIELDS))
    mi[0, E.M_MASK] = mask
    mi[0, E.M_VAL0 : E.M_VAL0 + E.MAX_FACETS] = values
    mf[0, E.M_CONF0 : E.M_CONF0 + E.MAX_FACETS] = confs
    return mi, mf


ALL = (1 << E.MAX_FACETS) - 1
NONE_HELD = np.zeros(E.MAX_FACETS)


@pytest.mark.parametrize(
    "values, confs, mask, held, used",
    [
        # a confident facet the picture lacks: used
        ([2, -1, -1, -1, -1, -1], [0.8, 0, 0, 0, 0, 0], ALL, NONE_HELD, True),
        # below the FC's threshold: not used, however new
        ([2, -1, -1, -1, -1, -1], [0.7, 0, 0, 0, 0, 0], ALL, NONE_HELD, False),
        # the picture already holds that facet as confidently: nothing enters
        ([2, -1, -1, -1, -1, -1], [0.8, 0, 0, 0, 0, 0], ALL, np.array([0.8, 0, 0, 0, 0, 0]), False),
        # ... or more confidently, while another facet enters
        ([2, 1, -1, -1, -1, -1], [0.8, 0.9, 0, 0, 0, 0], ALL, np.array([0.9, 0, 0, 0, 0, 0]), True),
        # stripped on the way (sanitization, escalation): a facet outside the mask was not received
        ([2, -1, -1, -1, -1, -1], [0.8, 0, 0, 0, 0, 0], ALL & ~1, NONE_HELD, False),
        # no value asserted
        ([-1, -1, -1, -1, -1, -1], [0.9, 0.9, 0, 0, 0, 0], ALL, NONE_HELD, False),
    ],
)
def test_an_assessment_is_used_when_a_confident_facet_enters_the_picture(values, confs, mask, held, used):
    mi, mf = _message(values, confs, mask)
    assert entering_facets(mi, mf, 0, THRESHOLD, np.asarray(held, dtype=float)) is used
