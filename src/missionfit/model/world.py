"""The ground truth: a stochastic stream of events in the area of operations, and their indicators.

docs/ODD.md §2 (ground truth) and §4.9: the stream is drawn from its own generator, apart from every
behavioural stream, so replicate r of any configuration of the same scenario meets the same world (common
random numbers). It depends only on the sectors and event types of the scenario, on the horizon in days
and on the world seed: fit knobs, interventions and mechanism parameters never touch it.

Each event materializes at a time in [0, days), belongs to a sector, mandate line, PMESII domain and
horizon (p. 394: the FC needed current intelligence on "the threat along MINUSMA's main supply routes";
p. 393: ASIFU's long-term X-PMESII topics), has a severity, and emits indicators during its warning window
before it materializes. Indicators that would fall before day 0 are not emitted. Each event also carries a
uniform draw that decides, against the mitigation probability its warnings earned, whether it is
mitigated, so that outcome noise is common to all configurations too.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from missionfit.engine import pcg64
from missionfit.engine.jit import cached_njit
from missionfit.scenario.compiler import WorldTables, world_tables


class World(NamedTuple):
    """Events sorted by time, and indicators sorted by time."""

    time: np.ndarray
    sector: np.ndarray
    kind: np.ndarray
    line: np.ndarray
    domain: np.ndarray
    horizon: np.ndarray
    severity: np.ndarray
    outcome_draw: np.ndarray
    indicator_time: np.ndarray
    indicator_event: np.ndarray
    # the v2 information content (docs/design/v2-core.md §3; `missionfit.model.information`), None in a v1 world
    is_false: np.ndarray | None = None  # 1 for a false event (a rumour or deception): it never materializes
    facet_truth: np.ndarray | None = None  # [event, facet]: the true value (-1: a false event, or no such facet)
    prevention_draw: np.ndarray | None = None  # a posture prevents the event when this falls below its effect


def generate_world(
    sectors: list[dict], event_types: list[dict], days: int, rng: np.random.Generator, tables: WorldTables | None = None
) -> World:
    """Draw the events and indicators of one replicate from the world generator `rng`.

    The draws, in order: event counts per sector (Poisson, rate x days); per event its time (uniform over
    the horizon), type (by share), severity, outcome draw and warning window (uniform in their ranges); per
    indicator its lead before the event (uniform in the window). These are exactly the draws and values of
    the numpy formulation kept in `tests/test_world.py`; all but the counts are made in one compiled call
    from the same PCG64 stream (`missionfit.engine.pcg64`). `tables` (from `world_tables`) saves recomputing them.
    """
    tables = world_tables(sectors, event_types) if tables is None else tables
    counts = rng.poisson(tables.rates * days).astype(np.int64)
    return World(*_draw_world(counts, tables, float(days), pcg64.state_of(rng)))


# compiled through the engine's cache, keyed on the engine's source too: it inlines `pcg64.random`
@cached_njit()
def _draw_world(counts, tables, days, stream):
    n = int(counts.sum())
    sector = np.empty(n, np.int64)
    k = 0
    for sec in range(counts.size):
        for _ in range(counts[sec]):
            sector[k] = sec
            k += 1
    time = np.empty(n)
    for i in range(n):
        time[i] = 0.0 + days * pcg64.random(stream)
    kind = np.empty(n, np.int64)
    for i in range(n):
        kind[i] = np.searchsorted(tables.kind_cdf, pcg64.random(stream), side="right")
    severity = np.empty(n)
    for i in range(n):
        lo, hi = tables.severity_lo[kind[i]], tables.severity_hi[kind[i]]
        severity[i] = lo + (hi - lo) * pcg64.random(stream)
    outcome_draw = np.empty(n)
    for i in range(n):
        outcome_draw[i] = pcg64.random(stream)
    window = np.empty(n)
    for i in range(n):
        lo, hi = tables.warning_lo[kind[i]], tables.warning_hi[kind[i]]
        window[i] = lo + (hi - lo) * pcg64.random(stream)
    n_ind = 0
    for i in range(n):
        n_ind += tables.indicators[kind[i]]
    ind_event = np.empty(n_ind, np.int64)
    ind_time = np.empty(n_ind)
    k = 0
    for i in range(n):
        for _ in range(tables.indicators[kind[i]]):
            ind_event[k] = i
            k += 1
    for k in range(n_ind):
        ind_time[k] = time[ind_event[k]] - window[ind_event[k]] * pcg64.random(stream)

    order = stable_argsort(time, days)
    rank = np.empty(n, np.int64)
    for i in range(n):
        rank[order[i]] = i
    # indicators that would fall before day 0 are not emitted
    n_kept = 0
    for k in range(n_ind):
        if ind_time[k] >= 0.0:
            n_kept += 1
    kept_time = np.empty(n_kept)
    kept_event = np.empty(n_kept, np.int64)
    j = 0
    for k in range(n_ind):
        if ind_time[k] >= 0.0:
            kept_time[j] = ind_time[k]
            kept_event[j] = rank[ind_event[k]]
            j += 1
    ind_order = stable_argsort(kept_time, days)
    ev_kind = kind[order]
    return (
        time[order], sector[order], ev_kind, tables.line[ev_kind], tables.domain[ev_kind],
        tables.horizon[ev_kind], severity[order], outcome_draw[order], kept_time[ind_order],
        kept_event[ind_order],
    )


@cached_njit()
def stable_argsort(x: np.ndarray, span: float) -> np.ndarray:
    """`np.argsort(x, kind="stable")` for values spread over about [0, span), in linear expected time.

    A stable counting pass into `x.size` equal-width buckets, then a stable insertion pass that fixes the
    order inside buckets: the result is the unique order by (value, index), the same permutation as any
    stable sort (values must not be NaN; any value outside [0, span) is still placed correctly).
    """
    n = x.size
    scale = n / span if span > 0 else 0.0
    start = np.zeros(n + 1, np.int64)
    bucket = np.empty(n, np.int64)
    for i in range(n):
        b = min(max(int(x[i] * scale), 0), max(n - 1, 0))
        bucket[i] = b
        start[b + 1] += 1
    for b in range(n):
        start[b + 1] += start[b]
    order = np.empty(n, np.int64)
    for i in range(n):
        order[start[bucket[i]]] = i
        start[bucket[i]] += 1
    for k in range(1, n):
        v = order[k]
        j = k - 1
        while j >= 0 and x[order[j]] > x[v]:
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = v
    return order
