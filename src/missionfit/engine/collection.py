"""Collection and reporting (docs/ODD.md §7.1-7.2): units detect indicators and report them."""

from __future__ import annotations

import numpy as np

from missionfit.engine.decision import decide
from missionfit.engine.facets import draw_observation
from missionfit.engine.fusion import enqueue
from missionfit.engine.jit import inlined, kernel, submodel
from missionfit.engine.keyed import BYPASS, DETECT, ESCALATE, ID_RAW, OBSERVE, REPORT, ident, key2, link, sub
from missionfit.engine.knowing import absorb_summary, consider, picture, weigh
from missionfit.engine.layout import (
    C_DELIVERED,
    C_IND_CUR,
    C_NOBS,
    C_NSF,
    C_OBS,
    C_OBS_REPORTED,
    C_OVERFLOW,
    COMMANDER_CHAIN,
    DELIVERED,
    EV_DOMAIN,
    EV_FALSE,
    EV_HORIZON,
    EV_KIND,
    EV_SECTOR,
    IN_VALUES,
    INFORMAL,
    INTEL,
    LIAISON,
    M_MASK,
    M_STATUS,
    MAX_FACETS,
    N_DOMAINS,
    P_ESCALATION_FACETS,
    PATH_COMMANDER_CHAIN,
    PATH_OWN,
    RAW,
    U_ANALYSTS,
    U_BYPASS,
    U_CONSUMER,
    U_PROACTIVE,
    U_QUALITY,
    U_RESPONSIVE,
    U_SECURITY,
    U_SFISR,
    U_WEIGHS,
)
from missionfit.engine.transmission import (
    ALL_FACETS,
    clone_message,
    new_message,
    out_degree,
    payload_of_observation,
    send_along,
    summary_from_observation,
)


@inlined
def observe(net, fl, base, u, e, t, yield_mask, yield_prob, error):
    """Unit `u`'s detection of event `e` at `t` as an observation (docs/design/v2-core.md §4.1).

    `base` keys the detection's draws (`keyed.OBSERVE`: the indicator and the observer). Returns the
    observation's id, or -1 if it yields no facet (nothing to say) or the pool is full.
    """
    k = fl.counters[C_NOBS]
    if k >= fl.obs_origin.size:
        fl.counters[C_OVERFLOW] = 1
        return -1
    values = fl.obs_value[k]
    n = draw_observation(
        base, net.truth[e], net.type_mask[net.evi[EV_KIND, e]], yield_mask, yield_prob, error, net.info[IN_VALUES],
        net.evi[EV_FALSE, e] != 0, values,
    )
    if n == 0:
        return -1
    fl.counters[C_NOBS] = k + 1
    fl.obs_origin[k] = u
    for f in range(MAX_FACETS):
        fl.obs_conf[k, f] = 1.0 - error if values[f] >= 0 else 0.0
    return k


@inlined
def report(net, fl, seed, u, e, i, t, tasked, yield_mask, yield_prob, error):
    """The reporting decision of docs/ODD.md §7.2.

    A proactive unit reports; an on-request unit reports only when tasked (p. 398: "they really have to be
    tasked"; p. 397: in West-African command culture intelligence is "to find out little things for the
    commander when asked"). Quality is report-writing skill, raised by formats (p. 400). A unit with a low
    intelligence culture sends the report up the commander chain instead of to its S2 (p. 399), where it
    stays unfused and the intelligence branch never learns of it.

    Its draws are keyed by indicator `i` and the observer (`keyed.OBSERVE`), and so is the report's identity.
    """
    ui, uf = net.ui, net.uf
    fl.counters[C_OBS] += 1
    base = key2(seed, OBSERVE, i, net.unit_key[u])
    obs = observe(net, fl, base, u, e, t, yield_mask, yield_prob, error)
    if obs < 0:
        return  # a detection that yields no facet says nothing
    quality = uf[U_QUALITY, u]
    sfroot = -1
    if ui[U_SFISR, u]:
        sfroot = fl.counters[C_NSF]
        fl.counters[C_NSF] += 1
        fl.sf_reached[sfroot] = 0
    pay = payload_of_observation(fl, obs)
    if pay < 0:
        return
    if uf[U_ANALYSTS, u] > 0:
        # a unit with its own analysis cell (e.g. the ISR company's all-source cell) fuses what it sees
        fl.counters[C_OBS_REPORTED] += 1
        enqueue(net, fl, u, e, quality, t, t, sfroot, False, pay, 1, ALL_FACETS, PATH_OWN)
        return
    if ui[U_CONSUMER, u]:
        decide(net, fl, seed, u, e, net.evi[EV_HORIZON, e], quality, u, RAW, t, np.uint64(0))
        row = picture(net, fl, u, e, t)
        if row >= 0 and ui[U_WEIGHS, u]:
            if weigh(net, fl, u, row, pay, 1, ALL_FACETS):
                consider(net, fl, u, e, row, t, PATH_OWN)
        elif row >= 0 and absorb_summary(fl, row, fl.obs_value[obs], fl.obs_conf[obs], ALL_FACETS):
            consider(net, fl, u, e, row, t, PATH_OWN)
    p_report = uf[U_RESPONSIVE, u] if tasked else uf[U_PROACTIVE, u]
    if sub(base, REPORT) >= p_report:
        return
    channel = INTEL
    if out_degree(net, u, COMMANDER_CHAIN) > 0 and (
        out_degree(net, u, INTEL) == 0 or sub(base, BYPASS) < uf[U_BYPASS, u]
    ):
        channel = COMMANDER_CHAIN
    k = new_message(
        net, fl, e, u, RAW, net.evi[EV_HORIZON, e], quality, ui[U_SECURITY, u], t, tasked, sfroot, pay, 1,
        PATH_COMMANDER_CHAIN if channel == COMMANDER_CHAIN else -1, ident(link(base, ID_RAW)),
    )
    if k < 0:
        return
    summary_from_observation(fl, k, obs)
    if channel == COMMANDER_CHAIN:
        # facets lost along the phone chain (p. 399): each with `escalation_facet_loss`
        for f in range(MAX_FACETS):
            if fl.obs_value[obs, f] >= 0 and sub(base, ESCALATE + f) < net.params[P_ESCALATION_FACETS]:
                fl.mi[k, M_MASK] &= ~(1 << f)
    sent = send_along(net, fl, seed, k, u, channel, t, -1)
    for etype in (INFORMAL, LIAISON):
        if out_degree(net, u, etype) > 0:
            if sent == 0:
                sent = send_along(net, fl, seed, k, u, etype, t, -1)
            else:
                c = clone_message(net, fl, k)
                if c >= 0:
                    sent += send_along(net, fl, seed, c, u, etype, t, -1)
    if sent == 0:
        # nobody to report to: the report stays with its author
        fl.mi[k, M_STATUS] = DELIVERED
        fl.counters[C_DELIVERED] += 1
    fl.counters[C_OBS_REPORTED] += 1


