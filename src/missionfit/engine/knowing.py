"""Knowing and acting (docs/design/v2-core.md §4.3-5): pictures, awareness, actions and posture.

A unit's picture of an event grows from what it observes and receives. A fusion unit merges the evidence behind
each item (`merge_evidence`) and fuses it over distinct origins (`refuse`); every other unit keeps the best
asserted confidence per facet (`absorb_summary`), without corroboration. A responsible consumer whose picture
becomes actionable in time is aware; if the event calls for action (imminent or mid-horizon) and nobody has acted
yet, it acts with a free capacity slot (`consider`), and the chance of mitigation is fixed then, from the
picture's completeness and accuracy and the lead time. A planning consumer aware of a mid- or long-horizon event
starts a posture in that sector and domain.
"""

from __future__ import annotations

import numpy as np

from missionfit.engine.facets import NO_VALUE, best_single_facet, facets_at_or_above, fuse_facet
from missionfit.engine.jit import inlined
from missionfit.engine.layout import (
    C_ACTIONS,
    C_BUSY_MILLIDAYS,
    C_FALSE_ACTIONS,
    C_NBP,
    C_NPIC,
    C_OVERFLOW,
    DY_COMPETENCE,
    ES_ACCURACY,
    ES_ACTION_TIME,
    ES_ACTOR,
    ES_ASIFU_AWARE,
    ES_COMPLETENESS,
    ES_FC_AWARE,
    ES_N_AWARE,
    ES_P_MIT,
    ES_PATH,
    EV_DOMAIN,
    EV_FALSE,
    EV_HORIZON,
    EV_KIND,
    EV_LINE,
    EV_SECTOR,
    EV_TIME,
    IMMINENT,
    IN_NEED_IMMINENT,
    IN_VALUES,
    LONG,
    MAX_FACETS,
    MID,
    N_DOMAINS,
    P_BASE_MIT,
    P_BUSY_DAYS,
    P_CORROBORATION,
    P_MAX_MIT,
    P_MIT_ACCURACY,
    P_MIT_EXPONENT,
    P_MIT_HALF,
    P_POSTURE_DAYS,
    PF_AWARE_TIME,
    PF_FIRST,
    PI_AWARE,
    PI_EVENT,
    PI_HOLDER,
    PI_N,
    PI_PATH,
    PI_UPDATES,
    R_ASIFU,
    R_FC,
    SECURITY,
    U_ACTION_THRESHOLD,
    U_CAP_START,
    U_CAPACITY,
    U_CONSUMER,
    U_HORIZONS,
    U_LEAD,
    U_LINES,
    U_PLANNING,
    U_SCOPED,
    U_SECTOR,
)
from missionfit.engine.pictures import add_entry, find, find_or_insert, full
from missionfit.engine.response import mitigation_probability, take_slot
from missionfit.engine.trust import dyad, trust_value


@inlined
def picture(net, fl, holder, event, t):
    """The row of `holder`'s picture of `event`, created empty at time `t` if new; -1 if the store is full."""
    n = fl.counters[C_NPIC]
    if n >= fl.pic_i.shape[1] or full(fl.pic_keys, n):
        fl.counters[C_OVERFLOW] = 1
        return -1
    row, inserted = find_or_insert(fl.pic_keys, fl.pic_slots, holder * net.evf.shape[1] + event, n)
    if inserted:
        fl.counters[C_NPIC] = n + 1
        fl.pic_i[PI_HOLDER, row] = holder
        fl.pic_i[PI_EVENT, row] = event
        fl.pic_i[PI_N, row] = 0
        fl.pic_i[PI_UPDATES, row] = 0
        fl.pic_i[PI_PATH, row] = -1
        fl.pic_i[PI_AWARE, row] = 0
        fl.pic_f[PF_AWARE_TIME, row] = np.inf
        fl.pic_f[PF_FIRST, row] = t
        for f in range(MAX_FACETS):
            fl.pic_val[row, f] = NO_VALUE
            fl.pic_conf[row, f] = 0.0
    return row


