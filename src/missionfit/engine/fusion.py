"""Fusion (docs/ODD.md §7.5): intelligence branches queue what they receive, assess it and disseminate."""

from __future__ import annotations

import numpy as np

from missionfit.engine.decision import decide
from missionfit.engine.facets import facets_at_or_above
from missionfit.engine.heap import stable_order
from missionfit.engine.jit import inlined, submodel
from missionfit.engine.keyed import ID_ANSWER, ID_ASSESSMENT, ID_DELIVERY, ID_HANDOVER, RFI, ident, key3, key4, sub
from missionfit.engine.knowing import branch_pair, branch_row, consider, merge_evidence, picture, refuse
from missionfit.engine.layout import (
    AL_BRANCH,
    AL_EVENT,
    AL_NEXT,
    ASSESSMENT,
    B_ASSESSED,
    B_DECONFLICTED,
    B_HORIZON,
    B_RECEIVED_PEER,
    B_REQUESTED,
    BL_FIRST,
    BL_LAST,
    BOARD,
    C_ASSESS,
    C_ASSESS_LOG,
    C_NQUEUE,
    C_NSF,
    C_OVERFLOW,
    C_RFI_ANSWERED,
    C_RFI_SENT,
    DELIVER_ONWARD,
    DY_GOODWILL,
    E_DIRECTIVE,
    E_DST,
    E_SHARE,
    ES_ASIFU_KNOWN,
    ES_INDEPENDENT,
    ES_PEER_ASSESSED,
    EV_DOMAIN,
    EV_HORIZON,
    EV_KIND,
    EV_TIME,
    FORWARD,
    IMMINENT,
    INFORMAL,
    INTEL,
    LIAISON,
    M_CONF0,
    M_MASK,
    M_VAL0,
    MAX_FACETS,
    N_DOMAINS,
    N_QUEUE_FLOAT_ROWS,
    N_QUEUE_INT_ROWS,
    P_ASSESS_THRESHOLD,
    P_BACKLOG_DAYS,
    P_FUSION_DELAY,
    P_GOODWILL_GAIN,
    P_GOODWILL_LOSS,
    P_RFI,
    P_STEEP,
    PATH_ALL_SOURCE,
    PATH_INTEL_LINE,
    PATH_MISSION_ANALYSIS,
    PATH_OTHER_ANALYSIS,
    PI_UPDATES,
    Q_BORN,
    Q_EVENT,
    Q_FROM_PEER,
    Q_KEY,
    Q_MASK,
    Q_PATH,
    Q_PAYLEN,
    Q_PAYLOAD,
    Q_QUALITY,
    Q_SFROOT,
    Q_TIME,
    Q_UNIT,
    QO_BUFFER,
    QO_ORDER,
    R_ASIFU,
    RAW,
    U_ANALYSTS,
    U_CONSUMER,
    U_FOCUS_DOM,
    U_FOCUS_H,
    U_FUSION_ROLE,
    U_PEER,
    U_SECURITY,
    U_SFISR,
    U_SLOT,
    U_THRESHOLD,
)
from missionfit.engine.pictures import find
from missionfit.engine.transmission import (
    new_message,
    payload_of_picture,
    send,
    summary_from_observation,
    summary_from_picture,
)
from missionfit.engine.trust import edge_dyad, lower_component, raise_component, trust_value


@inlined
def role_path(net, b):
    """The path code of fusion unit `b`'s assessments (docs/design/v2-core.md §6.1)."""
    role = net.ui[U_FUSION_ROLE, b]
    if role == 2:
        return PATH_ALL_SOURCE
    if role == 3:
        return PATH_MISSION_ANALYSIS
    if role == 1:
        return PATH_INTEL_LINE
    return PATH_OTHER_ANALYSIS


