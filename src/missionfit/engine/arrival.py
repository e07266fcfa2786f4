"""Arrival: a message in flight reaches its receiver and is delivered, relayed or passed up a chain."""

from __future__ import annotations

import numpy as np

from missionfit.engine.decision import decide
from missionfit.engine.fusion import enqueue
from missionfit.engine.heap import heap_pop
from missionfit.engine.jit import inlined, submodel
from missionfit.engine.keyed import ID_UP, LEAK, ident, key4, link, sub
from missionfit.engine.knowing import absorb_summary, branch_pair, consider, picture, weigh
from missionfit.engine.layout import (
    ASSESSMENT,
    B_DECONFLICTED,
    BOARD,
    C_ASIFU_FC_USED,
    C_DELIVERED,
    C_LEAKS,
    C_NPEND,
    C_S2_G2,
    COMMANDER_CHAIN,
    DELIVER_ONWARD,
    DELIVERED,
    DY_GOODWILL,
    E_DIRECTIVE,
    E_DST,
    E_TYPE,
    ES_ASIFU_KNOWN,
    INTEL,
    M_AUTHORITY,
    M_BORN,
    M_CLASS,
    M_CONF0,
    M_DST,
    M_EDGE,
    M_EVENT,
    M_HORIZON,
    M_IDENT,
    M_KIND,
    M_MASK,
    M_ORIGIN,
    M_PATH,
    M_PAYLEN,
    M_PAYLOAD,
    M_QUALITY,
    M_READY,
    M_SENDER,
    M_SFROOT,
    M_STATUS,
    M_TTL,
    M_VAL0,
    MAX_FACETS,
    MAX_TTL,
    P_GOODWILL_GAIN,
    P_GOODWILL_LOSS,
    P_LEAK,
    PATH_BOARD,
    PATH_COMMANDER_CHAIN,
    PATH_INFORMAL,
    PATH_INTEL_LINE,
    PATH_LIAISON,
    R_ASIFU,
    R_FC,
    R_JMAC,
    R_U2,
    RAW,
    REVERSE,
    SF_REACHED_JMAC,
    SF_REACHED_U2_OR_ASIFU,
    U_ACTION_THRESHOLD,
    U_ANALYSTS,
    U_CONSUMER,
    U_G2OF,
    U_PEER,
    U_S2,
    U_SECURITY,
    U_WEIGHS,
)
from missionfit.engine.transmission import clone_message, new_message, out_degree, send, send_along
from missionfit.engine.trust import (
    assertion_accuracy,
    dyad,
    edge_dyad,
    log_receipt,
    lower_component,
    raise_component,
)

#: The path code of a raw report by the type of the edge it arrived on (docs/design/v2-core.md §6.1), in edge
#: type order: command, intel, commander chain, liaison, informal, board.
EDGE_PATH = (PATH_INTEL_LINE, PATH_INTEL_LINE, PATH_COMMANDER_CHAIN, PATH_LIAISON, PATH_INFORMAL, PATH_BOARD)


@inlined
def path_of(mi, k, etype):
    """What message `k` counts as: an assessment by its producer's role, a raw report by its last hop."""
    if mi[k, M_KIND] == ASSESSMENT and mi[k, M_PATH] >= 0:
        return mi[k, M_PATH]
    return EDGE_PATH[etype]


@inlined
def entering_facets(mi, mf, k, threshold, held):
    """Whether message `k` brings a facet (as received) at or above `threshold` that the picture `held` lacks.

    A facet enters the picture when the message asserts it with more confidence than the picture holds
    (`absorb_summary`'s rule) and that confidence reaches the consumer's action threshold.
    """
    for f in range(MAX_FACETS):
        c = mf[k, M_CONF0 + f]
        if (mi[k, M_MASK] >> f) & 1 and mi[k, M_VAL0 + f] >= 0 and c >= threshold and c > held[f]:
            return True
    return False


@inlined
def leak(net, fl, seed, origin, holder, event, identity):
    """A holder of lower security than the content's originator may expose it; the originator notices (p. 400).

    p. 400: "there was a risk that the information became public due to the low security standards of these
    other units". The chance is `leak_rate` per level of security gap (capped at 1); a noticed leak costs the
    holder the originator's goodwill (issue 16 §1). Sanitization (`transmission.send`) strips the metadata of what
    is shared, not the fact that the originator's content reached a less secure holder. The draw is keyed
    (`keyed.LEAK`) by the event, the holder, the originator and the message's identity.
    """
    gap = net.ui[U_SECURITY, origin] - net.ui[U_SECURITY, holder]
    rate = net.params[P_LEAK]
    if gap <= 0 or rate <= 0.0:
        return
    u = sub(key4(seed, LEAK, event, net.unit_key[holder], net.unit_key[origin], identity), 0)
    if u < min(1.0, rate * gap):
        fl.counters[C_LEAKS] += 1
        lower_component(fl, dyad(net, fl, origin, holder), DY_GOODWILL, net.params[P_GOODWILL_LOSS])


@inlined
def pass_on_to_consumers(net, fl, seed, k, v, t):
    """A cell that defers to a lead cell (a directive board's lane) passes the lead's assessment to its consumers.

    A copy goes out on each of `v`'s intel edges to a consumer, through `v`'s share filter (issue 16 §2: the lead
    delivers to the non-lead cell's consumers, through that cell's lines).
    """
    for edge in range(net.adj_ptr[INTEL, v], net.adj_ptr[INTEL, v + 1]):
        if net.ui[U_CONSUMER, net.ei[E_DST, edge]] == 0:
            continue
        c = clone_message(net, fl, k)
        if c < 0:
            return
        fl.mi[c, M_AUTHORITY] = 0
        fl.mi[c, M_SENDER] = v
        send(net, fl, seed, c, edge, t)


