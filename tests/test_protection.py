"""Protection dependencies (issue 16 §3; docs/ODD.md §7.15): escorts decided by goodwill, safety incidents.

The SOLTG-ISR company trust pair had no edge to act on, so setting it moved nothing (issue 16 §3). With the
protection dependency it decides how often the ISR company can collect outside the compound.
"""

from __future__ import annotations

import numpy as np
import pytest

from missionfit import engine as E
from missionfit.model import MissionModel
from missionfit.model.replicate import run_replicate
from missionfit.scenario import build_scenario
from missionfit.scenario.errors import ScenarioError
from missionfit.scenario.loading import read_scenario

DAYS = 120


def load(name="minusma_2015", interventions=None, rotation_days=None, **kw):
    """`missionfit.scenario.load` with patches given as data (name -> patch) rather than file names."""
    spec = read_scenario(name)
    if rotation_days is not None:
        spec["rotation_days"] = rotation_days
    return build_scenario(spec, interventions=interventions or {}, **kw)


def _model(scenario="minusma_2015", replicate=0, **kw):
    model = MissionModel(scenario=load(scenario, **kw), seed=6, replicate=replicate, days=DAYS)
    model.run()
    return model


def _observations_of(model, unit_id: str) -> int:
    fl = model.engine_state.flow
    n = int(fl.counters[E.C_NOBS])
    return int((fl.obs_origin[:n] == model.mission.index_of(unit_id)).sum())


def _pair(value: float) -> dict:
    """A patch setting the SOLTG <-> ISR company priors (both ways)."""
    return {
        "set_trust": [
            {"source": "soltg", "target": "isr_company_gao", "value": value},
            {"source": "isr_company_gao", "target": "soltg", "value": value},
        ]
    }


def test_every_protected_unit_is_escorted_or_not_each_day():
    model = _model()
    m = run_replicate(model.mission, seed=6, replicate=0, days=DAYS).metrics
    protected = sum(1 for u in model.mission.units if u["protection"])
    assert protected == 2  # the ISR company (by the SOLTG) and the Estonian team (by the ISR company)
    assert m["escorts"] + m["escorts_refused"] == protected * DAYS
    assert 0 < m["safety_incidents"] <= m["escorts"]


def test_the_soltg_isr_trust_pair_now_decides_the_isr_companys_collection():
    low = [_model(interventions={"low": _pair(0.05)}, replicate=r) for r in range(3)]
    high = [_model(interventions={"high": _pair(0.95)}, replicate=r) for r in range(3)]
    for lo, hi in zip(low, high, strict=True):
        assert lo.engine_state.flow.counters[E.C_ESCORTS] < hi.engine_state.flow.counters[E.C_ESCORTS]
    assert sum(_observations_of(m, "isr_company_gao") for m in low) < sum(
        _observations_of(m, "isr_company_gao") for m in high
    )


def test_without_escorts_the_escorted_sensors_collect_nothing():
    """With the protector's goodwill at 0 and no incidents to move it, escorts all but stop: what the ISR company
    still observes comes from its UAVs, which fly from the compound and need no escort."""
    model = _model(interventions={"never": _pair(0.0)}, mechanisms={"trust_conflation": 0.0})
    c = model.engine_state.flow.counters
    assert c[E.C_ESCORTS_REFUSED] > 0.95 * (c[E.C_ESCORTS] + c[E.C_ESCORTS_REFUSED]) / 2  # the ISR company's days
    sc = model.mission
    isr = sc.index_of("isr_company_gao")
    fl = model.engine_state.flow
    n = int(fl.counters[E.C_NOBS])
    assert (fl.obs_origin[:n] == isr).sum() > 0  # the UAV still sees
    # every escorted entry of the ISR company is unavailable on the last day unless it was escorted then
    entries = model.engine_static.escort_entries[model.engine_static.escort_ptr[isr]:model.engine_static.escort_ptr[
        isr + 1]]
    assert entries.size > 0


def test_safety_incidents_lower_goodwill_both_ways():
    only = {"goodwill_gain": 0.0, "board_trust_gain": 0.0, "leak_rate": 0.0, "withhold_noticed": 0.0,
            "requests_for_information": 0}
    # (no rotation: a rotated unit's dyads would go back to the prior)
    res = run_replicate(load(mechanisms=only, rotation_days=0), seed=6, replicate=0, days=DAYS, trust=True)
    assert res.metrics["safety_incidents"] > 0
    t = res.trust.set_index(["source", "target"])
    for pair in (("soltg", "isr_company_gao"), ("isr_company_gao", "soltg"), ("isr_company_gao", "humint_ee"),
                 ("humint_ee", "isr_company_gao")):
        assert t.loc[pair, "goodwill_final"] < t.loc[pair, "goodwill_initial"], pair


def test_operational_fit_removes_the_incidents():
    sc = load("minusma_2015", fit={"operational": 1.0})
    assert all(u["protection"]["incident_rate"] == 0.0 for u in sc.units if u["protection"])
    assert run_replicate(sc, seed=6, replicate=0, days=DAYS).metrics["safety_incidents"] == 0


@pytest.mark.parametrize(
    "protection,match",
    [
        ({"by": "nobody"}, "protection.by"),
        ({"by": "soltg", "incident_rate": 1.5}, "incident_rate"),
        ({"by": "soltg", "sensors": "patrol"}, "protection.sensors"),
        ({"by": "soltg", "escort": True}, "protection"),
    ],
)
def test_bad_protection_is_one_clear_line(protection, match):
    patch = {"set_units": [{"select": "isr_company_gao", "set": {"protection": protection}}]}
    with pytest.raises(ScenarioError, match=match) as err:
        load("minusma_2015", interventions={"bad": patch})
    assert "\n" not in str(err.value)


def test_removing_the_protector_removes_the_dependency():
    sc = load("minusma_2015", interventions={"no_sf": {"remove_units": ["soltg"]}})
    assert sc.units[sc.index_of("isr_company_gao")]["protection"] is None
    np.testing.assert_array_equal(sc.arrays["protector"][sc.index_of("isr_company_gao")], -1)