@inlined
def enqueue(net, fl, b, event, quality, born, t, sfroot, from_peer, payload, paylen, mask, path):
    """A fusion branch receives something to analyse: the evidence slice (`payload`, `paylen`, `mask`)."""
    q = fl.counters[C_NQUEUE]
    if q >= fl.qi.shape[1]:
        fl.counters[C_OVERFLOW] = 1
        return
    fl.counters[C_NQUEUE] = q + 1
    fl.qi[Q_UNIT, q] = b
    fl.qi[Q_EVENT, q] = event
    fl.qi[Q_SFROOT, q] = sfroot
    fl.qi[Q_FROM_PEER, q] = from_peer
    fl.qi[Q_PAYLOAD, q] = payload
    fl.qi[Q_PAYLEN, q] = paylen
    fl.qi[Q_MASK, q] = mask
    fl.qi[Q_PATH, q] = path
    fl.qf[Q_QUALITY, q] = quality
    fl.qf[Q_BORN, q] = born
    fl.qf[Q_TIME, q] = t
    if from_peer:
        pair = branch_pair(net, fl, b, event)
        if pair >= 0:
            fl.bp_flags[pair] |= B_RECEIVED_PEER
    if b == net.roles[R_ASIFU] and t < fl.esf[ES_ASIFU_KNOWN, event]:
        fl.esf[ES_ASIFU_KNOWN, event] = t


@inlined
def disseminate(net, fl, seed, b, event, horizon, quality, born, sfroot, t, row):
    """Send a branch's assessment (its picture `row`) to everyone it reports to: intel, informal, liaison edges.

    Returns the SOLTG/ISR report root it carries (-1: none; a SOLTG/ISR branch's own assessment opens one).
    """
    fl.counters[C_ASSESS] += 1
    fl.pic_i[PI_UPDATES, row] += 1
    if sfroot < 0 and net.ui[U_SFISR, b]:
        sfroot = fl.counters[C_NSF]
        fl.counters[C_NSF] += 1
        fl.sf_reached[sfroot] = 0
    pay, paylen = payload_of_picture(fl, row)
    if pay < 0:
        return sfroot
    path = role_path(net, b)
    identity = ident(key3(seed, ID_ASSESSMENT, net.unit_key[b], event, fl.pic_i[PI_UPDATES, row]))
    for etype in (INTEL, INFORMAL, LIAISON):
        for edge in range(net.adj_ptr[etype, b], net.adj_ptr[etype, b + 1]):
            k = new_message(
                net, fl, event, b, ASSESSMENT, horizon, quality, net.ui[U_SECURITY, b], born, 0, sfroot, pay, paylen,
                path, identity,
            )
            if k < 0:
                return sfroot
            summary_from_picture(fl, k, row)
            send(net, fl, seed, k, edge, t)
    if net.ui[U_CONSUMER, b]:
        decide(net, fl, seed, b, event, horizon, quality, b, ASSESSMENT, t, np.uint64(0))
    return sfroot


@inlined
def deliver_to_deferring(net, fl, s, seed, b, event, horizon, quality, born, sfroot, t, row):
    """The lead cell of a lane sends its assessment to each board member that defers to it there (issue 16 §2).

    A directive board makes the non-lead cell defer and the lead deliver to the non-lead cell's consumers: the
    assessment goes over the directive board edge, mandated (authority), flagged `DELIVER_ONWARD`, and the
    deferring cell passes it on to its consumers (`arrival.arrive`).
    """
    cell = net.evi[EV_HORIZON, event] * N_DOMAINS + net.evi[EV_DOMAIN, event]
    for edge in range(net.adj_ptr[BOARD, b], net.adj_ptr[BOARD, b + 1]):
        if not net.ei[E_DIRECTIVE, edge]:
            continue
        slot = net.ui[U_SLOT, net.ei[E_DST, edge]]
        if slot < 0 or s.lanes[slot, cell] != b:
            continue
        pay, paylen = payload_of_picture(fl, row)
        if pay < 0:
            return
        k = new_message(
            net, fl, event, b, ASSESSMENT, horizon, quality, net.ui[U_SECURITY, b], born, DELIVER_ONWARD, sfroot, pay,
            paylen, role_path(net, b),
            ident(key3(seed, ID_DELIVERY, net.unit_key[b], event, fl.pic_i[PI_UPDATES, row])),
        )
        if k < 0:
            return
        summary_from_picture(fl, k, row)
        send(net, fl, seed, k, edge, t)