@inlined
def arrive(net, fl, seed, k):
    """Message `k` reaches its receiver: delivered to a branch, a consumer or a dead end, else relayed."""
    mi, mf, ui = fl.mi, fl.mf, net.ui
    v = mi[k, M_DST]
    t = mf[k, M_READY]
    edge = mi[k, M_EDGE]
    etype = net.ei[E_TYPE, edge]
    is_branch = net.uf[U_ANALYSTS, v] > 0
    is_consumer = ui[U_CONSUMER, v] != 0
    # reciprocity (issue 16 §1): the sender shared, so the receiver's trust in its goodwill grows
    raise_component(fl, edge_dyad(net, fl, edge, REVERSE), DY_GOODWILL, net.params[P_GOODWILL_GAIN])
    if not (is_branch or is_consumer) and mi[k, M_TTL] < MAX_TTL:
        # a relay (e.g. a liaison officer) passes the message on along the same kind of edge
        if send_along(net, fl, seed, k, v, etype, t, mi[k, M_SENDER]) > 0:
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
    path = path_of(mi, k, etype)
    if is_branch or is_consumer:
        leak(net, fl, seed, origin, v, e, mi[k, M_IDENT])
        log_receipt(net, fl, v, origin, e, assertion_accuracy(net, mi, k, e))
    if is_consumer:
        which = link(np.uint64(mi[k, M_IDENT]), net.edge_key[edge])
        used = decide(net, fl, seed, v, e, mi[k, M_HORIZON], mf[k, M_QUALITY], origin, mi[k, M_KIND], t, which)
        if used and not is_branch:
            row = picture(net, fl, v, e, t)
            if (
                row >= 0
                and v == net.roles[R_FC]
                and mi[k, M_KIND] == ASSESSMENT
                and origin == net.roles[R_ASIFU]
                and entering_facets(mi, mf, k, net.uf[U_ACTION_THRESHOLD, v], fl.pic_conf[row])
            ):
                # v2 meaning of `asifu_use_rate_fc` (CHANGELOG [2.0], docs/validation.md P2): the assessment entered
                # the FC's picture with at least one facet at or above the FC's action threshold
                fl.counters[C_ASIFU_FC_USED] += 1
            if row >= 0 and ui[U_WEIGHS, v]:
                if weigh(net, fl, v, row, mi[k, M_PAYLOAD], mi[k, M_PAYLEN], mi[k, M_MASK]):
                    consider(net, fl, v, e, row, t, path)
            elif row >= 0 and absorb_summary(
                fl, row, mi[k, M_VAL0 : M_VAL0 + MAX_FACETS], mf[k, M_CONF0 : M_CONF0 + MAX_FACETS], mi[k, M_MASK]
            ):
                consider(net, fl, v, e, row, t, path)
    if is_branch:
        from_peer = mi[k, M_KIND] == ASSESSMENT and ui[U_PEER, origin] != 0 and origin != v
        if etype == BOARD and net.ei[E_DIRECTIVE, edge] and mi[k, M_KIND] == ASSESSMENT:
            # (a deferring cell's hand-over, `fusion.hand_over`, is evidence for the lead, not a product)
            pair = branch_pair(net, fl, v, e)
            if pair >= 0:
                fl.bp_flags[pair] |= B_DECONFLICTED
        enqueue(
            net, fl, v, e, mf[k, M_QUALITY], mf[k, M_BORN], t, mi[k, M_SFROOT], from_peer, mi[k, M_PAYLOAD],
            mi[k, M_PAYLEN], mi[k, M_MASK], path,
        )
        if etype == BOARD and mi[k, M_AUTHORITY] == DELIVER_ONWARD:
            pass_on_to_consumers(net, fl, seed, k, v, t)
    if etype == COMMANDER_CHAIN and is_consumer and out_degree(net, v, COMMANDER_CHAIN) > 0:
        # the commander passes it up his own chain: "if you are unlucky the Sector commander reports it to
        # the Force Commander" (p. 399)
        up = new_message(
            net, fl, e, origin, RAW, mi[k, M_HORIZON], mf[k, M_QUALITY], mi[k, M_CLASS], mf[k, M_BORN], 0,
            mi[k, M_SFROOT], mi[k, M_PAYLOAD], mi[k, M_PAYLEN], PATH_COMMANDER_CHAIN,
            ident(link(link(np.uint64(mi[k, M_IDENT]), ID_UP), net.unit_key[v])),
        )
        if up >= 0:
            mi[up, M_SENDER] = v
            mi[up, M_MASK] = mi[k, M_MASK]
            for f in range(MAX_FACETS):
                mi[up, M_VAL0 + f] = mi[k, M_VAL0 + f]
                mf[up, M_CONF0 + f] = mf[k, M_CONF0 + f]
            if send_along(net, fl, seed, up, v, COMMANDER_CHAIN, t, -1) == 0:
                mi[up, M_STATUS] = DELIVERED
                fl.counters[C_DELIVERED] += 1


@submodel
def process_arrivals(net, fl, seed, day):
    """Deliver or relay every message that arrives before the end of `day`, in arrival order."""
    end = day + 1.0
    while fl.counters[C_NPEND] > 0 and fl.pending_time[0] < end:
        arrive(net, fl, seed, heap_pop(fl))
