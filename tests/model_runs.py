"""Cached model runs shared by the model tests (a plain module, not a test file).

Each test process builds a configuration once and runs each (configuration, replicate) once: the pattern,
intervention, model and performance tests ask for the same baseline runs again and again.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from missionfit import engine as E
from missionfit.model.replicate import run_replicate
from missionfit.scenario.loading import load

FIT_KEYS = ("strategic", "cultural", "operational")


@cache
def compiled(
    name: str,
    interventions: tuple[str, ...] = (),
    fit: tuple[float, float, float] = (0.0, 0.0, 0.0),
    mechanisms: tuple[tuple[str, float], ...] = (),
    n_units: int | None = None,
):
    """A compiled scenario (cached)."""
    overrides = {"n_units": n_units} if n_units else None
    return load(
        name,
        interventions=interventions,
        fit=dict(zip(FIT_KEYS, fit, strict=True)),
        mechanisms=dict(mechanisms),
        overrides=overrides,
    )


@cache
def runs(
    name: str,
    interventions: tuple[str, ...] = (),
    fit: tuple[float, float, float] = (0.0, 0.0, 0.0),
    replicates: int = 8,
    days: int | None = None,
    seed: int = 0,
    mechanisms: tuple[tuple[str, float], ...] = (),
) -> tuple[dict, ...]:
    """Metrics of `replicates` replicates (cached across tests); `days=None`: the scenario's default run length."""
    sc = compiled(name, interventions, fit, mechanisms)
    days = sc.days if days is None else days
    return tuple(run_replicate(sc, seed=seed, replicate=r, days=days).metrics for r in range(replicates))


@cache
def outputs(
    name: str, interventions: tuple[str, ...] = (), replicates: int = 8, days: int | None = None, seed: int = 0
):
    """Whole replicate results (metrics and the run directory's tables: flows, timeseries, fc_latency, ...)."""
    sc = compiled(name, interventions)
    days = sc.days if days is None else days
    return tuple(run_replicate(sc, seed=seed, replicate=r, days=days) for r in range(replicates))


@cache
def received_values(
    name: str,
    interventions: tuple[str, ...],
    origin: str,
    measure: str = "accuracy_received",
    replicates: int = 8,
    days: int | None = None,
    seed: int = 0,
) -> np.ndarray:
    """How good the reports of the units `origin` selects are (`missionfit.model.received`), per replicate (cached).

    `origin` is a target's selector as JSON (a unit id, a list of ids, or a mapping), so that it can be a cache key.
    """
    import json

    from missionfit.model.received import received
    from missionfit.model.simulation import BatchSimulation
    from missionfit.scenario.targets import selected_units

    sc = compiled(name, interventions)
    days = sc.days if days is None else days
    origins = selected_units(sc.units, json.loads(origin))
    out = []
    for r in range(replicates):
        model = BatchSimulation(scenario=sc, seed=seed, replicate=r, days=days)
        model.run()
        out.append(received(model, origins, measure))
    return np.asarray(out)


def values(metrics: tuple[dict, ...], key: str) -> np.ndarray:
    """One metric across replicates (dotted keys reach into nested dicts)."""
    out = []
    for m in metrics:
        v = m
        for part in key.split("."):
            v = v[part]
        out.append(v)
    return np.asarray(out, dtype=float)


def paired_diff(a: tuple[dict, ...], b: tuple[dict, ...], key: str) -> tuple[float, float]:
    """Mean paired difference b - a and its standard error (common random numbers make pairs)."""
    d = values(b, key) - values(a, key)
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(d.size))


def trust_state(model) -> np.ndarray:
    """Every interacting dyad's pair, interactions and two components (now and prior), as one float array."""
    fl = model.engine_state.flow
    n = int(fl.counters[E.C_NDYAD])
    return np.concatenate([fl.dy_i[:, :n].astype(float).ravel(), fl.dy_f[:, :n].ravel()])
