"""The v2 core end to end (docs/design/v2-core.md): invariants of a real run's events and attribution."""

from __future__ import annotations

import numpy as np
import pytest

import missionfit as mf
from missionfit import contract
from missionfit.scenario import schema


@pytest.fixture(scope="module")
def scenario():
    return mf.build(mf.scenario_spec("minusma_2015"))


@pytest.fixture(scope="module")
def results(scenario):
    return mf.run(scenario, replicates=3, seed=4, days=60)


def test_events_table_has_the_contract_columns(results):
    events = results.events
    assert list(events.columns) == list(contract.EVENTS.names)
    assert sorted(events["replicate"].unique()) == [0, 1, 2]
    assert contract.EVENTS_FILE in results.tables()


def test_false_events_never_realize_and_paths_mark_exactly_the_realized(results):
    e = results.events
    assert not e.loc[e["is_false"], ["mitigated", "prevented"]].any().any()
    realized = (e["mitigated"] | e["prevented"]) & ~e["is_false"]
    assert ((e["path"] != "") == realized).all()
    assert set(e["path"]) - {""} <= set(contract.PATHS)
    assert (e["aware_consumers"] <= e["responsible_consumers"] + 1).all()  # ASIFU is no consumer: FC criterion only
    acted = e["action_unit"] != ""
    assert e.loc[acted, ["completeness", "accuracy"]].apply(lambda c: c.between(0, 1)).all().all()
    assert e.loc[~acted, "action_time"].isna().all()


def test_paths_sum_to_goal_realization_and_match_the_events(results, scenario):
    rep = results.replicates
    paths = [f"goal_realization_by_path.{p}" for p in contract.PATHS]
    np.testing.assert_allclose(rep[paths].sum(axis=1), rep["goal_realization"], atol=1e-12)
    # recompute replicate 0's GR by path from its events, mandate-weighted over lines with events
    e = results.events[(results.events["replicate"] == 0) & ~results.events["is_false"]]
    w = dict(zip(schema.MANDATE_LINES, scenario.mandate_weights, strict=True))
    num = {p: 0.0 for p in contract.PATHS}
    total_w = 0.0
    for line, group in e.groupby("line"):
        if w.get(line, 0) <= 0:
            continue
        total_w += w[line]
        for p in contract.PATHS:
            num[p] += w[line] * group.loc[group["path"] == p, "severity"].sum() / group["severity"].sum()
    for p in contract.PATHS:
        assert rep.loc[0, f"goal_realization_by_path.{p}"] == pytest.approx(num[p] / total_w, abs=1e-9)
