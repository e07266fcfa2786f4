"""Deconfliction by role, not by size (issue 16 §2; docs/ODD.md §7.6).

A directive board gives each mission-level cell the lane of its role (scenario data, `lane:`): U2 the FC's
current needs, ASIFU the mid- and long-term military analysis, JMAC the mission-wide analysis for the SRSG. Where
one member's lane covers an event's (horizon, domain) and another's does not, the other defers and the lead
delivers to its consumers. A coordinating board exchanges products and assigns nothing.
"""

from __future__ import annotations

import numpy as np

from missionfit import engine as E
from missionfit.model import MissionModel
from missionfit.scenario import schema
from missionfit.scenario.codes import DOMAIN_CODE, HORIZON_CODE
from missionfit.scenario.loading import load

DAYS = 120
N_D = len(schema.DOMAINS)


def _run(interventions=(), replicate=0, mechanisms=None):
    sc = load("minusma_2015", interventions=interventions, mechanisms=mechanisms)
    model = MissionModel(scenario=sc, seed=4, replicate=replicate, days=DAYS)
    model.run()
    return sc, model


def _cell(horizon: str, domain: str) -> int:
    return HORIZON_CODE[horizon] * N_D + DOMAIN_CODE[domain]


def test_a_coordinating_board_assigns_no_lane():
    _, model = _run()
    assert (model.engine_state.lanes < 0).all()


def test_a_directive_board_gives_lanes_by_role():
    sc, model = _run(("jcb_directive",))
    lanes = model.engine_state.lanes
    u2, asifu, jmac = (sc.arrays[r] for r in ("u2", "asifu", "jmac"))
    slot = {name: int(sc.arrays["branch_slot"][i]) for name, i in (("u2", u2), ("asifu", asifu), ("jmac", jmac))}
    # ASIFU leads the military mid and long term: U2 and JMAC defer to it there
    for h in ("mid", "long"):
        assert lanes[slot["u2"], _cell(h, "military")] == asifu
        assert lanes[slot["jmac"], _cell(h, "military")] == asifu
        # JMAC leads the other domains' mid and long term
        assert lanes[slot["asifu"], _cell(h, "political")] == jmac
        assert lanes[slot["u2"], _cell(h, "economic")] == jmac
    # U2 leads current intelligence in its domains; nobody leads where no lane covers (imminent economic)
    assert lanes[slot["asifu"], _cell("imminent", "military")] == u2
    assert lanes[slot["jmac"], _cell("imminent", "political")] == u2
    assert (lanes[:, _cell("imminent", "economic")] < 0).all()
    # and the lead never defers to anyone in its own lane (size does not decide)
    assert lanes[slot["asifu"], _cell("mid", "military")] < 0 and lanes[slot["u2"], _cell("imminent", "military")] < 0


def _informed_pairs(sc, model, consumers, cells) -> int:
    """(true event, consumer) pictures, over the given consumers and events of the given (horizon, domain) cells,
    holding at least one facet at the consumer's action threshold: awareness in part (full awareness, enough
    facets by the deadline, is rare at the uncalibrated defaults)."""
    fl, net = model.engine_state.flow, model.engine_static.net
    n = int(fl.counters[E.C_NPIC])
    holder, event = fl.pic_i[E.PI_HOLDER, :n], fl.pic_i[E.PI_EVENT, :n]
    cell = net.evi[E.EV_HORIZON, event] * N_D + net.evi[E.EV_DOMAIN, event]
    at_threshold = (fl.pic_conf[:n] >= net.uf[E.U_ACTION_THRESHOLD, holder][:, None]).any(axis=1)
    keep = np.isin(holder, consumers) & np.isin(cell, cells) & at_threshold & (net.evi[E.EV_FALSE, event] == 0)
    return int(keep.sum())


