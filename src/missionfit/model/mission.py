"""The Mesa model of a mission: units as agents, a ground-truth world, and one step per simulated day."""

from __future__ import annotations

import mesa
import numpy as np

from missionfit.model.agents import Unit
from missionfit.model.simulation import BEHAVIOUR_STREAM, Simulation, check_days, seed_sequence
from missionfit.scenario import CompiledScenario


class MissionModel(Simulation, mesa.Model):
    """A mission over a rotation: one Mesa step is one day.

    Args:
        scenario: A compiled scenario (`missionfit.scenario.build_scenario` or `missionfit.scenario.load`).
        seed: Experiment seed.
        replicate: Replicate number; with `seed` it fixes both random streams.
        days: Horizon of the ground-truth stream (the model may be stepped up to this many days).

    Attributes:
        mission: The compiled scenario being run (units, edges, mechanisms).
        units: The unit agents, in the engine's index order.
        world: The ground truth of this replicate.

    The ground truth is drawn from its own stream at construction, so every configuration of the scenario
    meets the same world in replicate `replicate`; every behavioural draw is keyed by the replicate's behaviour
    seed (`missionfit.engine.keyed`). `self.rng`, Mesa's generator, is seeded from the same behaviour seed
    sequence for users' own code; the engine never draws from it.
    """

    def __init__(self, *, scenario: CompiledScenario, seed: int = 0, replicate: int = 0, days: int = 180):
        days = check_days(days)
        behaviour = seed_sequence(seed, replicate, BEHAVIOUR_STREAM)
        mesa.Model.__init__(self, rng=np.random.default_rng(behaviour))
        self._set_up(scenario, seed, replicate, days, behaviour)
        self.units: list[Unit] = [Unit(self, i, spec) for i, spec in enumerate(scenario.units)]

    def unit(self, unit_id: str) -> Unit:
        """The agent of a unit id."""
        return self.units[self.mission.index_of(unit_id)]

    def step(self) -> None:
        """Simulate one day (Mesa calls this once per unit of its clock: `model.step()`, `run_for`, `run_until`).

        Days that `run` simulated in bulk are skipped. Mesa 3.5 queues one step event per unit of time from its
        construction on, and `run` does not fire them (it would cost a Python call per day); so when the clock
        next advances, the events of those days come due first and must do nothing. Event number `self.steps`
        stands for day `self.steps - 1`: it was already simulated when `self.day` is past it.
        """
        if self.day >= self.steps:
            return
        self.step_day()
