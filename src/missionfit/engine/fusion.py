"""Fusion (docs/ODD.md §7.5): intelligence branches queue what they receive, assess it and disseminate."""

from __future__ import annotations

from missionfit.engine.decision import decide
from missionfit.engine.heap import stable_order
from missionfit.engine.jit import inlined, submodel
from missionfit.engine.knowing import branch_pair, branch_row, consider, merge_evidence, picture, refuse
from missionfit.engine.layout import (
    AL_BRANCH,
    AL_EVENT,
    AL_NEXT,
    ASSESSMENT,
    B_ASSESSED,
    B_DECONFLICTED,
    B_RECEIVED_PEER,
    BL_FIRST,
    BL_LAST,
    C_ASSESS,
    C_ASSESS_LOG,
    C_NQUEUE,
    C_NSF,
    C_OVERFLOW,
    ES_ASIFU_KNOWN,
    ES_INDEPENDENT,
    ES_PEER_ASSESSED,
    EV_DOMAIN,
    EV_HORIZON,
    EV_TIME,
    IMMINENT,
    INFORMAL,
    INTEL,
    LIAISON,
    N_QUEUE_FLOAT_ROWS,
    N_QUEUE_INT_ROWS,
    P_ASSESS_THRESHOLD,
    P_BACKLOG_DAYS,
    P_FUSION,
    P_FUSION_DELAY,
    P_MAX_UPDATES,
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
    U_ANALYSTS,
    U_CONSUMER,
    U_FOCUS_DOM,
    U_FOCUS_H,
    U_FUSION_ROLE,
    U_PEER,
    U_SECURITY,
    U_SFISR,
    U_SLOT,
)
from missionfit.engine.transmission import new_message, payload_of_picture, send, summary_from_picture


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
def disseminate(net, fl, rng, b, event, horizon, quality, born, sfroot, t, row):
    """Send a branch's assessment (its picture `row`) to everyone it reports to: intel, informal, liaison edges."""
    fl.counters[C_ASSESS] += 1
    fl.pic_i[PI_UPDATES, row] += 1
    if sfroot < 0 and net.ui[U_SFISR, b]:
        sfroot = fl.counters[C_NSF]
        fl.counters[C_NSF] += 1
        fl.sf_reached[sfroot] = 0
    pay, paylen = payload_of_picture(fl, row)
    if pay < 0:
        return
    path = role_path(net, b)
    for etype in (INTEL, INFORMAL, LIAISON):
        for edge in range(net.adj_ptr[etype, b], net.adj_ptr[etype, b + 1]):
            k = new_message(
                net, fl, event, b, ASSESSMENT, horizon, quality, net.ui[U_SECURITY, b], born, 0, sfroot, pay, paylen,
                path,
            )
            if k < 0:
                return
            summary_from_picture(fl, k, row)
            send(net, fl, rng, k, edge, t)
    if net.ui[U_CONSUMER, b]:
        decide(net, fl, rng, b, event, horizon, quality, b, ASSESSMENT, t)


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
    analyst-item a day still take an item now and then.
    """
    uf = st.net.uf
    for b in range(uf.shape[1]):
        if uf[U_ANALYSTS, b] > 0:
            s.budget[b] = min(
                s.budget[b] + uf[U_ANALYSTS, b], st.net.params[P_BACKLOG_DAYS] * uf[U_ANALYSTS, b] + 1.0
            )


@submodel
def fuse(st, s, rng, day):
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
        if not assessed and not qi[Q_FROM_PEER, q] and (
            (flags & B_DECONFLICTED) or s.lanes[slot, net.evi[EV_DOMAIN, e]]
        ):
            continue  # a board gave this event, or this domain, to another cell
        if s.budget[b] < 1.0:
            qf[Q_KEY, q] = -1.0
            continue
        row = picture(net, fl, b, e, start)
        if row < 0 or not merge_evidence(fl, row, qi[Q_PAYLOAD, q], qi[Q_PAYLEN, q], qi[Q_MASK, q]):
            continue  # nothing new: the same evidence again (a relay, a copy, an assessment built on it)
        # v2: merging new evidence costs analyst time; the branch disseminates when a facet newly reaches the
        # assessment threshold, at most `max_updates_per_event` times (docs/design/v2-core.md §4.3)
        s.budget[b] -= 1.0
        made += 1
        crossed = refuse(net, fl, b, row, net.params[P_ASSESS_THRESHOLD])
        t_out = start + net.params[P_FUSION_DELAY]
        if ui[U_CONSUMER, b]:
            consider(net, fl, b, e, row, t_out, role_path(net, b))
        elif b == net.roles[R_ASIFU]:
            consider(net, fl, b, e, row, t_out, role_path(net, b))
        if crossed == 0 or fl.pic_i[PI_UPDATES, row] >= net.params[P_MAX_UPDATES]:
            continue
        horizon = net.evi[EV_HORIZON, e]
        quality = qf[Q_QUALITY, q] + (1.0 - qf[Q_QUALITY, q]) * net.params[P_FUSION]
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
            log_assessment(s, b, e)
        disseminate(net, fl, rng, b, e, horizon, quality, qf[Q_BORN, q], qi[Q_SFROOT, q], t_out, row)
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
