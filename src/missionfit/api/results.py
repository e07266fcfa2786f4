"""Run the replicates of a built scenario and gather what a run directory holds.

`run` is the one replicate loop of missionfit: `missionfit` (through `missionfit.runner.run.execute_run`)
calls it and writes its `Results` to the run directory, so a script gets the command's numbers.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from missionfit.analysis.stats import mean_ci95
from missionfit.contract import (
    CI_KEY,
    EVENTS,
    EVENTS_FILE,
    FC_LATENCY_FILE,
    FLOWS_FILE,
    REPLICATES_FILE,
    TIMESERIES_FILE,
    TRUST,
    TRUST_FILE,
    UNITS_FILE,
)
from missionfit.model.replicate import run_replicate
from missionfit.scenario.compiler import CompiledScenario

#: Edge columns of `flows.parquet` and the counters summed over replicates.
FLOW_KEYS = ("source", "target", "type")


@dataclass(frozen=True, eq=False)
class Results:
    """What a run produced: the contents of a run directory, as Python objects.

    Attributes:
        metrics: Means over replicates, their 95% intervals (`ci95`), `replicates` and `wall_seconds`, as
            `metrics.json`.
        replicates: One row per replicate: `replicate`, `seed` and every metric (nested ones dotted), as
            `replicates.parquet`.
        timeseries: One row per replicate and day, as `timeseries.parquet`.
        flows: One row per edge, counters summed over replicates, as `flows.parquet`.
        units: The units as run, as `units.parquet`.
        fc_latency: One row per replicate and message delivered to the Force Commander, as `fc_latency.parquet`.
        events: One row per replicate and event, as `events.parquet` (None when the run was asked for none).
        trust: One row per replicate and interacting dyad, as `trust.parquet` (None when the run was asked for none).
    """

    metrics: dict[str, Any]
    replicates: pd.DataFrame
    timeseries: pd.DataFrame
    flows: pd.DataFrame
    units: pd.DataFrame
    fc_latency: pd.DataFrame
    events: pd.DataFrame | None = None
    trust: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables by the name of their file in a run directory (`RUN_TABLES`, and the optional ones)."""
        out = {
            REPLICATES_FILE: self.replicates,
            TIMESERIES_FILE: self.timeseries,
            FLOWS_FILE: self.flows,
            UNITS_FILE: self.units,
            FC_LATENCY_FILE: self.fc_latency,
        }
        if self.events is not None:
            out[EVENTS_FILE] = self.events
        if self.trust is not None:
            out[TRUST_FILE] = self.trust
        return out


def flatten_metrics(metrics: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """Flatten nested metric dicts with dotted names (`fit_index.strategic`).

    Args:
        metrics: The metrics of one replicate.
        prefix: Prefix of the keys (used in recursion).

    Returns:
        A flat mapping of name to number.
    """
    flat: dict[str, float] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten_metrics(value, prefix=f"{name}."))
        else:
            flat[name] = value
    return flat


def summarize(metrics: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Means and 95% t-intervals over replicates, keeping the nesting of the metrics.

    Args:
        metrics: One metrics mapping per replicate (same keys).

    Returns:
        `(means, ci95)`; `ci95` mirrors `means` with `[low, high]` leaves (null with one replicate).
    """
    means: dict[str, Any] = {}
    cis: dict[str, Any] = {}
    first = metrics[0]
    for key, value in first.items():
        if isinstance(value, Mapping):
            means[key], cis[key] = summarize([m[key] for m in metrics])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            mean, low, high = mean_ci95([float(m[key]) for m in metrics])
            means[key] = mean
            cis[key] = [low, high]
    return means, cis


def _stack_replicates(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The replicates' tables one under the other, with a leading `replicate` column (0, 1, ...).

    The column is added once to the stack rather than to each replicate's table: per replicate it would
    cost pandas about as much as running the replicate's model.
    """
    stacked = pd.concat(frames, ignore_index=True)
    stacked.insert(0, "replicate", np.repeat(np.arange(len(frames)), [len(f) for f in frames]))
    return stacked


def _sum_flows(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Each edge's counters summed over the replicates, with the number of replicates."""
    flows_all = pd.concat(frames, ignore_index=True)
    counts = [c for c in flows_all.columns if c not in FLOW_KEYS]
    flows_sum = flows_all.groupby(list(FLOW_KEYS), sort=True, dropna=False)[counts].sum().reset_index()
    flows_sum["replicates"] = len(frames)
    return flows_sum


def run(
    scenario: CompiledScenario,
    replicates: int,
    seed: int = 0,
    days: int | None = None,
    *,
    progress: bool = False,
    label: str = "replicates",
    events: bool = True,
    trust: bool = True,
) -> Results:
    """Run replicates 0, 1, ... of a built scenario, as `missionfit` does.

    Replicate r uses the seed sequence `SeedSequence(seed, spawn_key=(r,))`, so the same scenario, seed and
    days give the numbers of `missionfit seed=<seed> sim.days=<days> sim.replicates=<replicates>`, and every
    scenario shares replicate r's ground truth (common random numbers).

    Args:
        scenario: A scenario from `build`.
        replicates: Number of replicates, at least 1.
        seed: Experiment seed.
        days: Days simulated per replicate, at least 1; `None`: the scenario's default run length
            (`CompiledScenario.days`: its `days:` key, else 180 days, one rotation; `minusma_2014` 365).
        progress: Show a progress bar over the replicates on stderr.
        label: The progress bar's label.
        events: Also return the per-event table (`Results.events`, `events.parquet`); designs turn it off.
        trust: Also return the per-dyad trust table (`Results.trust`, `trust.parquet`); designs turn it off.

    Returns:
        The metrics and tables of the run directory `missionfit` would write.

    Raises:
        ValueError: `replicates` or `days` is not a positive integer.
    """
    if days is None:
        days = scenario.days
    for key, value in (("replicates", replicates), ("days", days)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{key} = {value!r}: must be a positive integer")
    seed, n_rep, days = int(seed), int(replicates), int(days)
    tic = time.perf_counter()
    per_rep: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    series: list[pd.DataFrame] = []
    flows: list[pd.DataFrame] = []
    latency: list[pd.DataFrame] = []
    event_rows: list[pd.DataFrame] = []
    trust_rows: list[pd.DataFrame] = []
    bar = tqdm(
        range(n_rep), desc=label, unit="rep", file=sys.stderr, disable=not progress, leave=False, dynamic_ncols=True
    )
    for r in bar:
        res = run_replicate(scenario, seed=seed, replicate=r, days=days, events=events, trust=trust)
        per_rep.append(res.metrics)
        rows.append({"replicate": r, "seed": seed, **flatten_metrics(res.metrics)})
        series.append(res.timeseries)
        flows.append(res.flows)
        latency.append(res.fc_latency)
        if res.events is not None:
            event_rows.append(res.events.assign(replicate=r))
        if res.trust is not None:
            trust_rows.append(res.trust.assign(replicate=r))
    bar.close()
    means, cis = summarize(per_rep)
    return Results(
        metrics={**means, CI_KEY: cis, "replicates": n_rep, "wall_seconds": time.perf_counter() - tic},
        replicates=pd.DataFrame(rows),
        timeseries=_stack_replicates(series),
        flows=_sum_flows(flows),
        units=scenario.units_table(),
        fc_latency=_stack_replicates(latency),
        events=(
            pd.concat(event_rows, ignore_index=True)[list(EVENTS.names)] if events and event_rows else None
        ),
        trust=pd.concat(trust_rows, ignore_index=True)[list(TRUST.names)] if trust and trust_rows else None,
    )
