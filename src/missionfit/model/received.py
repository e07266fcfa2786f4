"""Quality as received: how right a unit group's reports are when they reach their first receiver.

The diagnostic that docs/validation.md §6.2 (H6.3) and §6.8 (the declared target flow of `intelligence_training`)
name, "the mean share of correct facet values in the unit group's reports when they arrive at their first receiver,
after format/procedure match and the receiver's discounting" (issue 16 §3; open question 1 of validation.md). It
is read from a finished run's message store, so it adds no counter to the engine and changes no draw: it is not a
metric of the output contract, and `missionfit.scenario.targets` declares it as a `received:` target.

A report counts when it is a raw report (an observation, not an assessment) whose origin is one of the units, that
was delivered on its first hop (its sender is still its origin: the first receiver), and that asserts at least one
facet. Its share right is the engine's own (`missionfit.engine.trust.assertion_accuracy`, which living trust learns
from): the asserted values of the event type's facets that the message still carries, after sanitization and the
channel's garble (language and procedure mismatch, pp. 398-400), compared with the truth; everything said about a
false event is wrong. The receiver's discounting weighs a report by its quality and the receiver's trust, but does
not change which of its values are right, so it does not enter the share.

Two companions isolate the two skills that training and formats act on (issue 16 §3): `quality_received`, the
report quality a message carries on arrival (the unit's report quality times the channel's quality factor, the
scalar q of docs/ODD.md §7), and `accuracy_observed`, the facet accuracy of what the units' sensors yield (the
mean confidence 1 - error of the yielded facets of their observations, i.e. the expected share right at
collection, before reporting, channels and false events).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from missionfit import engine as E

__all__ = ["RECEIVED_MEASURES", "received"]

#: The measures (as `missionfit.scenario.targets.REPORT_MEASURES`): the share of right facet values per report at
#: its first receiver, the report quality on arrival, and the facet accuracy of the units' observations.
RECEIVED_MEASURES = ("accuracy_received", "quality_received", "accuracy_observed")


def received(
    model, origins: Iterable[int] | None, measure: str = "accuracy_received", edges: Iterable[int] | None = None
) -> float:
    """The mean over the origins' first-hop delivered raw reports (or observations) of `measure`; NaN if none.

    Args:
        model: A finished `missionfit.model.simulation.BatchSimulation` (or `MissionModel`).
        origins: Unit indices (the compiled scenario's unit order) whose reports count; `None`: every unit's.
        measure: One of `RECEIVED_MEASURES`.
        edges: Edge indices (the compiled scenario's edge order) the first hop must have crossed; `None`: any (not
            read by `accuracy_observed`).

    Returns:
        The mean, or NaN when no report of the origins was delivered.
    """
    if measure not in RECEIVED_MEASURES:
        raise ValueError(f"measure = {measure!r}: one of {', '.join(RECEIVED_MEASURES)}")
    net, fl = model.engine_static.net, model.engine_state.flow
    if measure == "accuracy_observed":
        n = int(fl.counters[E.C_NOBS])
        keep = np.ones(n, dtype=bool) if origins is None else np.isin(fl.obs_origin[:n], np.fromiter(origins, int))
        yielded = fl.obs_value[:n][keep] >= 0
        return float(fl.obs_conf[:n][keep][yielded].mean()) if yielded.any() else float("nan")
    n = int(fl.counters[E.C_NMSG])
    mi, mf = fl.mi[:n], fl.mf[:n]
    keep = (mi[:, E.M_KIND] == E.RAW) & (mi[:, E.M_STATUS] == E.DELIVERED) & (mi[:, E.M_SENDER] == mi[:, E.M_ORIGIN])
    if origins is not None:
        keep &= np.isin(mi[:, E.M_ORIGIN], np.fromiter(origins, dtype=np.int64))
    if edges is not None:
        keep &= np.isin(mi[:, E.M_EDGE], np.fromiter(edges, dtype=np.int64))
    mi, mf = mi[keep], mf[keep]
    event = mi[:, E.M_EVENT]
    carried = net.type_mask[net.evi[E.EV_KIND, event]] & mi[:, E.M_MASK]
    facets = np.arange(E.MAX_FACETS)
    values = mi[:, E.M_VAL0 : E.M_VAL0 + E.MAX_FACETS]
    asserted = (((carried[:, None] >> facets) & 1) == 1) & (values >= 0)
    truth = np.full((event.size, E.MAX_FACETS), -2, dtype=np.int64)
    width = min(E.MAX_FACETS, net.truth.shape[1])
    truth[:, :width] = net.truth[event, :width]
    n_asserted = asserted.sum(axis=1)
    says = n_asserted > 0
    if not says.any():
        return float("nan")
    if measure == "quality_received":
        return float(mf[says, E.M_QUALITY].mean())
    right = (asserted & (values == truth)).sum(axis=1)
    return float((right[says] / n_asserted[says]).mean())
