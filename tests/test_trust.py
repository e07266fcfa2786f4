"""Living trust (issue 16 §1, docs/ODD.md §7.10): two components per dyad, each with its own update rules.

Each rule is tested on its own by running the model with the other rules switched off: accuracy moves only
competence; reciprocity, requests, noticed withholding, leaks and board meetings move only goodwill. The compact
prior is checked against the v1 dense construction, and the stores against their invariants.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from missionfit import engine as E
from missionfit.model import MissionModel
from missionfit.model.replicate import run_replicate
from missionfit.model.trust import trust_of
from missionfit.scenario.loading import load

DAYS = 120
#: Every goodwill rule off (what is left moves competence only).
NO_GOODWILL = {
    "goodwill_gain": 0.0, "goodwill_loss": 0.0, "board_trust_gain": 0.0, "leak_rate": 0.0,
    "withhold_noticed": 0.0, "requests_for_information": 0,
}
#: The competence rule off (what is left moves goodwill only).
NO_COMPETENCE = {"trust_gain": 0.0, "trust_loss": 0.0}


def trust_rows(mechanisms: dict | None = None, scenario: str = "minusma_2015", interventions=(), replicate=0):
    sc = load(scenario, interventions=interventions, mechanisms=mechanisms)
    res = run_replicate(sc, seed=2, replicate=replicate, days=DAYS, trust=True)
    return res.trust, res.metrics, sc


def dense_prior_v1(units, trust) -> np.ndarray:
    """The v1 dense prior (scenario/build.py `_trust_prior`, before issue 16), the reference of `TrustPrior`."""
    n = len(units)
    prior = np.full((n, n), float(trust["default"]))
    groups = trust.get("groups") or {}
    index = {u["id"]: i for i, u in enumerate(units)}
    for i, a in enumerate(units):
        row = groups.get(a["group"], {})
        for j, b in enumerate(units):
            if b["group"] in row:
                prior[i, j] = row[b["group"]]
            elif a["group"] == b["group"]:
                prior[i, j] = trust["same_group"]
            if a["contributor"] == b["contributor"] and b["group"] not in row:
                prior[i, j] = max(prior[i, j], trust["same_contributor"])
    for p in trust.get("pairs") or []:
        prior[index[p["source"]], index[p["target"]]] = p["value"]
    np.fill_diagonal(prior, 1.0)
    return prior


@pytest.mark.parametrize("name", ["minusma_2014", "minusma_2015", "minusma_2018", "hierarchy", "edge"])
def test_the_compact_prior_is_the_v1_dense_prior(name):
    import dataclasses

    from missionfit.scenario import schema
    from missionfit.scenario.loading import read_scenario
    from missionfit.scenario.resolve import _merge

    sc = load(name)
    raw = read_scenario(name)
    trust = _merge(dataclasses.asdict(schema.TrustSpec()), raw.get("trust") or {})
    np.testing.assert_array_equal(sc.trust_prior.dense(), dense_prior_v1(sc.units, trust))


def test_the_cultural_knob_lifts_the_prior_as_v1_did():
    base, fitted = load("minusma_2015"), load("minusma_2015", fit={"cultural": 0.5})
    ideal = base.mechanisms["ideal_trust"]
    dense = base.trust_prior.dense()
    np.testing.assert_allclose(fitted.trust_prior.dense(), dense + 0.5 * (np.maximum(dense, ideal) - dense))


def test_the_engine_computes_the_prior_of_the_compiled_scenario():
    """A dyad is made at `engine.trust.prior`, which must equal the compiled `TrustPrior` for every pair met."""
    table, _, sc = trust_rows()
    index = {u["id"]: i for i, u in enumerate(sc.units)}
    want = sc.trust_prior.of_pairs(table["source"].map(index), table["target"].map(index))
    np.testing.assert_array_equal(table["competence_initial"], want)
    np.testing.assert_array_equal(table["goodwill_initial"], want)


def test_trust_table_has_one_row_per_interacting_pair_within_bounds():
    table, metrics, _ = trust_rows()
    assert len(table) == metrics["trust_pairs"] > 100
    assert not table.duplicated(["source", "target"]).any() and (table["source"] != table["target"]).all()
    for col in ("competence_initial", "competence_final", "goodwill_initial", "goodwill_final"):
        assert table[col].between(0.0, 1.0).all(), col
    assert (table["interactions"] >= 1).all()
    both = 0.5 * (table["competence_final"] + table["goodwill_final"])
    assert metrics["mean_trust"] == pytest.approx(both.mean(), abs=1e-12)
    # trust lives: a large share of the pairs that interact end away from their priors (v1: 86 of 11,881)
    assert metrics["trust_moved_share"] > 0.3


def test_accuracy_moves_only_competence():
    table, _, _ = trust_rows(NO_GOODWILL)
    np.testing.assert_array_equal(table["goodwill_final"], table["goodwill_initial"])
    assert (table["competence_final"] != table["competence_initial"]).sum() > 20


def test_the_other_rules_move_only_goodwill():
    table, _, _ = trust_rows(NO_COMPETENCE)
    np.testing.assert_array_equal(table["competence_final"], table["competence_initial"])
    assert (table["goodwill_final"] != table["goodwill_initial"]).sum() > 20


def test_competence_learns_about_producers_never_relays():
    """With liaison officers (pure relays: no sensors, no analysts, no consumer role) nobody's trust in an LO's
    competence moves: what an LO passes on is its producer's, and competence learns about the producer."""
    table, _, sc = trust_rows(interventions=("liaison_officers",))
    relays = {u["id"] for u in sc.units if u["kind"] == "liaison_officer"}
    assert relays
    about_relays = table[table["target"].isin(relays)]
    assert len(about_relays) > 0  # they do interact (goodwill: they share and are shared with)
    np.testing.assert_array_equal(about_relays["competence_final"], about_relays["competence_initial"])
    assert (about_relays["goodwill_final"] != about_relays["goodwill_initial"]).any()


