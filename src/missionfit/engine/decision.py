"""Decision and use (docs/ODD.md §7.8): a consumer meets a piece of intelligence and uses it or not."""

from __future__ import annotations

import numpy as np

from missionfit.engine.jit import inlined
from missionfit.engine.layout import (
    ASSESSMENT,
    C_ASIFU_FC_DELIV,
    C_CONS_DELIV,
    C_CONS_RELEVANT,
    C_CONS_USED,
    ES_BEST,
    ES_FC_WARNED,
    EV_LINE,
    EV_SECTOR,
    EV_TIME,
    IMMINENT,
    P_GAIN,
    P_LOSS,
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
from missionfit.engine.pcg64 import random


@inlined
def decide(net, fl, rng, v, event, horizon, quality, origin, kind, t):
    """A consumer meets a piece of intelligence and uses it or not (docs/ODD.md §7.8).

    It is used when relevant to the consumer's need (mandate line, horizon, sector), timely (arrives before
    the event minus the action lead time) and trusted. p. 394: ASIFU's products "became rather detached
    from the Force Commander's main interest and were therefore only used to a limited extent". Using
    useful, accurate intelligence raises the consumer's trust in its producer; wrong intelligence lowers it.
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
        return
    fl.counters[C_CONS_RELEVANT] += 1
    if t > ev_time - uf[U_LEAD, v]:
        return
    if origin != v:
        gap = fl.trust[v, origin] - uf[U_THRESHOLD, v]
        if random(rng) >= 1.0 / (1.0 + np.exp(-net.params[P_STEEP] * gap)):
            return
    fl.counters[C_CONS_USED] += 1
    if quality > fl.esf[ES_BEST, event]:
        fl.esf[ES_BEST, event] = quality
    if origin != v:
        if random(rng) < quality:
            fl.trust[v, origin] += net.params[P_GAIN] * (1.0 - fl.trust[v, origin])
        else:
            fl.trust[v, origin] -= net.params[P_LOSS] * fl.trust[v, origin]
