"""Outcomes (docs/design/v2-core.md §5): the day's events materialize, prevented, mitigated or not."""

from __future__ import annotations

import numpy as np

from missionfit.engine.jit import submodel
from missionfit.engine.layout import (
    C_EVENT_CUR,
    C_FALSE_CUR,
    C_PREVENTED,
    D_EVENTS,
    D_FC_WARNED,
    D_IMMINENT_THREATS,
    D_SEVERITY,
    D_SEVERITY_MITIGATED,
    ES_FC_WARNED,
    ES_MITIGATED,
    ES_P_MIT,
    ES_PATH,
    ES_PREVENTED,
    EV_DOMAIN,
    EV_DRAW,
    EV_FALSE,
    EV_HORIZON,
    EV_LINE,
    EV_PREVENT,
    EV_SECTOR,
    EV_SEVERITY,
    EV_TIME,
    IMMINENT,
    LS_MITIGATED,
    LS_TOTAL,
    N_DOMAINS,
    P_BASE_MIT,
    P_POSTURE_EFFECT,
    PATH_BASELINE,
    SECURITY,
)
from missionfit.engine.response import prevented
from missionfit.engine.trust import resolve_receipts


@submodel
def resolve_outcomes(st, s, day):
    """Events of the day materialize: prevented by a posture, mitigated by an action, or not (design §5).

    A false event never materializes and never enters goal realization. A true event inside a posture of its
    sector and domain is prevented when its world-stream prevention draw falls below `posture_effect`; else it is
    mitigated when its outcome draw falls below the chance its action fixed (`ES_P_MIT`), or below the baseline
    without an action, so the metric measures what information adds, not what presence alone achieves.
    """
    net, fl = st.net, s.flow
    end = day + 1.0
    i = fl.counters[C_EVENT_CUR]
    base = net.params[P_BASE_MIT]
    rec = s.day_record[day]
    m = net.evf.shape[1]
    while i < m and net.evf[EV_TIME, i] < end:
        if net.evi[EV_FALSE, i]:
            i += 1
            continue
        resolve_receipts(net, fl, i)  # it happened: competence learns what was right (issue 16 §1)
        cell = net.evi[EV_SECTOR, i] * N_DOMAINS + net.evi[EV_DOMAIN, i]
        if prevented(fl.posture_until, cell, net.evf[EV_TIME, i], net.evf[EV_PREVENT, i], net.params[P_POSTURE_EFFECT]):
            fl.esi[ES_PREVENTED, i] = 1
            fl.esi[ES_PATH, i] = fl.posture_path[cell]
            fl.counters[C_PREVENTED] += 1
            mitigated = True
        else:
            p = fl.esf[ES_P_MIT, i] if fl.esf[ES_P_MIT, i] >= 0.0 else base
            mitigated = net.evf[EV_DRAW, i] < p
            if mitigated and fl.esf[ES_P_MIT, i] < 0.0:
                fl.esi[ES_PATH, i] = PATH_BASELINE
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
    # a false event is known false when its time passes without it: what was said about it was wrong
    j = fl.counters[C_FALSE_CUR]
    while j < m and net.evf[EV_TIME, j] < end:
        if net.evi[EV_FALSE, j]:
            resolve_receipts(net, fl, j)
        j += 1
    fl.counters[C_FALSE_CUR] = j
