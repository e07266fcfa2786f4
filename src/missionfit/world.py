"""The ground truth: a stochastic stream of events in the area of operations, and their indicators.

MODEL.md §2 (ground truth) and §6: the stream is drawn from its own generator, apart from every
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

import numba
import numpy as np

from missionfit.compile import DOMAIN_CODE, HORIZON_CODE, LINE_CODE


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


def generate_world(sectors: list[dict], event_types: list[dict], days: int, rng: np.random.Generator) -> World:
    """Draw the events and indicators of one replicate from the world generator `rng`."""
    rates = np.array([float(s["event_rate"]) for s in sectors])
    counts = rng.poisson(rates * days)
    sector = np.repeat(np.arange(len(sectors)), counts)
    n = int(sector.size)
    time = rng.uniform(0.0, float(days), size=n)
    shares = np.array([float(t["share"]) for t in event_types])
    kind = rng.choice(len(event_types), size=n, p=shares / shares.sum())
    lo = np.array([t["severity"][0] for t in event_types], dtype=float)[kind]
    hi = np.array([t["severity"][1] for t in event_types], dtype=float)[kind]
    severity = lo + (hi - lo) * rng.random(n)
    outcome_draw = rng.random(n)
    w_lo = np.array([t["warning_days"][0] for t in event_types], dtype=float)[kind]
    w_hi = np.array([t["warning_days"][1] for t in event_types], dtype=float)[kind]
    window = w_lo + (w_hi - w_lo) * rng.random(n)
    n_ind = np.array([int(t["indicators"]) for t in event_types])[kind]
    ind_event = np.repeat(np.arange(n), n_ind)
    ind_time = time[ind_event] - window[ind_event] * rng.random(ind_event.size)

    order = stable_argsort(time, float(days))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    keep = ind_time >= 0.0
    ind_time, ind_event = ind_time[keep], rank[ind_event[keep]]
    ind_order = stable_argsort(ind_time, float(days))
    line = np.array([LINE_CODE[t["line"]] for t in event_types], dtype=np.int64)[kind]
    domain = np.array([DOMAIN_CODE[t["domain"]] for t in event_types], dtype=np.int64)[kind]
    horizon = np.array([HORIZON_CODE[t["horizon"]] for t in event_types], dtype=np.int64)[kind]
    return World(
        time=time[order],
        sector=sector[order].astype(np.int64),
        kind=kind[order].astype(np.int64),
        line=line[order],
        domain=domain[order],
        horizon=horizon[order],
        severity=severity[order],
        outcome_draw=outcome_draw[order],
        indicator_time=ind_time[ind_order],
        indicator_event=ind_event[ind_order].astype(np.int64),
    )


@numba.njit(cache=True)
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