@kernel
def next_detection(st, s, seed, i, j, end, t):
    """The first coverage entry in `j` .. `end - 1` whose sensor detects indicator `i` (of event `e`) at `t`.

    Returns `end` if none does. The candidates are independent Bernoulli trials (those that have not yet
    observed the event and are available; an open collection task on the cell raises the probability,
    `cover_prob_tasked`), each with its own keyed uniform (`keyed.DETECT`: the indicator, then the entry's
    stable key `cover_key`), so that whether one unit detects does not depend on the entries before it, in
    this arm or another (issue 16 §4). `collect` calls `first_detection` directly.
    """
    e = st.ind_event[i]
    return first_detection(
        key2(seed, DETECT, i, 0), s.observed[e], j, end, t, st.cover_key, st.cover_slot, s.available_now,
        st.cover_group, st.cover_prob, st.cover_prob_tasked, s.task_until,
    )


@kernel
def first_detection(base, observed, j, end, t, cover_key, slot, available, group, prob, prob_tasked, task_until):
    """`next_detection` on the arrays it reads; `observed` is the event's row of `State.observed` (its bits).

    It is the innermost loop of a replicate (about 20 candidates per indicator), so it is kept small and out of
    line, where its values stay in registers, and it takes only the dozen arrays it reads: a call that passes
    the whole `Static` and `State` bundles costs more than the scan. `base` is the indicator's detection key.

    Every index is unsigned (`j`, the slot, the group: never negative): numba corrects a signed index for
    Python's negative indexing at each access, which made about a third of the loop's instructions and kept
    the arrays' sizes in registers; an unsigned one needs no correction (the same elements, the same draws).
    """
    one = np.uint64(1)
    s6, m63 = np.uint64(6), np.uint64(63)
    for u in range(np.uint64(j), np.uint64(end)):
        k = np.uint64(slot[u])
        if ((observed[k >> s6] >> (k & m63)) & one) == 0 and available[u] <= t:
            p = prob_tasked[u] if task_until[np.uint64(group[u])] >= t else prob[u]
            if sub(base, cover_key[u]) < p:
                return np.int64(u)
    return end


@submodel
def collect(st, s, seed, day):
    """Units detect the indicators emitted today in the sectors their sensors cover (docs/ODD.md §7.1).

    Detection probability comes from the sensor's coverage, its availability date (p. 401: UAV
    accreditation "took the Dutch contingent almost half a year"), the unit's effort (mandate drift, p. 395;
    escorts, p. 400), HUMINT access through language and local knowledge (p. 398), and is raised for an
    open collection task on that sector and domain. The coverage lists it walks, one per (sector, domain)
    cell, are precomputed by `missionfit.scenario.compiler._collect_coverage`.
    """
    net, fl = st.net, s.flow
    end = day + 1.0
    i = fl.counters[C_IND_CUR]
    n_ind = st.ind_time.size
    detecting = link(seed[0], DETECT)  # the first link of every indicator's `key2(seed, DETECT, i, 0)`, made once
    while i < n_ind and st.ind_time[i] < end:
        t = st.ind_time[i]
        e = st.ind_event[i]
        cell = net.evi[EV_SECTOR, e] * N_DOMAINS + net.evi[EV_DOMAIN, e]
        last = st.cover_ptr[cell + 1]
        observed = s.observed[e]
        detect = link(link(detecting, i), 0)
        j = first_detection(
            detect, observed, st.cover_ptr[cell], last, t, st.cover_key, st.cover_slot, s.available_now,
            st.cover_group, st.cover_prob, st.cover_prob_tasked, s.task_until,
        )
        while j < last:
            k = st.cover_slot[j]
            observed[k >> 6] |= np.uint64(1) << np.uint64(k & 63)
            report(
                net, fl, seed, st.cover_unit[j], e, i, t, s.task_until[st.cover_group[j]] >= t,
                st.cover_yield_mask[j], st.cover_yield_prob[j], st.cover_error[j],
            )
            j = first_detection(
                detect, observed, j + 1, last, t, st.cover_key, st.cover_slot, s.available_now,
                st.cover_group, st.cover_prob, st.cover_prob_tasked, s.task_until,
            )
        i += 1
    fl.counters[C_IND_CUR] = i
