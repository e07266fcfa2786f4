"""Outcomes (docs/ODD.md §7.9): the day's events materialize, mitigated or not by the warnings used in time."""

from __future__ import annotations

import numpy as np

from missionfit.engine.jit import kernel
from missionfit.engine.layout import (
    C_EVENT_CUR,
    D_EVENTS,
    D_FC_WARNED,
    D_IMMINENT_THREATS,
    D_SEVERITY,
    D_SEVERITY_MITIGATED,
    ES_BEST,
    ES_FC_WARNED,
    ES_MITIGATED,
    EV_DRAW,
    EV_HORIZON,
    EV_LINE,
    EV_SEVERITY,
    EV_TIME,
    IMMINENT,
    LS_MITIGATED,
    LS_TOTAL,
    P_BASE_MIT,
    P_MAX_MIT,
    SECURITY,
)


@kernel
def resolve_outcomes(st, s, day):
    """Events of the day materialize; warnings used in time raise the chance of mitigation (§3.8).

    p = baseline + (max - baseline) * quality of the best warning a responsible consumer used in time; the
    event is mitigated when its world-stream draw falls below p. Without any warning the small baseline
    remains, so the metric measures what information adds, not what presence alone achieves.
    """
    net, fl = st.net, s.flow
    end = day + 1.0
    i = fl.counters[C_EVENT_CUR]
    base = net.params[P_BASE_MIT]
    top = net.params[P_MAX_MIT]
    rec = s.day_record[day]
    m = net.evf.shape[1]
    while i < m and net.evf[EV_TIME, i] < end:
        p = base + (top - base) * fl.esf[ES_BEST, i]
        mitigated = net.evf[EV_DRAW, i] < p
        fl.esi[ES_MITIGATED, i] = mitigated
        line = net.evi[EV_LINE, i]
        sev = net.evf[EV_SEVERITY, i]
        s.line_severity[line, LS_TOTAL] += sev
        rec[D_EVENTS] += 1
        rec[D_SEVERITY] += sev
        if mitigated:
            s.line_severity[line, LS_MITIGATED] += sev
            rec[D_SEVERITY_MITIGATED] += sev
        if net.evi[EV_HORIZON, i] == IMMINENT and line == SECURITY:
            rec[D_IMMINENT_THREATS] += 1
            if fl.esf[ES_FC_WARNED, i] < np.inf:
                rec[D_FC_WARNED] += 1
        i += 1
    fl.counters[C_EVENT_CUR] = i