@inlined
def hand_over(net, fl, seed, b, lead, q):
    """A cell that defers to a lead in a lane hands the lead what it received there (issue 16 §2).

    Deferring is role clarity, not silence (p. 403: "increase role clarity between ASIFU and JMAC"): the
    non-lead cell does not analyse the item itself, it passes its evidence over the directive board edge,
    mandated, so that the lead fuses it and delivers the product to the deferring cell's consumers
    (`deliver_to_deferring`). Without it the deferring cell's own sources would be lost to the mission.
    """
    e = fl.qi[Q_EVENT, q]
    for edge in range(net.adj_ptr[BOARD, b], net.adj_ptr[BOARD, b + 1]):
        if net.ei[E_DST, edge] != lead or not net.ei[E_DIRECTIVE, edge]:
            continue
        pay, paylen = fl.qi[Q_PAYLOAD, q], fl.qi[Q_PAYLEN, q]
        first = fl.obs_origin[fl.pay_obs[pay]] if paylen > 0 else b
        k = new_message(
            net, fl, e, b, RAW, net.evi[EV_HORIZON, e], fl.qf[Q_QUALITY, q], net.ui[U_SECURITY, b], fl.qf[Q_BORN, q],
            1, fl.qi[Q_SFROOT, q], pay, paylen, fl.qi[Q_PATH, q],
            ident(key4(seed, ID_HANDOVER, net.unit_key[b], e, net.unit_key[first], paylen)),
        )  # (authority 1: the board mandates it)
        if k < 0:
            return
        fl.mi[k, M_MASK] = fl.qi[Q_MASK, q]
        if paylen == 1:
            summary_from_observation(fl, k, fl.pay_obs[pay])
        else:
            for f in range(MAX_FACETS):  # evidence only: what it asserts is for the lead to fuse
                fl.mi[k, M_VAL0 + f] = -1
                fl.mf[k, M_CONF0 + f] = 0.0
        send(net, fl, seed, k, edge, max(fl.qf[Q_TIME, q], 0.0))
        return


@inlined
def edge_between(net, a, b, etype):
    """The first edge of type `etype` from `a` to `b`, or -1."""
    for edge in range(net.adj_ptr[etype, a], net.adj_ptr[etype, a + 1]):
        if net.ei[E_DST, edge] == b:
            return edge
    return -1


@inlined
def type_facets(net, event):
    """How many facets the event's type has."""
    mask = net.type_mask[net.evi[EV_KIND, event]]
    n = 0
    for f in range(MAX_FACETS):
        n += (mask >> f) & 1
    return n


@inlined
def request_information(net, fl, seed, b, event, t):
    """Branch `b`'s picture of `event` is partial: it asks its board, informal and liaison partners (p. 396).

    p. 396 (a JMAC officer on the Special Forces' and the ISR company's reports): "If we asked for it, we would be
    helped, but then you would have to know about it." A branch asks once per event, at its first partial picture,
    each partner cell that has assessed the event (what it can know about: the partner's products) and can answer
    over a tie of the same kind. The partner answers as it would share (its trust in the requester's goodwill,
    rivalry; no reporting duty on these voluntary ties) with its picture as an assessment; an answered request
    raises the requester's trust in the partner's goodwill, a refused one lowers it (issue 16 §1).
    """
    pair = branch_pair(net, fl, b, event)
    if pair < 0 or fl.bp_flags[pair] & B_REQUESTED:
        return
    fl.bp_flags[pair] |= B_REQUESTED
    m = net.evf.shape[1]
    for etype in (BOARD, INFORMAL, LIAISON):
        for edge in range(net.adj_ptr[etype, b], net.adj_ptr[etype, b + 1]):
            p = net.ei[E_DST, edge]
            if net.uf[U_ANALYSTS, p] <= 0:
                continue
            p_pair = find(fl.bp_keys, fl.bp_slots, p * m + event)
            if p_pair < 0 or not (fl.bp_flags[p_pair] & B_ASSESSED):
                continue  # "you would have to know about it"
            back = edge_between(net, p, b, etype)
            row = find(fl.pic_keys, fl.pic_slots, p * m + event)
            if back < 0 or row < 0:
                continue
            fl.counters[C_RFI_SENT] += 1
            asked = edge_dyad(net, fl, edge, FORWARD)
            willing = trust_value(net, fl, edge_dyad(net, fl, back, FORWARD), DY_GOODWILL) - net.uf[U_THRESHOLD, p]
            u = sub(key3(seed, RFI, event, net.unit_key[b], net.unit_key[p]), 0)
            if u >= net.ef[E_SHARE, back] / (1.0 + np.exp(-net.params[P_STEEP] * willing)):
                lower_component(fl, asked, DY_GOODWILL, net.params[P_GOODWILL_LOSS])
                continue
            fl.counters[C_RFI_ANSWERED] += 1
            raise_component(fl, asked, DY_GOODWILL, net.params[P_GOODWILL_GAIN])
            pay, paylen = payload_of_picture(fl, row)
            if pay < 0:
                return
            k = new_message(
                net, fl, event, p, ASSESSMENT, fl.bp_flags[p_pair] & B_HORIZON, fl.bp_quality[p_pair],
                net.ui[U_SECURITY, p], t, 1, fl.bp_sfroot[p_pair], pay, paylen, role_path(net, p),
                ident(key3(seed, ID_ANSWER, net.unit_key[p], event, net.unit_key[b])),
            )  # (authority 1: the partner has decided; `send` skips its own share filter)
            if k < 0:
                return
            summary_from_picture(fl, k, row)
            send(net, fl, seed, k, back, t)


