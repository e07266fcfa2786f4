"""Arrival: a message in flight reaches its receiver and is delivered, relayed or passed up a chain."""

from __future__ import annotations

from missionfit.engine.decision import decide
from missionfit.engine.fusion import enqueue
from missionfit.engine.heap import heap_pop
from missionfit.engine.jit import inlined, kernel
from missionfit.engine.layout import (
    ASSESSMENT,
    B_DECONFLICTED,
    BOARD,
    C_DELIVERED,
    C_NPEND,
    C_S2_G2,
    COMMANDER_CHAIN,
    DELIVERED,
    E_DIRECTIVE,
    E_TYPE,
    ES_ASIFU_KNOWN,
    M_BORN,
    M_CLASS,
    M_DST,
    M_EDGE,
    M_EVENT,
    M_HORIZON,
    M_KIND,
    M_ORIGIN,
    M_QUALITY,
    M_READY,
    M_SENDER,
    M_SFROOT,
    M_STATUS,
    M_TTL,
    MAX_TTL,
    R_ASIFU,
    R_JMAC,
    R_U2,
    RAW,
    SF_REACHED_JMAC,
    SF_REACHED_U2_OR_ASIFU,
    U_ANALYSTS,
    U_CONSUMER,
    U_G2OF,
    U_PEER,
    U_S2,
    U_SLOT,
)
from missionfit.engine.transmission import new_message, out_degree, send_along


@inlined
def arrive(net, fl, rng, k):
    """Message `k` reaches its receiver: delivered to a branch, a consumer or a dead end, else relayed."""
    mi, mf, ui = fl.mi, fl.mf, net.ui
    v = mi[k, M_DST]
    t = mf[k, M_READY]
    edge = mi[k, M_EDGE]
    etype = net.ei[E_TYPE, edge]
    is_branch = net.uf[U_ANALYSTS, v] > 0
    is_consumer = ui[U_CONSUMER, v] != 0
    if not (is_branch or is_consumer) and mi[k, M_TTL] < MAX_TTL:
        # a relay (e.g. a liaison officer) passes the message on along the same kind of edge
        if send_along(net, fl, rng, k, v, etype, t, mi[k, M_SENDER]) > 0:
            return
    mi[k, M_STATUS] = DELIVERED
    fl.counters[C_DELIVERED] += 1
    e = mi[k, M_EVENT]
    origin = mi[k, M_ORIGIN]
    if ui[U_S2, origin] and v == ui[U_G2OF, origin]:
        fl.counters[C_S2_G2] += 1
    sfroot = mi[k, M_SFROOT]
    if sfroot >= 0:
        if v == net.roles[R_JMAC]:
            fl.sf_reached[sfroot] |= SF_REACHED_JMAC
        if v == net.roles[R_U2] or v == net.roles[R_ASIFU]:
            fl.sf_reached[sfroot] |= SF_REACHED_U2_OR_ASIFU
    if v == net.roles[R_ASIFU] and t < fl.esf[ES_ASIFU_KNOWN, e]:
        fl.esf[ES_ASIFU_KNOWN, e] = t
    if is_consumer:
        decide(net, fl, rng, v, e, mi[k, M_HORIZON], mf[k, M_QUALITY], origin, mi[k, M_KIND], t)
    if is_branch:
        from_peer = mi[k, M_KIND] == ASSESSMENT and ui[U_PEER, origin] != 0 and origin != v
        if etype == BOARD and net.ei[E_DIRECTIVE, edge]:
            fl.bi[ui[U_SLOT, v], e] |= B_DECONFLICTED
        enqueue(net, fl, v, e, mf[k, M_QUALITY], mf[k, M_BORN], t, mi[k, M_SFROOT], from_peer)
    if etype == COMMANDER_CHAIN and is_consumer and out_degree(net, v, COMMANDER_CHAIN) > 0:
        # the commander passes it up his own chain: "if you are unlucky the Sector commander reports it to
        # the Force Commander" (p. 399)
        up = new_message(
            net, fl, e, origin, RAW, mi[k, M_HORIZON], mf[k, M_QUALITY], mi[k, M_CLASS], mf[k, M_BORN], 0,
            mi[k, M_SFROOT],
        )
        if up >= 0:
            mi[up, M_SENDER] = v
            if send_along(net, fl, rng, up, v, COMMANDER_CHAIN, t, -1) == 0:
                mi[up, M_STATUS] = DELIVERED
                fl.counters[C_DELIVERED] += 1


@kernel
def process_arrivals(net, fl, rng, day):
    """Deliver or relay every message that arrives before the end of `day`, in arrival order."""
    end = day + 1.0
    while fl.counters[C_NPEND] > 0 and fl.pending_time[0] < end:
        arrive(net, fl, rng, heap_pop(fl))
