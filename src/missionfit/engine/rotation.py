"""Rotation (docs/ODD.md §2): a rotated contingent's relationships fall back to the priors."""

from __future__ import annotations

from missionfit.engine.jit import submodel
from missionfit.engine.layout import (
    R_ROTATION,
    U_ROTATION,
)


@submodel
def rotate(st, s, day):
    """Contingents rotate: a rotated unit's relationships fall back to the priors (docs/ODD.md §2)."""
    net, trust = st.net, s.flow.trust
    period = net.roles[R_ROTATION]
    n = net.ui.shape[1]
    for u in range(n):
        r = net.ui[U_ROTATION, u]
        since = day - r
        if r < 0 or day <= 0 or since < 0:
            continue
        if since >= period:  # (a division per unit and day only when a run outlasts the period)
            since %= period
        if since != 0:
            continue
        for j in range(n):
            trust[u, j] = st.trust_prior[u, j]
            trust[j, u] = st.trust_prior[j, u]