@inlined
def log_assessment(s, b, e):
    """Append branch `b`'s assessment of event `e` to the log boards read, linked to its previous entry."""
    n = s.flow.counters[C_ASSESS_LOG]
    if n >= s.assessment_log.shape[1]:
        s.flow.counters[C_OVERFLOW] = 1
        return
    s.assessment_log[AL_BRANCH, n] = b
    s.assessment_log[AL_EVENT, n] = e
    s.assessment_log[AL_NEXT, n] = -1
    last = s.branch_log[BL_LAST, b]
    if last < 0:
        s.branch_log[BL_FIRST, b] = n
    else:
        s.assessment_log[AL_NEXT, last] = n
    s.branch_log[BL_LAST, b] = n
    s.flow.counters[C_ASSESS_LOG] = n + 1


@submodel
def refill_budgets(st, s):
    """Each day a branch can analyse `analysts` items; unused capacity carries over (`analyst_backlog_days`).

    The budget is capped at `analyst_backlog_days * analysts + 1`: the one extra item lets a branch with under one
    analyst-item a day still take an item now and then. The count of items analysed today starts again at 0.
    """
    uf = st.net.uf
    for b in range(uf.shape[1]):
        if uf[U_ANALYSTS, b] > 0:
            s.budget[0, b] = min(
                s.budget[0, b] + uf[U_ANALYSTS, b], st.net.params[P_BACKLOG_DAYS] * uf[U_ANALYSTS, b] + 1.0
            )
            s.budget[1, b] = 0.0


