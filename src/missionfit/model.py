"""The Mesa model of a mission: units as agents, a ground-truth world, and one step per simulated day."""

from __future__ import annotations

import numpy as np

import mesa
from missionfit import engine
from missionfit.agents import Unit
from missionfit.scenario import CompiledScenario
from missionfit.world import World, generate_world

#: Spawn keys of the two streams derived from (seed, replicate): the world and the behaviour.
WORLD_STREAM, BEHAVIOUR_STREAM = 0, 1


def replicate_seed_sequence(seed: int, replicate: int) -> np.random.SeedSequence:
    """The seed sequence of replicate `replicate` of an experiment seeded with `seed` (MODEL.md §6)."""
    return np.random.SeedSequence(entropy=int(seed), spawn_key=(int(replicate),))


def streams(seed: int, replicate: int) -> tuple[np.random.SeedSequence, np.random.SeedSequence]:
    """The world (ground truth) and behaviour seed sequences of one replicate, independent of each other."""
    world, behaviour = replicate_seed_sequence(seed, replicate).spawn(2)
    return world, behaviour


def make_static(sc: CompiledScenario, world: World) -> engine.Static:
    """Bundle the scenario's arrays and one world into the engine's read-only inputs."""
    a = sc.arrays
    params = np.array([float(sc.mechanisms[name]) for name in engine.PARAM_NAMES])
    roles = np.array([a["fc"], a["asifu"], a["jmac"], a["rotation_period"]], dtype=np.int64)
    fields = {name: a[name] for name in engine.Static._fields if name in a}
    return engine.Static(
        **fields,
        trust_prior=sc.trust_prior,
        params=params,
        roles=roles,
        ev_time=world.time,
        ev_sector=world.sector,
        ev_line=world.line,
        ev_domain=world.domain,
        ev_horizon=world.horizon,
        ev_severity=world.severity,
        ev_draw=world.outcome_draw,
        ind_time=world.indicator_time,
        ind_event=world.indicator_event,
    )


class MissionModel(mesa.Model):
    """A mission over a rotation: one Mesa step is one day.

    Args:
        scenario: A compiled scenario (`missionfit.scenario.build_scenario` or `missionfit.library.load`).
        seed: Experiment seed.
        replicate: Replicate number; with `seed` it fixes both random streams.
        days: Horizon of the ground-truth stream (the model may be stepped up to this many days).

    The ground truth is drawn from its own stream at construction, so every configuration of the scenario
    meets the same world in replicate `replicate`; `self.rng` (and so every behavioural draw) comes from the
    behaviour stream.
    """

    def __init__(self, *, scenario: CompiledScenario, seed: int = 0, replicate: int = 0, days: int = 180):
        if not isinstance(days, (int, np.integer)) or isinstance(days, bool) or days <= 0:
            raise ValueError(f"days must be a positive integer, got {days!r}")
        world_seq, behaviour_seq = streams(seed, replicate)
        super().__init__(rng=np.random.default_rng(behaviour_seq))
        self.scenario = scenario
        self.seed_value = int(seed)
        self.replicate = int(replicate)
        self.days = int(days)
        self.world = generate_world(scenario.sectors, scenario.event_types, self.days, np.random.default_rng(world_seq))
        self.engine_static = make_static(scenario, self.world)
        capacity = max(4096, 64 * scenario.n_units + 8 * self.world.indicator_time.size)
        self.engine_state = engine.new_state(
            self.engine_static, scenario.n_units, scenario.arrays["n_branches"], capacity, self.days
        )
        self._max_daily = 1024
        self.units: list[Unit] = [Unit(self, i, spec) for i, spec in enumerate(scenario.units)]
        self.day = 0

    def unit(self, unit_id: str) -> Unit:
        """The agent of a unit id."""
        return self.units[self.scenario.index_of(unit_id)]

    def _ensure_capacity(self) -> None:
        """Grow message and queue storage ahead of need, so a day can never run out of room."""
        st = self.engine_state
        used = max(st.counters[engine.C_NMSG], st.counters[engine.C_NQUEUE], st.counters[engine.C_NPEND])
        while used + 4 * self._max_daily + 4096 > st.m_event.size:
            st = engine.grow_state(st)
        self.engine_state = st

    def step(self) -> None:
        """Simulate one day."""
        if self.day >= self.days:
            raise RuntimeError(f"the model was built for {self.days} days")
        self._ensure_capacity()
        created = self.engine_state.counters[engine.C_CREATED]
        ok = engine.step_day(self.engine_static, self.engine_state, self.rng, self.day)
        if not ok:  # cannot happen with the margin above; fail loudly rather than lose reports
            raise RuntimeError("message capacity exceeded during a day")
        self._max_daily = max(self._max_daily, int(self.engine_state.counters[engine.C_CREATED] - created))
        self.day += 1
