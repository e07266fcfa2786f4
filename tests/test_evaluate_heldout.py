"""The statistics of scripts/evaluate_heldout.py (docs/validation.md §2) on known inputs; no model run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("numba")  # the script imports the model

_PATH = Path(__file__).resolve().parents[1] / "scripts" / "evaluate_heldout.py"
_SPEC = importlib.util.spec_from_file_location("evaluate_heldout", _PATH)
ev = importlib.util.module_from_spec(_SPEC)
sys.modules["evaluate_heldout"] = ev  # dataclasses look their module up there
_SPEC.loader.exec_module(ev)


def test_holm_step_down_on_known_p_values():
    # m = 4: levels 0.0125, 0.01667, 0.025, 0.05 by rank; 0.03 fails at its rank, so 0.04 (< 0.05) is not rejected
    rejected, levels = ev.holm([0.001, 0.04, 0.03, 0.004])
    assert rejected == [True, False, False, True]
    assert levels == pytest.approx([0.0125, 0.05, 0.025, 0.05 / 3])
    # missing hypotheses (m > len(p)) make it stricter: 0.02 < 0.05 alone, not < 0.05 / 3
    assert ev.holm([0.02], m=1)[0] == [True]
    assert ev.holm([0.02], m=3)[0] == [False]
    with pytest.raises(ValueError):
        ev.holm([0.1, 0.2], m=1)
    # the permutation test is read at the t-test's rank levels, and only as far as the t step-down reached
    rej_t, rej_f, levels = ev.holm_pair([0.001, 0.04, 0.03, 0.004], [0.001, 0.001, 0.001, 0.02], 4)
    assert rej_t == [True, False, False, True]
    assert rej_f == [True, False, True, False]  # 0.001 < 0.025 at rank 3; 0.02 > 0.0167 at rank 2; rank 4 not reached


def _decide(d: np.ndarray, delta: float, claim: str, m: int = 39) -> str:
    """The outcome of one test as the first of a family of m whose other members reject nothing."""
    ps = ev.pvalues(d, delta)
    primary = ps[ev.PRIMARY[claim]]
    rej_t, rej_f, levels = ev.holm_pair([primary[0]] + [1.0] * (m - 1), [primary[1]] + [1.0] * (m - 1), m)
    return ev.outcome(claim, float(d.mean()), delta, ps, (rej_t[0], rej_f[0]), (levels[0], levels[0]))


def test_decision_rules_on_constructed_differences():
    rng = np.random.default_rng(5)
    noise = rng.normal(0.0, 0.01, 50)
    noise -= noise.mean()
    assert _decide(0.05 + noise, 0.02, "up") == "holds"
    assert _decide(0.01 + noise, 0.002, "up") == "holds"
    assert _decide(0.01 + noise * 0.2, 0.02, "up") == "holds, negligible size"
    assert _decide(-0.05 + noise, 0.02, "up") == "contradicted"
    assert _decide(0.0 + noise, 0.02, "up") == "negligible"
    assert _decide(0.0 + 10 * noise, 0.02, "up") == "undecided"
    assert _decide(0.0 + noise, 0.02, "equal") == "holds"
    assert _decide(0.05 + noise, 0.02, "equal") == "contradicted"
    assert _decide(0.01 + noise, 0.02, "equal") == "holds"  # inside δ, tightly
    assert _decide(0.015 + 5 * noise, 0.02, "equal") == "undecided"  # neither inside δ nor away from 0
    assert _decide(-0.005 + noise, 0.02, "noninf") == "holds"
    assert _decide(-0.05 + noise, 0.02, "noninf") == "contradicted"


def test_equal_differences_and_bounds():
    d = np.zeros(50)
    assert ev.bca(d, 0.95) == (0.0, 0.0)
    assert _decide(d, 0.03, "up") == "negligible"  # zero in every replicate: equivalent by any margin
    # a share difference near its bound: the interval stays in [-1, 1]
    near = np.r_[np.full(45, 1.0), np.full(5, 0.9)]
    lo, hi = ev.bca(near, 0.95, (-1.0, 1.0))
    assert -1.0 <= lo <= hi <= 1.0
    assert ev.count_delta(3.0) == 2.0 and ev.count_delta(100.0) == pytest.approx(20.0)


def test_the_family_has_39_tests_and_the_not_computable_reject_nothing():
    family = [t for t in ev.TESTS if t.family]
    assert len(family) == ev.M_FAMILY
    assert len({t.id for t in ev.TESTS}) == len(ev.TESTS)
    # evaluate() on empty data: every test "not run" or not computable, and Holm still runs over 39
    res = ev.evaluate({})
    assert all(r["holm_rejected"] == [False, False] for r in res.values() if r["family"])
    assert res["HQ.1"]["outcome"].startswith("not computable")
