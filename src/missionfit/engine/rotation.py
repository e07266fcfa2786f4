"""Rotation (docs/ODD.md §2): a rotated contingent's relationships fall back to the priors."""

from __future__ import annotations

from missionfit.engine.jit import inlined, submodel
from missionfit.engine.layout import (
    C_NDYAD,
    DY_TRUSTEE,
    DY_TRUSTER,
    R_ROTATION,
    U_ROTATION,
)
from missionfit.engine.trust import reset_to_prior


@inlined
def rotates_today(net, u, day):
    """Whether unit `u`'s contingent rotates on `day` (its `rotation_day`, then every rotation period)."""
    r = net.ui[U_ROTATION, u]
    since = day - r
    if r < 0 or day <= 0 or since < 0:
        return False
    if since >= net.roles[R_ROTATION]:  # (a division per unit and day only when a run outlasts the period)
        since %= net.roles[R_ROTATION]
    return since == 0


@submodel
def rotate(st, s, day):
    """Contingents rotate: both components of a rotated unit's dyads, either way, go back to the priors.

    A new contingent knows nobody and nobody knows it (issue 16 §1); walking the dyads is O(interacting pairs)
    per rotation day, and the rows stay (their interactions keep counting).
    """
    net, fl = st.net, s.flow
    any_rotates = False
    for u in range(net.ui.shape[1]):
        if rotates_today(net, u, day):
            any_rotates = True
            break
    if not any_rotates:
        return
    for row in range(fl.counters[C_NDYAD]):
        if rotates_today(net, fl.dy_i[DY_TRUSTER, row], day) or rotates_today(net, fl.dy_i[DY_TRUSTEE, row], day):
            reset_to_prior(fl, row)
