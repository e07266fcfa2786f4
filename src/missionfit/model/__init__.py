"""The Mesa model of a mission: units as agents, the ground-truth world, metrics, and one replicate's run.

`MissionModel` (`missionfit.model.mission`) builds a replicate's world from its own stream, the units as
Mesa agents (`missionfit.model.agents`), and runs the compiled engine (`missionfit.engine`) day by day;
`missionfit.model.metrics` turns a finished model into the contract's metrics and tables, and
`run_replicate` (`missionfit.model.replicate`) does both as one pure function.
"""

from missionfit.model.agents import Unit
from missionfit.model.metrics import fc_latency_table, flows_table, replicate_metrics, timeseries_table
from missionfit.model.mission import MissionModel, replicate_seed_sequence, streams
from missionfit.model.replicate import ReplicateResult, days_must_be_positive, run_replicate
from missionfit.model.world import World, generate_world

__all__ = [
    "MissionModel",
    "ReplicateResult",
    "Unit",
    "World",
    "days_must_be_positive",
    "fc_latency_table",
    "flows_table",
    "generate_world",
    "replicate_metrics",
    "replicate_seed_sequence",
    "run_replicate",
    "streams",
    "timeseries_table",
]