@submodel
def fuse(st, s, seed, day):
    """Intelligence branches turn what they received into assessments, capacity-limited (docs/ODD.md §7.5).

    p. 394: S2, G2 and U2 were "understaffed"; ASIFU "largely maintained its original focus on
    comprehensive intelligence on the mid- and long-term", so a current threat it assesses is, with
    probability equal to its long-term focus, folded into a periodic long-term product instead of a current
    warning. Items are taken by priority (the branch's horizon and domain focus), an assessment leaves
    `fusion_delay_days` after its input arrived (or after the day began, for a backlog), items about events
    that already happened are dropped (overtaken by events), and what exceeds the day's capacity waits.
    A mission-level cell skips items of a domain a board gave to another cell (its "lane"), unless the item is
    that cell's assessment. Two mission-level cells assessing the same event without having received the
    other's assessment is duplication (p. 396). Returns the number of assessments made.
    """
    net, fl = st.net, s.flow
    ui, uf, qi, qf = net.ui, net.uf, fl.qi, fl.qf
    nq = fl.counters[C_NQUEUE]
    if nq == 0:
        return 0
    for q in range(nq):
        b = qi[Q_UNIT, q]
        e = qi[Q_EVENT, q]
        fh = uf[U_FOCUS_H, b]
        priority = (1.0 - fh) if net.evi[EV_HORIZON, e] == IMMINENT else fh
        if (ui[U_FOCUS_DOM, b] >> net.evi[EV_DOMAIN, e]) & 1:
            priority += 1.0
        # branch first, then descending priority, then arrival time
        qf[Q_KEY, q] = b * 16.0 + (3.0 - priority) * 4.0 + min(max(qf[Q_TIME, q] - day, 0.0), 3.99) * 0.25
    order = s.queue_order[QO_ORDER]
    stable_order(qf[Q_KEY], nq, order, s.queue_order[QO_BUFFER])
    # what waits for capacity is marked by a negative key (keys are >= 0)
    made = 0
    for idx in range(nq):
        q = order[idx]
        b = qi[Q_UNIT, q]
        e = qi[Q_EVENT, q]
        slot = ui[U_SLOT, b]
        start = max(qf[Q_TIME, q], float(day))
        if net.evf[EV_TIME, e] <= start:
            continue  # overtaken by events
        pair = branch_row(net, fl, b, e)
        flags = fl.bp_flags[pair] if pair >= 0 else 0
        assessed = flags & B_ASSESSED
        if assessed and qf[Q_QUALITY, q] > fl.bp_quality[pair]:
            fl.bp_quality[pair] = qf[Q_QUALITY, q]
        lead = s.lanes[slot, net.evi[EV_HORIZON, e] * N_DOMAINS + net.evi[EV_DOMAIN, e]] if slot >= 0 else -1
        if not assessed and not qi[Q_FROM_PEER, q] and ((flags & B_DECONFLICTED) or lead >= 0):
            # a directive board gave this event, or its (horizon, domain), to another cell: in a lane, the lead
            # gets what this cell received there
            if lead >= 0:
                hand_over(net, fl, seed, b, lead, q)
            continue
        if s.budget[0, b] < 1.0:
            qf[Q_KEY, q] = -1.0
            continue
        row = picture(net, fl, b, e, start)
        if row < 0 or not merge_evidence(fl, row, qi[Q_PAYLOAD, q], qi[Q_PAYLEN, q], qi[Q_MASK, q]):
            continue  # nothing new: the same evidence again (a relay, a copy, an assessment built on it)
        # v2: merging new evidence costs analyst time; the branch disseminates when a facet newly reaches the
        # assessment threshold (docs/design/v2-core.md §4.3; issue 16 §5 removed the cap on updates: it never bound)
        # analysts work through the day's items in priority order, `analysts` a day (p. 394: "understaffed"): the
        # k-th item of the day is taken up no earlier than (k - 1) / analysts into the day, then takes the delay
        start = max(start, day + s.budget[1, b] / uf[U_ANALYSTS, b])
        s.budget[0, b] -= 1.0
        s.budget[1, b] += 1.0
        made += 1
        crossed = refuse(net, fl, b, row, net.params[P_ASSESS_THRESHOLD])
        t_out = start + net.params[P_FUSION_DELAY]
        if net.params[P_RFI] != 0.0 and (
            facets_at_or_above(fl.pic_conf[row], net.params[P_ASSESS_THRESHOLD]) < type_facets(net, e)
        ):
            request_information(net, fl, seed, b, e, t_out)
        if ui[U_CONSUMER, b]:
            consider(net, fl, b, e, row, t_out, role_path(net, b))
        elif b == net.roles[R_ASIFU]:
            consider(net, fl, b, e, row, t_out, role_path(net, b))
        if crossed == 0:
            continue
        horizon = net.evi[EV_HORIZON, e]
        quality = qf[Q_QUALITY, q]
        if not assessed:
            pair = branch_pair(net, fl, b, e)
            if pair < 0:
                continue
            if ui[U_PEER, b]:
                fl.esi[ES_PEER_ASSESSED, e] = 1
                if not (fl.bp_flags[pair] & B_RECEIVED_PEER):
                    fl.esi[ES_INDEPENDENT, e] += 1
            # (the horizon bits are still zero: set once, at the first assessment)
            fl.bp_flags[pair] |= B_ASSESSED | horizon
            fl.bp_quality[pair] = quality
            fl.bp_sfroot[pair] = -1
            log_assessment(s, b, e)
        root = disseminate(net, fl, seed, b, e, horizon, quality, qf[Q_BORN, q], qi[Q_SFROOT, q], t_out, row)
        if root >= 0:
            fl.bp_sfroot[pair] = root  # board offers and answers to requests carry it (issue 16 §2: provenance)
        deliver_to_deferring(net, fl, s, seed, b, e, horizon, quality, qf[Q_BORN, q], root, t_out, row)
    # keep only what waits for capacity
    w = 0
    for q in range(nq):
        if qf[Q_KEY, q] < 0.0:
            for r in range(N_QUEUE_INT_ROWS):
                qi[r, w] = qi[r, q]
            for r in range(N_QUEUE_FLOAT_ROWS):
                qf[r, w] = qf[r, q]
            w += 1
    fl.counters[C_NQUEUE] = w
    return made
