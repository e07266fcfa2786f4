"""Intelligence training vs formats (issue 16 §3; docs/validation.md §6.2; Rietjens & Ruffa 2019, p. 400).

p. 400: ASIFU trained Nigerbat, "Unfortunately, this training did not help either", and the Bangladesh Riverine
Unit, which "do report and asked us for [intelligence] formats ... this improved the quality of the incoming
information". `intelligence_training` acts on report quality and facet accuracy only; `aligned_procedures` gives
formats to units that already report. These are construction-bound checks (validation.md §1): the patches act
this way by design, so a failure is a bug. The held-out tests H6.1-H6.4 are evaluated by
scripts/evaluate_pattern6.py (R_H = 50, seed 1) and reported in validation.md §6.2, never asserted here.
"""

from __future__ import annotations

import numpy as np

from model_runs import compiled, outputs, received_values

R = 30
RIVERINE = "bn_bangladesh_gao"
NIGERBAT = ("bn_niger_ansongo", "bn_niger_menaka")
#: What decides whether and where a unit reports, and whether it is tasked (docs/ODD.md §7.2, §7.7).
PROPENSITIES = ("proactive", "responsive", "bypass", "tasking_rate")


def _unit(sc, uid: str) -> int:
    return next(i for i, u in enumerate(sc.units) if u["id"] == uid)


def test_training_raises_the_trained_units_report_quality_and_facet_accuracy_only():
    base, trained = compiled("minusma_2015"), compiled("minusma_2015", ("intelligence_training",))
    q, q_t = base.arrays["report_quality"], trained.arrays["report_quality"]
    ids = [u["id"] for u in base.units]
    raised = {ids[i] for i in np.flatnonzero(q_t > q)}
    assert raised == {*NIGERBAT, "s2_niger_ansongo", "s2_niger_menaka", RIVERINE}
    assert np.array_equal(q_t[q_t <= q], q[q_t <= q])
    # the trained units' sensors err less (information.error_skill), nobody else's changes
    cover_unit = base.arrays["cover_unit"]
    err, err_t = base.arrays["cover_error"], trained.arrays["cover_error"]
    lower = {ids[u] for u in cover_unit[err_t < err]}
    assert lower == {*NIGERBAT, RIVERINE}
    assert np.array_equal(err_t[err_t >= err], err[err_t >= err])
    # no propensity, tasking rate or edge changes: training does not make an on-request unit report (H6.1)
    for key in PROPENSITIES:
        assert np.array_equal(trained.arrays[key], base.arrays[key]), key
    assert trained.edges == base.edges


def test_training_leaves_tasking_and_nigerbat_reporting_within_the_equivalence_margin():
    """Paired, 30 pairs: tasks issued and Nigerbat's messages move by less than δ_count (validation.md §2).

    Behaviour draws are not yet common across arms (issue 16 §4), so the counts are not identical: the 90 % interval
    of the paired mean (the TOST of validation.md §2) lies inside ± max(2, 20 % of the baseline's mean).
    """
    base = outputs("minusma_2015", replicates=R)
    trained = outputs("minusma_2015", ("intelligence_training",), replicates=R)

    def nigerbat_hops(results) -> np.ndarray:
        return np.array([r.flows.loc[r.flows["source"].isin(NIGERBAT), "hops"].sum() for r in results], float)

    for name, get in (
        ("tasks_issued", lambda rs: np.array([r.metrics["tasks_issued"] for r in rs], float)),
        ("nigerbat_hops", nigerbat_hops),
    ):
        a, b = get(base), get(trained)
        d = b - a
        delta = max(2.0, 0.2 * a.mean())
        half = 1.699 * d.std(ddof=1) / np.sqrt(R)  # t(0.95, 29)
        assert -delta < d.mean() - half and d.mean() + half < delta, (name, d.mean(), half, delta)


def test_formats_reach_units_that_already_report():
    base, formats = compiled("minusma_2015"), compiled("minusma_2015", ("aligned_procedures",))
    q, q_f = base.arrays["report_quality"], formats.arrays["report_quality"]
    riverine = _unit(base, RIVERINE)
    # the riverine unit had procedures (and reported) before: it gains the intelligence formats' step
    assert base.units[riverine]["procedures"] != "none"
    fb = base.mechanisms["format_boost"]
    assert np.isclose(q_f[riverine], q[riverine] + fb * (1 - q[riverine]))
    # as do the units that had none (Nigerbat), twice: procedures' formats and intelligence formats
    niger = _unit(base, NIGERBAT[0])
    assert q_f[niger] > q[niger] + fb * (1 - q[niger])
    # formats go to the contingents (battalions, S2 cells), not to the headquarters and cells above them
    hq = [i for i, u in enumerate(base.units) if u["kind"] in ("force_hq", "sector_hq", "asifu_hq", "jmac")]
    assert np.array_equal(q_f[hq], q[hq])


def test_formats_raise_the_riverine_units_quality_as_received():
    origin = f'"{RIVERINE}"'
    for measure in ("quality_received", "accuracy_observed"):
        d = received_values("minusma_2015", ("aligned_procedures",), origin, measure, R) - received_values(
            "minusma_2015", (), origin, measure, R
        )
        assert d.mean() > 2 * d.std(ddof=1) / np.sqrt(R) and d.mean() > 0, (measure, d.mean())
