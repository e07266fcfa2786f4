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
from missionfit.scenario.information import WorldTables, world_tables


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


#: numpy's bound on a Poisson mean (`numpy.random._common.POISSON_LAM_MAX`): larger means raise ValueError.
POISSON_LAM_MAX = float(np.iinfo(np.int64).max - np.sqrt(np.iinfo(np.int64).max) * 10)
#: The constants of numpy's log-gamma series (`random_loggam`, after Zhang & Jin 1996).
_LOGGAM_SERIES = np.array([
    8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
    8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
    1.796443723688307e-01, -1.39243221690590e+00,
])  # fmt: skip


# Poisson counts drawn in compiled code, so that a whole world is one compiled call. They are numpy's
# `Generator.poisson` draw for draw (`random_poisson` in numpy/random/src/distributions/distributions.c: the
# same branches, operations and order, hence the same doubles), tests/test_world.py checks it against numpy.
# error_model="numpy": numpy's C divides by `us` = 0 (a 2**-53 event) and rejects the draw; no ZeroDivisionError.
@cached_njit(error_model="numpy")
def _loggam(x: float) -> float:
    """Log Γ(x) as numpy's `random_loggam` computes it, for the rejection test of `poisson`."""
    x0 = x
    n = 0
    if x == 1.0 or x == 2.0:
        return 0.0
    elif x <= 7.0:
        n = int(7 - x)
        x0 = x + n
    x2 = 1.0 / (x0 * x0)
    xp = 2 * np.pi
    gl0 = _LOGGAM_SERIES[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += _LOGGAM_SERIES[k]
    gl = gl0 / x0 + 0.5 * np.log(xp) + (x0 - 0.5) * np.log(x0) - x0
    if x <= 7.0:
        for _ in range(n):
            gl -= np.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@cached_njit(error_model="numpy")
def poisson(lam: float, stream: np.ndarray) -> int:
    """One draw of `Generator.poisson(lam)` from the PCG64 `stream` (advanced): numpy's `random_poisson`."""
    if lam >= 10:  # Hörmann's transformed rejection (PTRS), 1993
        slam = np.sqrt(lam)
        loglam = np.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = pcg64.random(stream) - 0.5
            v = pcg64.random(stream)
            us = 0.5 - np.fabs(u)
            k = np.int64(np.floor((2 * a / us + b) * u + lam + 0.43))
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            log_ratio = np.log(v) + np.log(invalpha) - np.log(a / (us * us) + b)
            if log_ratio <= (-lam + k * loglam - _loggam(float(k + 1))):
                return k
    if lam == 0:
        return 0
    enlam = np.exp(-lam)  # multiplication of uniforms
    x = 0
    prod = 1.0
    while True:
        prod *= pcg64.random(stream)
        if prod > enlam:
            x += 1
        else:
            return x


@cached_njit(error_model="numpy")
def poisson_counts(lam: np.ndarray, stream: np.ndarray) -> np.ndarray:
    """`Generator.poisson(lam).astype(np.int64)` for a 1-d `lam`, from `stream`; ValueError where numpy raises."""
    for i in range(lam.size):  # all checked before any draw, as numpy does
        if lam[i] < 0.0:
            raise ValueError("lam < 0 or lam contains NaNs")
        if not lam[i] <= POISSON_LAM_MAX:  # (NaN too, as numpy's check lets it through to this one)
            raise ValueError("lam value too large")
    counts = np.empty(lam.size, np.int64)
    for i in range(lam.size):
        counts[i] = poisson(lam[i], stream)
    return counts


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
