"""The calibration patterns P1-P3 (docs/validation.md §4) at the scenario defaults, as pre-registered.

These are **calibration** patterns: they may set parameters (through the calibration script of issue 17, never by
hand) and they are not evidence. Each test runs `minusma_2015` for 180 days, R_cal = 20 replicates, seed 0, and
checks the conditions of validation.md §4 with their thresholds as written there. The held-out patterns (§6) and
the architectural ones (§5) are not tests: a test that fails when a held-out pattern fails would make it a target.
They are evaluated and reported by the held-out evaluation (§7.2), whatever they show. v1's pattern tests, which
checked v1 behaviour that the v2 core changes on purpose, are retired (validation.md §8.0, amendment of
2026-12-01; their weak points are §11).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from model_runs import runs, values

#: validation.md §4: R_cal replicates, seed 0, 180 days, no intervention and no fit knob.
R_CAL = 20


def _baseline():
    return runs("minusma_2015", replicates=R_CAL, seed=0, days=180)


def _one_sided_lower_bca(d: np.ndarray) -> float:
    """validation.md §2: the one-sided 95 % bound, the lower end of the two-sided 90 % BCa interval of the mean."""
    if np.all(d == d[0]):
        return float(d[0])
    res = stats.bootstrap(
        (d,), np.mean, confidence_level=0.90, n_resamples=9999, method="BCa", random_state=0
    )
    return float(res.confidence_interval.low)


def test_p1_the_fc_lacks_current_security_intelligence():
    """p. 394: the FC "lacked adequate current intelligence"; ASIFU's picture, on the FC's criterion, held more."""
    base = _baseline()
    fc = values(base, "fc_awareness_rate")
    asifu = values(base, "asifu_awareness_rate")
    assert fc.mean() < 0.5  # (a)
    d = asifu - fc
    assert d.mean() >= 0.10 and _one_sided_lower_bca(d) > 0.0, (d.mean(), d.std(ddof=1))  # (b)


def test_p2a_asifu_produces_many_assessments_for_the_fc():
    """p. 394: ASIFU produced for the FC (at least one product every other day reaches it)."""
    assert values(_baseline(), "asifu_assessments_to_fc").mean() >= 90  # (a)


def test_p2b_the_fc_uses_little_of_it():
    """p. 394: ASIFU's products were "only used to a limited extent" by the FC.

    Failed at the uncalibrated v2 core (0.555: the FC absorbed every assessment); holds since living trust (issue 16
    §1), where the FC uses what it believes, by its trust in ASIFU's competence (validation.md §8.0, amendment (5)).
    """
    assert values(_baseline(), "asifu_use_rate_fc").mean() < 0.2  # (b)


def test_p3_sf_isr_reports_reach_u2_asifu_but_rarely_jmac():
    """p. 396: "Their reports went to the U2 and ASIFU, but not to the wider mission"."""
    base = _baseline()
    to_u2_asifu = values(base, "u2_asifu_receipt_from_sf_isr")
    to_jmac = values(base, "jmac_receipt_from_sf_isr")
    assert to_u2_asifu.mean() > 0.4  # (a)
    assert to_jmac.mean() < 0.1  # (b)
    assert (to_u2_asifu > to_jmac).all()  # (c)
