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
from missionfit.model.world import World, _draw_world, stable_argsort
from missionfit.scenario.compiler import WorldTables, world_tables


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
    """Draw a v2 world: the v1 world of the same seed, with facet truths, prevention draws and false events."""
    tables = world_tables(sectors, event_types) if tables is None else tables
    counts = rng.poisson(tables.rates * days).astype(np.int64)
    stream = pcg64.state_of(rng)
    true = World(*_draw_world(counts, tables, float(days), stream))
    kinds = np.asarray(true.kind, dtype=np.int64)
    truth, prevention = _draw_truth(kinds, info.type_facet_mask, info.values_per_facet, stream)
    pcg64.store(rng, stream)
    false_counts = rng.poisson(info.false_rates * days).astype(np.int64)
    stream = pcg64.state_of(rng)
    false = World(*_draw_world(false_counts, tables, float(days), stream))
    pcg64.store(rng, stream)
    return _merge(true, truth, prevention, false, float(days))


def _merge(true: World, truth: np.ndarray, prevention: np.ndarray, false: World, days: float) -> World:
    """True and false events in one time order (true first on ties), indicators re-indexed and in time order."""
    n_true, n_false = true.time.size, false.time.size
    time = np.concatenate([true.time, false.time])
    order = stable_argsort(time, days)
    rank = np.empty(order.size, np.int64)
    rank[order] = np.arange(order.size)

    def both(name: str) -> np.ndarray:
        return np.concatenate([getattr(true, name), getattr(false, name)])[order]

    is_false = np.concatenate([np.zeros(n_true, np.int8), np.ones(n_false, np.int8)])[order]
    facet_truth = np.concatenate([truth, np.full((n_false, MAX_FACETS), NO_VALUE, np.int8)])[order]
    prevention_draw = np.concatenate([prevention, np.ones(n_false)])[order]  # a false event is never prevented
    ind_event = np.concatenate([rank[true.indicator_event], rank[false.indicator_event + n_true]])
    ind_time = np.concatenate([true.indicator_time, false.indicator_time])
    ind_order = stable_argsort(ind_time, days)
    return World(
        time=time[order],
        sector=both("sector"),
        kind=both("kind"),
        line=both("line"),
        domain=both("domain"),
        horizon=both("horizon"),
        severity=both("severity"),
        outcome_draw=both("outcome_draw"),
        indicator_time=ind_time[ind_order],
        indicator_event=ind_event[ind_order],
        is_false=is_false,
        facet_truth=facet_truth,
        prevention_draw=prevention_draw,
    )
