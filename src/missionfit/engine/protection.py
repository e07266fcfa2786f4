"""Protection (docs/ODD.md §7.15; issue 16 §3): a unit that needs an escort collects only when it gets one.

pp. 400-401: "The Dutch ISR company often depended on force protection by the SOLTG when they left the compound to
gather intelligence. However, there were many incidents in which ISR personnel did not follow safety orders ...
These incidents led to great frustrations and SOLTG personnel not wanting to work with their counterparts".
p. 400: the Estonian HUMINT team "depended on Dutch transport ... the Dutch respondents considered it as extremely
distrustful towards their Estonian colleagues and felt it undermined the cohesion within the mission".
"""

from __future__ import annotations

import numpy as np

from missionfit.engine.jit import submodel
from missionfit.engine.keyed import ESCORT, ESCORTED, INCIDENT, key3, sub
from missionfit.engine.layout import (
    C_ESCORTS,
    C_ESCORTS_REFUSED,
    C_INCIDENTS,
    DY_GOODWILL,
    P_GOODWILL_LOSS,
    P_STEEP,
    U_INCIDENT,
    U_PROTECTOR,
    U_THRESHOLD,
)
from missionfit.engine.trust import dyad, lower_component, trust_value


@submodel
def escort(st, s, seed, day):
    """Each day a protecting unit decides whether to escort each unit that depends on it (before collection).

    The protector escorts with the chance it would share with the unit, σ(k · (G̃ − θ)) on its trust in the unit's
    goodwill (7.10): "not wanting to work with their counterparts". Without an escort the unit's sensors that need
    one (`protection.sensors`) detect nothing that day. An escorted day brings a safety-order incident with the
    unit's `incident_rate`: both sides' trust in the other's goodwill falls by `goodwill_loss`, so distrust feeds
    on itself and escorts thin out.
    """
    net, fl = st.net, s.flow
    for u in range(net.ui.shape[1]):
        p = net.ui[U_PROTECTOR, u]
        if p < 0:
            continue
        willing = trust_value(net, fl, dyad(net, fl, p, u), DY_GOODWILL) - net.uf[U_THRESHOLD, p]
        base = key3(seed, ESCORT, day, net.unit_key[u], net.unit_key[p])  # keyed by the day and the two units
        escorted = sub(base, ESCORTED) < 1.0 / (1.0 + np.exp(-net.params[P_STEEP] * willing))
        if escorted:
            fl.counters[C_ESCORTS] += 1
            if sub(base, INCIDENT) < net.uf[U_INCIDENT, u]:
                fl.counters[C_INCIDENTS] += 1
                lower_component(fl, dyad(net, fl, p, u), DY_GOODWILL, net.params[P_GOODWILL_LOSS])
                lower_component(fl, dyad(net, fl, u, p), DY_GOODWILL, net.params[P_GOODWILL_LOSS])
        else:
            fl.counters[C_ESCORTS_REFUSED] += 1
        for k in range(st.escort_ptr[u], st.escort_ptr[u + 1]):
            j = st.escort_entries[k]
            s.available_now[j] = st.cover_available[j] if escorted else np.inf
