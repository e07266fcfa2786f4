"""Decision and use (docs/ODD.md §7.8): a consumer meets a piece of intelligence and uses it or not."""

from __future__ import annotations

import numpy as np

from missionfit.engine.jit import inlined
from missionfit.engine.keyed import USE, key4, sub
from missionfit.engine.layout import (
    ASSESSMENT,
    C_ASIFU_FC_DELIV,
    C_CONS_DELIV,
    C_CONS_RELEVANT,
    C_CONS_USED,
    DY_COMPETENCE,
    ES_BEST,
    ES_FC_WARNED,
    EV_LINE,
    EV_SECTOR,
    EV_TIME,
    IMMINENT,
    P_STEEP,
    R_ASIFU,
    R_FC,
    U_HORIZONS,
    U_LEAD,
    U_LINES,
    U_SCOPED,
    U_SECTOR,
    U_THRESHOLD,
)
from missionfit.engine.trust import dyad, trust_value


@inlined
def decide(net, fl, seed, v, event, horizon, quality, origin, kind, t, which):
    """A consumer meets a piece of intelligence and uses it or not (docs/ODD.md §7.8); returns whether it uses it.

    It is used when relevant to the consumer's need (mandate line, horizon, sector), timely (arrives before
    the event minus the action lead time) and believed: the consumer's trust in the producer's competence
    (issue 16 §1; p. 398: the intelligence liaison officers brought back "was, however, received with mixed
    feelings"). p. 394: ASIFU's products "became rather detached from the Force Commander's main interest and
    were therefore only used to a limited extent". What a consumer uses enters its picture (`arrival.arrive`);
    competence learns later, when the event resolves (`trust.log_receipt`).

    The belief draw is keyed (`keyed.USE`) by the event, the consumer, the producer and `which` (the message's
    identity and the edge it came over: `arrival.arrive`); a consumer's own product needs no draw.
    """
    ui, uf = net.ui, net.uf
    fc = net.roles[R_FC]
    ev_time = net.evf[EV_TIME, event]
    fl.counters[C_CONS_DELIV] += 1
    asifu_to_fc = v == fc and kind == ASSESSMENT and origin == net.roles[R_ASIFU]
    if asifu_to_fc:
        fl.counters[C_ASIFU_FC_DELIV] += 1
    if v == fc and horizon == IMMINENT and t <= ev_time - uf[U_LEAD, fc] and t < fl.esf[ES_FC_WARNED, event]:
        fl.esf[ES_FC_WARNED, event] = t
    line_ok = (ui[U_LINES, v] >> net.evi[EV_LINE, event]) & 1
    horizon_ok = (ui[U_HORIZONS, v] >> horizon) & 1
    sector_ok = ui[U_SCOPED, v] == 0 or net.evi[EV_SECTOR, event] == ui[U_SECTOR, v]
    if not (line_ok and horizon_ok and sector_ok):
        return False
    fl.counters[C_CONS_RELEVANT] += 1
    if t > ev_time - uf[U_LEAD, v]:
        return False
    if origin != v:
        gap = trust_value(net, fl, dyad(net, fl, v, origin), DY_COMPETENCE) - uf[U_THRESHOLD, v]
        u = sub(key4(seed, USE, event, net.unit_key[v], net.unit_key[origin], which), 0)
        if u >= 1.0 / (1.0 + np.exp(-net.params[P_STEEP] * gap)):
            return False
    fl.counters[C_CONS_USED] += 1
    if quality > fl.esf[ES_BEST, event]:
        fl.esf[ES_BEST, event] = quality
    return True