@inlined
def branch_pair(net, fl, b, event):
    """The row of branch `b`'s flags about `event` (`Flow.bp_flags`), made with no flag set if new; -1 if full."""
    n = fl.counters[C_NBP]
    if n >= fl.bp_flags.size or full(fl.bp_keys, n):
        fl.counters[C_OVERFLOW] = 1
        return -1
    row, inserted = find_or_insert(fl.bp_keys, fl.bp_slots, b * net.evf.shape[1] + event, n)
    if inserted:
        fl.counters[C_NBP] = n + 1
        fl.bp_flags[row] = 0
    return row


@inlined
def branch_row(net, fl, b, event):
    """The row of branch `b`'s flags about `event`, or -1 if it has none (then no flag is set)."""
    return find(fl.bp_keys, fl.bp_slots, b * net.evf.shape[1] + event)


@inlined
def merge_evidence(fl, row, start, length, mask):
    """Add a payload slice's entries (observation ids, restricted to `mask`) to a picture; True if it changed."""
    changed = False
    counts = fl.pic_i[PI_N]
    for i in range(start, start + length):
        m = fl.pay_mask[i] & mask
        if m != 0 and add_entry(fl.pic_obs, fl.pic_mask, counts, row, fl.pay_obs[i], m):
            changed = True
    return changed


@inlined
def refuse(net, fl, holder, row, threshold):
    """Recompute a fusion unit's facets from its evidence; returns how many facets newly reached `threshold`.

    Only the facets of the event's type: no observation has a value for another (`draw_observation` and `garble`
    write none), so such a facet stays as the picture was made, no value at confidence 0, and never crosses.
    """
    crossed = 0
    n = fl.pic_i[PI_N, row]
    corroborate = net.params[P_CORROBORATION] != 0.0
    type_mask = net.type_mask[net.evi[EV_KIND, fl.pic_i[PI_EVENT, row]]]
    if corroborate:
        # each entry weighs by the holder's trust in its origin's competence (issue 16 §1)
        for i in range(n):
            origin = fl.obs_origin[fl.pic_obs[row, i]]
            fl.entry_weight[i] = trust_value(net, fl, dyad(net, fl, holder, origin), DY_COMPETENCE)
    for f in range(MAX_FACETS):
        if not (type_mask >> f) & 1:
            continue
        old = fl.pic_conf[row, f]
        if corroborate:
            value, conf = fuse_facet(
                f, fl.pic_obs[row], fl.pic_mask[row], n, fl.obs_origin, fl.obs_value, fl.obs_conf,
                fl.entry_weight, net.info[IN_VALUES], fl.scratch,
            )
        else:
            value, conf = best_single_facet(f, fl.pic_obs[row], fl.pic_mask[row], n, fl.obs_value, fl.obs_conf)
        fl.pic_val[row, f] = value
        fl.pic_conf[row, f] = conf
        if old < threshold <= conf:
            crossed += 1
    return crossed


@inlined
def weigh(net, fl, holder, row, payload, paylen, mask):
    """A consumer that weighs reports (`consumer.weighs_reports`) takes in a message's evidence, not its summary.

    p. 399: the Force Commander, told by his intelligence staff, answers "no way, because I heard this and that":
    what reached him through the commander chain is weighed against U2's assessment. The consumer's picture
    fuses the evidence as a cell's does (`refuse`: each origin once, trust-weighted by the holder's trust in the
    origin's competence, contradictions lowering confidence) instead of keeping each facet's most confident
    report (`absorb_summary`). Returns whether the picture changed.
    """
    if not merge_evidence(fl, row, payload, paylen, mask):
        return False
    refuse(net, fl, holder, row, 1.0)  # (no dissemination threshold: a consumer only reads its confidences)
    return True


@inlined
def absorb_summary(fl, row, values, confs, mask):
    """A non-fusion unit's merge: per facet, the asserted value with the best confidence; True if it rose."""
    rose = False
    for f in range(MAX_FACETS):
        if not (mask >> f) & 1:
            continue
        if values[f] != NO_VALUE and confs[f] > fl.pic_conf[row, f]:
            fl.pic_val[row, f] = values[f]
            fl.pic_conf[row, f] = confs[f]
            rose = True
    return rose


@inlined
def responsible(net, v, event):
    """Whether consumer `v` answers for `event` (its line, horizon and, if scoped, sector)."""
    ui = net.ui
    return (
        ui[U_CONSUMER, v] != 0
        and (ui[U_LINES, v] >> net.evi[EV_LINE, event]) & 1
        and (ui[U_HORIZONS, v] >> net.evi[EV_HORIZON, event]) & 1
        and (ui[U_SCOPED, v] == 0 or net.evi[EV_SECTOR, event] == ui[U_SECTOR, v])
    )