def _deferring(sc, model):
    """Per peer cell that defers somewhere under the directive board: its consumers and the cells it defers in."""
    lanes = model.engine_state.lanes
    out = []
    for i in (sc.arrays[r] for r in ("u2", "asifu", "jmac")):
        cells = np.flatnonzero(lanes[sc.arrays["branch_slot"][i]] >= 0)
        consumers = sorted({sc.index_of(e["target"]) for e in sc.edges if e["type"] == "intel"
                            and sc.index_of(e["source"]) == i and sc.units[sc.index_of(e["target"])]["consumer"]})
        if len(cells) and consumers:
            out.append((consumers, cells))
    return out


def _awareness_change(mechanisms, replicates=12):
    """Per replicate, informed pairs of the deferring cells' consumers in the cells they defer in: directive
    board minus coordinating board (paired), and the coordinating board's total."""
    diffs, base_total = [], 0
    for r in range(replicates):
        sc, base = _run(replicate=r, mechanisms=mechanisms)
        _, directive = _run(("jcb_directive",), replicate=r, mechanisms=mechanisms)
        groups = _deferring(sc, directive)
        assert len(groups) >= 2  # U2, ASIFU and JMAC each defer somewhere
        b = sum(_informed_pairs(sc, base, c, cells) for c, cells in groups)
        d = sum(_informed_pairs(sc, directive, c, cells) for c, cells in groups)
        base_total += b
        diffs.append(d - b)
    return np.array(diffs, dtype=float), base_total


def test_the_non_lead_cells_consumers_are_not_less_aware_under_a_directive_board():
    """Where a cell defers to a lead, it hands the lead what it received there and the lead delivers to the
    deferring cell's consumers, so they are not less aware of those events than with the coordinating board
    (paired replicates, a one-sided 2-SE bound), at the defaults and with corroboration off (each facet's best
    report, so that the lead's fusion cannot discount the extra evidence)."""
    for mechanisms in (None, {"fusion_corroboration": 0}):
        diffs, base_total = _awareness_change(mechanisms)
        assert base_total > 50  # the comparison has events to compare on
        assert diffs.mean() + 2 * diffs.std(ddof=1) / np.sqrt(len(diffs)) >= 0, (mechanisms, diffs)


def test_the_lead_delivers_to_the_deferring_cells_consumers():
    """Under the directive board a lead's assessments reach a deferring cell's consumers through that cell
    (`DELIVER_ONWARD`): in minusma_2015, U2's current intelligence through ASIFU and JMAC."""
    sc, model = _run(("jcb_directive",))
    fl = model.engine_state.flow
    n = int(fl.counters[E.C_NMSG])
    mi = fl.mi[:n]
    u2 = sc.arrays["u2"]
    consumers = [i for i, u in enumerate(sc.units) if u["consumer"]]
    for cell in (sc.arrays["asifu"], sc.arrays["jmac"]):
        onward = (mi[:, E.M_ORIGIN] == u2) & (mi[:, E.M_SENDER] == cell) & np.isin(mi[:, E.M_DST], consumers)
        assert onward.sum() > 0, cell


def test_board_messages_keep_their_provenance():
    """Issue 16 §2: an assessment offered at the JCB carries its SOLTG/ISR report root (it used to carry none), so
    a report that reaches JMAC through the board counts for `jmac_receipt_from_sf_isr`."""
    sc, model = _run()
    fl = model.engine_state.flow
    n = int(fl.counters[E.C_NMSG])
    mi = fl.mi[:n]
    board = np.flatnonzero(np.asarray([e["type"] == "board" for e in sc.edges]))
    to_jmac = (
        np.isin(mi[:, E.M_EDGE], board) & (mi[:, E.M_DST] == sc.arrays["jmac"]) & (mi[:, E.M_STATUS] == E.DELIVERED)
    )
    roots = mi[to_jmac, E.M_SFROOT]
    assert (roots >= 0).sum() > 0
    assert (fl.sf_reached[roots[roots >= 0]] & E.SF_REACHED_JMAC).all()
