"""One replicate's compiled simulation: its world, the engine's inputs and state, and the behaviour key.

`Simulation` holds everything a replicate needs to run and be measured, and nothing of Mesa. The Mesa model
(`missionfit.model.mission.MissionModel`) is a `Simulation` that is also a `mesa.Model`, with the units as
agents, for the browser view and for users who step it. Batch runs (`run_replicate`, the runner, the API)
use `BatchSimulation`, which skips importing Mesa and building the agents: the engine never reads the
agents, so both give bit-identical results (tests/test_model.py checks it on every shipped scenario).
"""

from __future__ import annotations

import numpy as np

from missionfit import engine
from missionfit.engine.keyed import seed_key
from missionfit.model.information import generate_world_v2
from missionfit.model.world import World
from missionfit.scenario import CompiledScenario

#: Spawn keys of the two streams derived from (seed, replicate): the world and the behaviour.
WORLD_STREAM, BEHAVIOUR_STREAM = 0, 1


def replicate_seed_sequence(seed: int, replicate: int) -> np.random.SeedSequence:
    """The seed sequence of replicate `replicate` of an experiment seeded with `seed` (docs/ODD.md §4.9)."""
    return np.random.SeedSequence(entropy=int(seed), spawn_key=(int(replicate),))


def streams(seed: int, replicate: int) -> tuple[np.random.SeedSequence, np.random.SeedSequence]:
    """The world (ground truth) and behaviour seed sequences of one replicate, independent of each other."""
    return seed_sequence(seed, replicate, WORLD_STREAM), seed_sequence(seed, replicate, BEHAVIOUR_STREAM)


def seed_sequence(seed: int, replicate: int, which: int) -> np.random.SeedSequence:
    """One of the two seed sequences of `streams` (`WORLD_STREAM` or `BEHAVIOUR_STREAM`), built alone.

    It is the child `replicate_seed_sequence(seed, replicate).spawn(2)[which]`, built directly. A model
    needs each stream once, and a seed sequence costs about 17 us to build: building only the one needed
    halves that part of a replicate's construction.
    """
    return np.random.SeedSequence(entropy=int(seed), spawn_key=(int(replicate), which))


def check_days(days: object) -> int:
    """Return `days` as an int, or raise ValueError if it is not a positive integer."""
    if not isinstance(days, (int, np.integer)) or isinstance(days, bool) or days <= 0:
        raise ValueError(f"days must be a positive integer, got {days!r}")
    return int(days)


def make_static(sc: CompiledScenario, world: World) -> engine.Static:
    """Bundle the scenario's arrays and one world into the engine's read-only inputs."""
    a = sc.arrays
    if sc.engine_net is None:
        sc.engine_net = engine.pack_net(a, sc.mechanisms)
    net = engine.Net(
        **sc.engine_net,
        evi=np.array(
            [world.sector, world.line, world.domain, world.horizon, world.kind, world.is_false], dtype=np.int64
        ).reshape(engine.N_EVENT_INT_ROWS, -1),
        evf=np.array(
            [world.time, world.severity, world.outcome_draw, world.prevention_draw], dtype=np.float64
        ).reshape(engine.N_EVENT_FLOAT_ROWS, -1),
        truth=np.ascontiguousarray(world.facet_truth),
    )
    return engine.Static(
        net=net,
        cover_ptr=a["cover_ptr"],
        cover_prob=a["cover_prob"],
        cover_prob_tasked=a["cover_prob_tasked"],
        cover_slot=a["cover_slot"],
        cover_unit=a["cover_unit"],
        cover_available=a["cover_available"],
        cover_group=a["cover_group"],
        cover_key=a["cover_key"],
        unit_sector_ptr=a["unit_sector_ptr"],
        unit_sectors=a["unit_sectors"],
        unit_cell_group=a["unit_cell_group"],
        ind_time=world.indicator_time,
        ind_event=world.indicator_event,
        cover_yield_mask=a["cover_yield_mask"],
        cover_yield_prob=a["cover_yield_prob"],
        cover_error=a["cover_error"],
        escort_ptr=a["escort_ptr"],
        escort_entries=a["escort_entries"],
    )


