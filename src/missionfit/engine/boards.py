"""Boards (docs/ODD.md §7.6): coordination bodies meet, offer assessments and agree on lanes."""

from __future__ import annotations

from missionfit.engine.fusion import role_path
from missionfit.engine.jit import submodel
from missionfit.engine.keyed import ID_OFFER, ident, key3
from missionfit.engine.layout import (
    AL_EVENT,
    AL_NEXT,
    ASSESSMENT,
    B_ASSESSED,
    B_HORIZON,
    BL_FIRST,
    BOARD,
    DY_GOODWILL,
    E_DIRECTIVE,
    E_DST,
    E_PERIOD,
    E_SRC,
    EV_TIME,
    FORWARD,
    N_DOMAINS,
    P_BOARD_GAIN,
    U_LANE,
    U_PEER,
    U_SECURITY,
    U_SLOT,
)
from missionfit.engine.pictures import find
from missionfit.engine.transmission import new_message, payload_of_picture, send, summary_from_picture
from missionfit.engine.trust import edge_dyad, raise_component


@submodel
def meet_boards(st, s, seed, day):
    """Coordination bodies meet (docs/ODD.md §7.6; p. 396, the weekly JCB).

    At a meeting each member offers the others the assessments it made since the last meeting (trust and rivalry
    filter them on a coordinating board; p. 396: "no directive powers, which clearly limited its effectiveness";
    a directive board mandates them), and a directive board assigns the mission-level cells lanes by their roles
    (role clarity, p. 403). Meetings also build goodwill between members (p. 396: the JCB "facilitated
    communication"; `board_trust_gain`). The offers take the sharing probability of `transmission.send` (the whole
    path of rivalry: `missionfit.scenario.rivalry`).
    """
    if day == 0:
        return
    net, fl = st.net, s.flow
    n = net.uf.shape[1]
    for edge in range(net.adj_ptr[BOARD, 0], net.adj_ptr[BOARD, n]):
        period = net.ei[E_PERIOD, edge]
        if period <= 0 or day % period != 0:
            continue
        a = net.ei[E_SRC, edge]
        b = net.ei[E_DST, edge]
        raise_component(fl, edge_dyad(net, fl, edge, FORWARD), DY_GOODWILL, net.params[P_BOARD_GAIN])
        slot_a = net.ui[U_SLOT, a]
        if slot_a < 0:
            continue
        slot_b = net.ui[U_SLOT, b]
        # a's assessments since the edge's last meeting, in the order made
        last = s.board_cursor[edge]
        j = s.branch_log[BL_FIRST, a] if last < 0 else s.assessment_log[AL_NEXT, last]
        while j >= 0:
            last = j
            e = s.assessment_log[AL_EVENT, j]
            j = s.assessment_log[AL_NEXT, j]
            if net.evf[EV_TIME, e] <= day:
                continue
            if slot_b >= 0:
                b_pair = find(fl.bp_keys, fl.bp_slots, b * net.evf.shape[1] + e)
                if b_pair >= 0 and fl.bp_flags[b_pair] & B_ASSESSED:
                    continue
            row = find(fl.pic_keys, fl.pic_slots, a * net.evf.shape[1] + e)
            if row < 0:
                continue
            a_pair = find(fl.bp_keys, fl.bp_slots, a * net.evf.shape[1] + e)  # a logged it: a assessed it
            pay, paylen = payload_of_picture(fl, row)  # board messages keep their provenance (issue 16 §2)
            if pay < 0:
                return
            k = new_message(
                net, fl, e, a, ASSESSMENT, fl.bp_flags[a_pair] & B_HORIZON, fl.bp_quality[a_pair],
                net.ui[U_SECURITY, a], float(day), 0, fl.bp_sfroot[a_pair], pay, paylen, role_path(net, a),
                ident(key3(seed, ID_OFFER, net.unit_key[a], e, day)),
            )
            if k < 0:
                return
            summary_from_picture(fl, k, row)
            send(net, fl, seed, k, edge, float(day))
        s.board_cursor[edge] = last
        if slot_b >= 0 and net.ei[E_DIRECTIVE, edge] != 0 and net.ui[U_PEER, a] and net.ui[U_PEER, b]:
            # role clarity by role, not size (issue 16 §2; p. 403: "increase role clarity between ASIFU and JMAC"):
            # under a directive board, where a's lane (its role: scenario data) covers a (horizon, domain) that
            # b's does not, b defers to a there, and a delivers its products to b's consumers
            # (`fusion.deliver_to_deferring`); a coordinating board exchanges products and assigns nothing
            lead_only = net.ui[U_LANE, a] & ~net.ui[U_LANE, b]
            for cell in range(3 * N_DOMAINS):
                if (lead_only >> cell) & 1 and s.lanes[slot_b, cell] < 0:
                    s.lanes[slot_b, cell] = a
