"""The world's information content (docs/design/v2-core.md §3): facet truths, false events, prevention draws.

The v2 world is the v1 world (`missionfit.model.world.generate_world`: the same true events, with the same
times, sectors, types, severities, outcome draws and indicators for the same seed) plus, from the same world
stream and in this order:

1. per true event, per facet of its type, the true value (uniform over `values_per_facet`), then one uniform
   `prevention_draw` per true event (posture, §5.3);
2. the false events (rumours, deception; issue 15 §1): per sector a Poisson count at `false_event_share` times
   the sector's event rate, each drawn as a true event is (time, type, warning window, indicators). They never
   materialize and have no facet truth: each source that observes one gives it independent values.

Drawing the true events' additions before the false events keeps them fixed when only the false-event share
changes (common random numbers across that parameter too). Events are then merged in time order (true events
first on ties) and indicators re-indexed and merged in time order.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from missionfit.engine import pcg64
from missionfit.engine.facets import MAX_FACETS, NO_VALUE
from missionfit.engine.jit import cached_njit
from missionfit.model.world import World, _draw_world, poisson_counts
from missionfit.scenario.information import WorldTables, world_tables


class InformationTables(NamedTuple):
    """What the v2 world needs beyond `WorldTables`."""

    false_rates: np.ndarray  # false events per day, per sector
    type_facet_mask: np.ndarray  # per event type: bit f set if the type has facet f
    values_per_facet: int


def information_tables(sectors: list[dict], event_types: list[dict], information: dict) -> InformationTables:
    """`InformationTables` from a resolved scenario's sectors, event types and `information:` block."""
    names = list(information["facets"])
    all_facets = (1 << len(names)) - 1
    masks = []
    for t in event_types:
        own = t.get("facets")
        masks.append(all_facets if own is None else sum(1 << names.index(f) for f in own))
    share = float(information["false_event_share"])
    return InformationTables(
        false_rates=share * np.array([float(s["event_rate"]) for s in sectors]),
        type_facet_mask=np.array(masks, dtype=np.int64),
        values_per_facet=int(information["values_per_facet"]),
    )


@cached_njit()
def _draw_truth(kind, type_mask, n_values, stream):
    """Per event, per facet of its type, a uniform true value; then one prevention draw per event."""
    n = kind.size
    truth = np.full((n, MAX_FACETS), NO_VALUE, np.int8)
    for i in range(n):
        mask = type_mask[kind[i]]
        for f in range(MAX_FACETS):
            if (mask >> f) & 1:
                truth[i, f] = min(int(pcg64.random(stream) * n_values), n_values - 1)
    prevention = np.empty(n)
    for i in range(n):
        prevention[i] = pcg64.random(stream)
    return truth, prevention


def generate_world_v2(
    sectors: list[dict],
    event_types: list[dict],
    days: int,
    rng: np.random.Generator,
    info: InformationTables,
    tables: WorldTables | None = None,
) -> World:
    """Draw a v2 world: the v1 world of the same seed, with facet truths, prevention draws and false events.

    One compiled call makes every draw, the Poisson counts included (`missionfit.model.world.poisson`), from
    `rng`'s PCG64 stream, and `rng` is left where numpy's own calls would leave it.
    """
    tables = world_tables(sectors, event_types) if tables is None else tables
    stream = pcg64.state_of(rng)
    drawn = _draw_world_v2(tables, info.false_rates, info.type_facet_mask, info.values_per_facet, float(days), stream)
    pcg64.store(rng, stream)
    return World(*drawn)


@cached_njit()
def _draw_world_v2(tables, false_rates, type_mask, n_values, days, stream):
    """`generate_world_v2`'s draws in its order (true counts, events, truths; false counts, events), merged."""
    true = _draw_world(poisson_counts(tables.rates * days, stream), tables, days, stream)
    truth, prevention = _draw_truth(true[2], type_mask, n_values, stream)
    false = _draw_world(poisson_counts(false_rates * days, stream), tables, days, stream)
    return _merge_arrays(
        true[0], true[1], true[2], true[3], true[4], true[5], true[6], true[7], true[8], true[9], truth, prevention,
        false[0], false[1], false[2], false[3], false[4], false[5], false[6], false[7], false[8], false[9],
    )


@cached_njit()
def _both(a, b, order):
    """`np.concatenate([a, b])[order]`."""
    joined = np.concatenate((a, b))
    out = np.empty_like(joined)
    for i in range(order.size):
        out[i] = joined[order[i]]
    return out


@cached_njit()
def _merge_order(a, b):
    """`np.argsort(np.concatenate((a, b)), kind="stable")` for sorted `a` and `b`: a merge, `a` first on ties.

    `_draw_world` returns events and indicators in time order, so the true and the false world merge in
    linear time; a stable sort of their concatenation gives the same permutation (by value, then index,
    and `a`'s indices come first).
    """
    n_a, n_b = a.size, b.size
    order = np.empty(n_a + n_b, np.int64)
    i = j = 0
    for k in range(n_a + n_b):
        if j >= n_b or (i < n_a and a[i] <= b[j]):
            order[k] = i
            i += 1
        else:
            order[k] = n_a + j
            j += 1
    return order


@cached_njit()
def _merge_arrays(
    t_time,
    t_sector,
    t_kind,
    t_line,
    t_domain,
    t_horizon,
    t_severity,
    t_outcome,
    t_ind_time,
    t_ind_event,
    truth,
    prevention,
    f_time,
    f_sector,
    f_kind,
    f_line,
    f_domain,
    f_horizon,
    f_severity,
    f_outcome,
    f_ind_time,
    f_ind_event,
):
    """The true and false worlds in one time order, fields in `World` order (a false event: no truth, no prevention)."""
    n_true, n = t_time.size, t_time.size + f_time.size
    order = _merge_order(t_time, f_time)
    rank = np.empty(n, np.int64)
    for i in range(n):
        rank[order[i]] = i

    is_false = np.empty(n, np.int8)
    facet_truth = np.full((n, MAX_FACETS), NO_VALUE, np.int8)
    prevention_draw = np.empty(n)
    for i in range(n):
        k = order[i]
        is_false[i] = k >= n_true
        prevention_draw[i] = prevention[k] if k < n_true else 1.0
        if k < n_true:
            for f in range(MAX_FACETS):  # (element by element: a row assignment costs three times as much)
                facet_truth[i, f] = truth[k, f]
    n_ind = t_ind_event.size + f_ind_event.size
    ind_event = np.empty(n_ind, np.int64)
    for i in range(t_ind_event.size):
        ind_event[i] = rank[t_ind_event[i]]
    for i in range(f_ind_event.size):
        ind_event[t_ind_event.size + i] = rank[f_ind_event[i] + n_true]
    ind_time = np.concatenate((t_ind_time, f_ind_time))
    ind_order = _merge_order(t_ind_time, f_ind_time)
    sorted_time = np.empty(n_ind)
    sorted_event = np.empty(n_ind, np.int64)
    for i in range(n_ind):
        sorted_time[i] = ind_time[ind_order[i]]
        sorted_event[i] = ind_event[ind_order[i]]
    return (
        _both(t_time, f_time, order),
        _both(t_sector, f_sector, order),
        _both(t_kind, f_kind, order),
        _both(t_line, f_line, order),
        _both(t_domain, f_domain, order),
        _both(t_horizon, f_horizon, order),
        _both(t_severity, f_severity, order),
        _both(t_outcome, f_outcome, order),
        sorted_time,
        sorted_event,
        is_false,
        facet_truth,
        prevention_draw,
    )
