"""Run replicates: the pure functions the experiment runner (and users' scripts) call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from missionfit.model.awareness import events_table
from missionfit.model.metrics import fc_latency_table, flows_table, replicate_metrics, timeseries_table
from missionfit.model.simulation import BatchSimulation, replicate_seed_sequence
from missionfit.model.trust import trust_table
from missionfit.scenario import CompiledScenario

__all__ = ["ReplicateResult", "run_replicate", "replicate_seed_sequence", "days_must_be_positive"]


@dataclass
class ReplicateResult:
    """What one replicate produced.

    Attributes:
        metrics: The contract's metrics (`goal_realization_by_line` and `fit_index` are nested dicts).
        timeseries: One row per day.
        flows: One row per compiled edge.
        fc_latency: One row per message delivered to the Force Commander.
        events: One row per event (`events.parquet` without `replicate`), or None when not asked for.
        trust: One row per interacting dyad (`trust.parquet` without `replicate`), or None when not asked for.
    """

    metrics: dict[str, Any]
    timeseries: pd.DataFrame
    flows: pd.DataFrame
    fc_latency: pd.DataFrame
    events: pd.DataFrame | None = None
    trust: pd.DataFrame | None = None


def days_must_be_positive(days: Any) -> int:
    """Return `days` as an int, or raise ValueError if it is not a positive integer."""
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise ValueError(f"sim.days = {days!r}: must be a positive integer")
    return days


def run_replicate(
    compiled: CompiledScenario, *, seed: int, replicate: int, days: int, events: bool = False, trust: bool = False
) -> ReplicateResult:
    """Run one replicate of a compiled scenario; a pure function of its arguments.

    It runs the engine without Mesa (`BatchSimulation`): the same draws and results as `MissionModel`, without
    importing Mesa or building the unit agents, which nothing in a batch run reads.
    """
    days = days_must_be_positive(days)
    model = BatchSimulation(scenario=compiled, seed=seed, replicate=replicate, days=days)
    model.run()
    return ReplicateResult(
        metrics=replicate_metrics(model),
        timeseries=timeseries_table(model),
        flows=flows_table(model),
        fc_latency=fc_latency_table(model),
        events=events_table(model) if events else None,
        trust=trust_table(model) if trust else None,
    )
