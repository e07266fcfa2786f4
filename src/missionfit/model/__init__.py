"""The model of a mission: the ground-truth world, the compiled simulation, metrics, and one replicate's run.

`Simulation` (`missionfit.model.simulation`) draws a replicate's world from its own stream and runs the
compiled engine (`missionfit.engine`); `MissionModel` (`missionfit.model.mission`) is the same simulation as a
Mesa model, with the units as Mesa agents (`missionfit.model.agents`), for the browser view and for stepping by
hand. `missionfit.model.metrics` turns a finished simulation into the contract's metrics and tables, and
`run_replicate` (`missionfit.model.replicate`) does both as one pure function, without Mesa (bit-identical).

`MissionModel` and `Unit` load Mesa on first use, so that batch runs never import it.
"""

from typing import Any

from missionfit.model.metrics import fc_latency_table, flows_table, replicate_metrics, timeseries_table
from missionfit.model.replicate import ReplicateResult, days_must_be_positive, run_replicate
from missionfit.model.simulation import BatchSimulation, Simulation, replicate_seed_sequence, streams
from missionfit.model.world import World, generate_world

__all__ = [
    "BatchSimulation",
    "MissionModel",
    "ReplicateResult",
    "Simulation",
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


def __getattr__(name: str) -> Any:
    """Load the Mesa classes on first use (`missionfit.model.MissionModel`, `missionfit.model.Unit`)."""
    if name == "MissionModel":
        from missionfit.model.mission import MissionModel

        return MissionModel
    if name == "Unit":
        from missionfit.model.agents import Unit

        return Unit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