@inlined
def actionable_for(net, fl, row, judge, event, t):
    """Whether a picture meets consumer `judge`'s criterion at `t`: enough facets at its threshold, in time."""
    need = net.info[IN_NEED_IMMINENT + net.evi[EV_HORIZON, event]]
    if t > net.evf[EV_TIME, event] - net.uf[U_LEAD, judge]:
        return False
    return facets_at_or_above(fl.pic_conf[row], net.uf[U_ACTION_THRESHOLD, judge]) >= need


@inlined
def completeness_accuracy(net, fl, row, event):
    """Share of the event type's facets the picture has a value for, and the share of those that are right."""
    mask = net.type_mask[net.evi[EV_KIND, event]]
    n_type, n_known, n_right = 0, 0, 0
    for f in range(MAX_FACETS):
        if not (mask >> f) & 1:
            continue
        n_type += 1
        value = fl.pic_val[row, f]
        if value != NO_VALUE:
            n_known += 1
            if value == net.truth[event, f]:  # a false event has no truth: nothing about it is right
                n_right += 1
    if n_type == 0 or n_known == 0:
        return 0.0, 0.0
    return n_known / n_type, n_right / n_known


@inlined
def consider(net, fl, v, event, row, t, path):
    """After `v`'s picture of `event` changed at `t`: awareness, an action, a posture (design §4.4, §5)."""
    fc = net.roles[R_FC]
    asifu = net.roles[R_ASIFU]
    horizon = net.evi[EV_HORIZON, event]
    if v == asifu and fc >= 0 and horizon == IMMINENT and net.evi[EV_LINE, event] == SECURITY:
        # ASIFU's picture judged by the FC's criterion (docs/validation.md P1)
        if t < fl.esf[ES_ASIFU_AWARE, event] and actionable_for(net, fl, row, fc, event, t):
            fl.esf[ES_ASIFU_AWARE, event] = t
    if fl.pic_i[PI_AWARE, row] or not responsible(net, v, event):
        return
    if not actionable_for(net, fl, row, v, event, t):
        return
    fl.pic_i[PI_AWARE, row] = 1
    fl.pic_f[PF_AWARE_TIME, row] = t
    fl.pic_i[PI_PATH, row] = path
    fl.esi[ES_N_AWARE, event] += 1
    if v == fc and horizon == IMMINENT and net.evi[EV_LINE, event] == SECURITY:
        fl.esf[ES_FC_AWARE, event] = min(fl.esf[ES_FC_AWARE, event], t)
    if horizon != LONG and fl.esi[ES_ACTOR, event] < 0:
        busy = net.params[P_BUSY_DAYS]
        if take_slot(fl.busy_until, net.ui[U_CAP_START, v], net.ui[U_CAPACITY, v], t, busy) >= 0:
            fl.esi[ES_ACTOR, event] = v
            fl.esi[ES_PATH, event] = path
            fl.esf[ES_ACTION_TIME, event] = t
            complete, accurate = completeness_accuracy(net, fl, row, event)
            fl.esf[ES_COMPLETENESS, event] = complete
            fl.esf[ES_ACCURACY, event] = accurate
            fl.esf[ES_P_MIT, event] = mitigation_probability(
                net.params[P_BASE_MIT], net.params[P_MAX_MIT], complete, accurate, net.evf[EV_TIME, event] - t,
                net.params[P_MIT_EXPONENT], net.params[P_MIT_ACCURACY], net.params[P_MIT_HALF],
            )
            fl.counters[C_ACTIONS] += 1
            fl.counters[C_BUSY_MILLIDAYS] += int(round(1000.0 * busy))
            if net.evi[EV_FALSE, event]:
                fl.counters[C_FALSE_ACTIONS] += 1
    if net.ui[U_PLANNING, v] and (horizon == MID or horizon == LONG):
        cell = net.evi[EV_SECTOR, event] * N_DOMAINS + net.evi[EV_DOMAIN, event]
        until = t + net.params[P_POSTURE_DAYS]
        if until > fl.posture_until[cell]:
            fl.posture_until[cell] = until
            fl.posture_path[cell] = path
