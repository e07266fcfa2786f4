"""Response (docs/design/v2-core.md §5): capacity to act, the chance that an action mitigates, posture.

A consumer acts on an actionable picture only with a free capacity slot (a sector's reaction force, the force
reserve); an action holds the slot for `action_busy_days`, and an action on a false event wastes it (issue 15
§2). The chance of mitigation rises with the picture's completeness and accuracy and with the lead time; without
an action a small baseline remains. A planning consumer's posture prevents later events in the postured sector
and domain with a world-stream draw per event, so that common random numbers hold.
"""

from __future__ import annotations

from missionfit.engine.jit import inlined


@inlined
def take_slot(busy_until, first, n_slots, t, busy_days):
    """Hold the first of a consumer's capacity slots that is free at `t`; returns it, or -1 if all are busy.

    Args:
        busy_until: Per slot of every consumer, the time it is free again.
        first: The consumer's first slot in `busy_until`.
        n_slots: The consumer's capacity (0: it never acts).
        t: The time of the action.
        busy_days: How long the action holds the slot.
    """
    for s in range(first, first + n_slots):
        if busy_until[s] <= t:
            busy_until[s] = t + busy_days
            return s
    return -1


@inlined
def mitigation_probability(baseline, ceiling, completeness, accuracy, lead, exponent, accuracy_weight, half_days):
    """P(mitigated | an action): baseline + (ceiling − baseline) · c^γ · (1 − w(1 − a)) · lead / (lead + h).

    Args:
        baseline: The chance without any action (`baseline_mitigation`).
        ceiling: The chance of a complete, accurate picture long ahead (`max_mitigation`).
        completeness: Share of the event type's facets the picture has a value for, in [0, 1].
        accuracy: Share of those values that are right, in [0, 1].
        lead: Days between the action and the event (≤ 0: too late, the baseline).
        exponent: γ (`mitigation_completeness_exponent`).
        accuracy_weight: w (`mitigation_accuracy_weight`): an action on a wrong picture mostly fails.
        half_days: h (`mitigation_lead_half_days`): the lead at which half the lead-time gain is reached.
    """
    if lead <= 0.0 or completeness <= 0.0:
        return baseline
    gain = completeness**exponent * (1.0 - accuracy_weight * (1.0 - accuracy)) * lead / (lead + half_days)
    return baseline + (ceiling - baseline) * gain


@inlined
def prevented(posture_until, cell, t, prevention_draw, effect):
    """Whether a true event at `t` in a postured (sector × domain) `cell` is prevented (its draw below the effect)."""
    return posture_until[cell] >= t and prevention_draw < effect