def test_reciprocity_alone_only_raises_goodwill():
    only = {**NO_GOODWILL, **NO_COMPETENCE, "goodwill_gain": 0.05}
    table, _, _ = trust_rows(only)
    # rotation may reset a pair to its prior, never below it
    assert (table["goodwill_final"] >= table["goodwill_initial"]).all()
    assert (table["goodwill_final"] > table["goodwill_initial"]).sum() > 20


def test_leaks_alone_lower_the_originators_goodwill_toward_less_secure_holders():
    only = {**NO_GOODWILL, **NO_COMPETENCE, "leak_rate": 0.2, "goodwill_loss": 0.08}
    table, metrics, sc = trust_rows(only)
    assert metrics["leaks"] > 0
    security = {u["id"]: u["security_level"] for u in sc.units}
    moved = table[table["goodwill_final"] != table["goodwill_initial"]]
    assert len(moved) > 0 and (moved["goodwill_final"] < moved["goodwill_initial"]).all()
    assert (moved["source"].map(security) > moved["target"].map(security)).all()
    none = trust_rows({**only, "leak_rate": 0.0})[1]
    assert none["leaks"] == 0


def test_noticed_withholding_alone_only_lowers_goodwill():
    only = {**NO_GOODWILL, **NO_COMPETENCE, "withhold_noticed": 0.5, "goodwill_loss": 0.08}
    table, metrics, _ = trust_rows(only)
    moved = table[table["goodwill_final"] != table["goodwill_initial"]]
    assert metrics["reports_withheld"] > 0 and len(moved) > 0
    assert (moved["goodwill_final"] < moved["goodwill_initial"]).all()


def test_requests_for_information_are_asked_and_partly_answered():
    """p. 396: "If we asked for it, we would be helped, but then you would have to know about it"."""
    _, metrics, _ = trust_rows()
    assert 0 < metrics["requests_answered"] <= metrics["requests_sent"]
    _, off, _ = trust_rows({"requests_for_information": 0})
    assert off["requests_sent"] == off["requests_answered"] == 0


def test_requests_alone_move_the_requesters_goodwill_both_ways():
    only = {**NO_GOODWILL, **NO_COMPETENCE, "requests_for_information": 1, "goodwill_gain": 0.05,
            "goodwill_loss": 0.08}
    # reciprocity also raises goodwill; the board ties' directions show requests: a refused request lowers it
    table, metrics, _ = trust_rows(only)
    assert metrics["requests_sent"] > metrics["requests_answered"] > 0
    assert (table["goodwill_final"] < table["goodwill_initial"]).any()


def test_reporting_duty_makes_formal_lines_up_share_more():
    """On an intel or commander-chain edge toward a higher echelon the chance to share is at least the duty."""
    sc = load("minusma_2015")
    duty = sc.arrays["edge_duty"].astype(bool)
    assert duty.sum() > 20 and {sc.edges[k]["type"] for k in np.flatnonzero(duty)} == {"intel", "commander_chain"}

    def withheld_share(value):
        flows = run_replicate(load("minusma_2015", mechanisms={"reporting_duty": value}), seed=2, replicate=0,
                              days=DAYS).flows  # one row per compiled edge, in the edges' order
        return flows.loc[duty, "withheld"].sum() / flows.loc[duty, "hops"].sum()

    assert withheld_share(0.9) < 0.5 * withheld_share(0.0)


def test_conflation_mixes_in_the_partners_tech_level():
    """With full conflation, a consumer's use of a producer depends on the producer's tech level only."""
    sc = load("minusma_2015", mechanisms={"trust_conflation": 1.0})
    model = MissionModel(scenario=sc, seed=0, replicate=0, days=10)
    fl, net = model.engine_state.flow, model.engine_static.net
    model.run()
    n = int(fl.counters[E.C_NDYAD])
    tech = net.uf[E.U_TECH, fl.dy_i[E.DY_TRUSTEE, :n]]
    # the value used (engine.trust.trust_value) for every dyad: tech, whatever the component
    from missionfit.engine.trust import trust_value

    used = np.array([trust_value(net, fl, row, E.DY_COMPETENCE) for row in range(n)])
    np.testing.assert_allclose(used, tech)


def test_trust_of_falls_back_to_the_prior_for_pairs_that_never_met():
    sc = load("minusma_2015")
    model = MissionModel(scenario=sc, seed=0, replicate=0, days=5)
    model.run()
    table = pd.DataFrame({"i": model.engine_state.flow.dy_i[E.DY_TRUSTER, : int(model.engine_state.flow.counters[
        E.C_NDYAD])]})
    met = set(table["i"])
    lonely = next(i for i in range(sc.n_units) if i not in met)
    other = (lonely + 1) % sc.n_units
    assert trust_of(model, lonely, other) == (sc.trust_prior[lonely, other],) * 2
    assert trust_of(model, lonely, lonely) == (1.0, 1.0)