class Simulation:
    """The compiled state of one replicate, and the fast path that runs it.

    Subclasses call `_set_up` once. Behaviour is drawn in compiled code from keyed uniforms
    (`missionfit.engine.keyed`, docs/ODD.md §4.9): a pure function of the replicate's behaviour seed
    (`behaviour_key`) and what each draw decides, so no generator state passes in or out of the engine.

    Attributes:
        mission: The compiled scenario being run (units, edges, mechanisms).
        world: The ground truth of this replicate, drawn from its own stream.
        behaviour_key: The replicate's behaviour seed (uint64[1]) that keys every behavioural draw.
        seed_value: The experiment seed.
        replicate: The replicate number.
        days: The horizon (the simulation may be advanced up to this many days).
        day: Days simulated so far.
        engine_static: The engine's read-only inputs.
        engine_state: The engine's mutable state.
    """

    def _set_up(
        self,
        scenario: CompiledScenario,
        seed: int,
        replicate: int,
        days: int,
        behaviour: np.random.SeedSequence | None = None,
    ) -> None:
        """Draw the world, derive the behaviour key and allocate the engine state.

        `behaviour` is the replicate's behaviour seed sequence if the caller built it already (the Mesa model seeds
        its own generator from it): a seed sequence is never changed by being read, and building one costs tens of
        microseconds.
        """
        self.mission = scenario
        self.seed_value = int(seed)
        self.replicate = int(replicate)
        self.days = int(days)
        if behaviour is None:
            behaviour = seed_sequence(seed, replicate, BEHAVIOUR_STREAM)
        # behaviour: keyed draws from the replicate's behaviour seed (`missionfit.engine.keyed`, issue 16 §4)
        self.behaviour_key = seed_key(behaviour)
        world_rng = np.random.default_rng(seed_sequence(seed, replicate, WORLD_STREAM))
        tables = scenario.arrays["world_tables"]
        self.world = generate_world_v2(scenario.sectors, scenario.event_types, self.days, world_rng, tables, tables)
        self.engine_static = make_static(scenario, self.world)
        n_indicators = self.world.indicator_time.size
        # a first guess of the busiest day, refined from the day records as the run goes
        self._max_daily = 64 + int(4 * n_indicators / self.days)
        # about two messages per indicator are typical; growth (a copy) is rare beyond that
        capacity = 4096 + 8 * scenario.n_units + 4 * n_indicators
        # the hash tables hold about one picture and one branch pair per two indicators (and fewer dyads), besides
        # the day's room `run_days` keeps; a table that fills up is rebuilt larger on its own (`engine.make_room`)
        tables = self._room() + n_indicators // 2
        self.engine_state = engine.new_state(
            self.engine_static, scenario.arrays["n_branches"], capacity, self.days, tables
        )
        self.day = 0

    def _room(self, days: int = 1) -> int:
        """Entries every store keeps free for `days` days: 3x the busiest day so far, plus a margin (`run_days`)."""
        return engine.HEADROOM_BUSIEST_DAYS * days * self._max_daily + engine.HEADROOM_MARGIN

    def _ensure_capacity(self, days: int = 1) -> None:
        """Grow the stores and hash tables ahead of need: room for `days` days at 3x the busiest day so far.

        The headroom (`engine.HEADROOM_*`) is the one `engine.run_days` keeps.
        """
        self.engine_state = engine.make_room(self.engine_state, self._room(days))

    def run(self, days: int | None = None) -> None:
        """Fast path for batch runs: simulate `days` more days (default: to the horizon) in compiled code.

        Equivalent to stepping day by day (same draws, same results), without the per-step overhead: one
        compiled call runs to the end unless the stores need to grow first (then it returns, the message
        stores are doubled or a hash table is rebuilt larger, and it goes on). `self.time` is set to the last
        simulated day (Mesa's clock, for the Mesa model).
        """
        last = self.days if days is None else min(self.days, self.day + int(days))
        while self.day < last:
            st = self.engine_state
            reached = engine.run_days(self.engine_static, st, self.behaviour_key, self.day, last, self._max_daily)
            if st.flow.counters[engine.C_OVERFLOW]:  # cannot happen with the margin kept; fail loudly
                raise RuntimeError("message capacity exceeded during a run; rerun with a larger margin")
            if reached > self.day:
                created = st.day_record[self.day : reached, engine.D_CREATED]
                self._max_daily = max(self._max_daily, int(created.max()))
                self.day = reached
            if self.day < last:
                self.engine_state = engine.make_room(st, self._room())
        self.time = float(self.day)

    def step_day(self) -> None:
        """Simulate one more day."""
        if self.day >= self.days:
            raise RuntimeError(f"the model was built for {self.days} days")
        self._ensure_capacity()
        counters = self.engine_state.flow.counters
        created = counters[engine.C_CREATED]
        ok = engine.step_day(self.engine_static, self.engine_state, self.behaviour_key, self.day)
        if not ok:  # cannot happen with the margin above; fail loudly rather than lose reports
            raise RuntimeError("message capacity exceeded during a day")
        self._max_daily = max(self._max_daily, int(self.engine_state.flow.counters[engine.C_CREATED] - created))
        self.day += 1


class BatchSimulation(Simulation):
    """A replicate without Mesa: the batch path of `run_replicate` (bit-identical to `MissionModel`).

    Args:
        scenario: A compiled scenario.
        seed: Experiment seed.
        replicate: Replicate number; with `seed` it fixes both random streams.
        days: Horizon in days.
    """

    def __init__(self, *, scenario: CompiledScenario, seed: int = 0, replicate: int = 0, days: int = 180):
        self._set_up(scenario, seed, replicate, check_days(days))
