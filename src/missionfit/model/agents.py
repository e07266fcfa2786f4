"""The units of a mission as Mesa agents.

One agent per organizational unit (docs/ODD.md §2). An agent carries the unit's identity and every attribute
as resolved from the scenario (after interventions and fit knobs), and exposes its live state (trust,
reports, open tasks) from the model's engine. The engine (`missionfit.engine`) runs the daily processes of
all units at once for speed; the agents remain the units the model is made of, what the browser view and
users' analyses look at.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from missionfit import engine
from missionfit.model.trust import trust_of


class _FromSpec:
    """A read-only attribute of a unit, read from its resolved spec when asked for.

    Building 100+ agents per replicate is part of every replicate's cost (docs/performance.md); reading
    the attributes on demand keeps construction to Mesa's registration plus three assignments.
    """

    def __init__(self, doc: str):
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = name  # the attribute is the spec key of the same name

    def __get__(self, unit: Unit | None, owner: type | None = None) -> Any:
        if unit is None:
            return self
        return unit.spec[self.key]


class Unit(mesa.Agent):
    """An organizational unit: a battalion, an S2/G2/U2 cell, ASIFU, JMAC, a sector HQ, a board, ...

    Attributes:
        index: Position of the unit in the engine's arrays.
        unit_id: The scenario's id of the unit (Mesa's `unique_id` is assigned automatically).
        spec: The resolved attributes (see `missionfit.scenario.schema.UnitSpec`); each is also a read-only
            attribute of the agent (`unit.tech_level`, `unit.rivals`, ...). They describe the unit as the
            engine runs it, so they are read, not set: change the scenario to change a unit.
    """

    name = _FromSpec(doc="Display name.")
    kind = _FromSpec(doc="Unit kind (battalion, s2, u2, asifu, jmac, ...).")
    component = _FromSpec(doc="Military, police or civilian component, or humanitarian.")
    contributor = _FromSpec(doc="Contributing country or organization.")
    group = _FromSpec(doc="Cultural group (the trust priors are per group pair).")
    location = _FromSpec(doc="Deployment location, if any.")
    sector = _FromSpec(doc="Sector, if any.")
    tech_level = _FromSpec(doc="Technology level in [0, 1].")
    security_level = _FromSpec(doc="Highest classification the unit may hold.")
    procedures = _FromSpec(doc="Reporting procedures it follows (e.g. nato, un).")
    analysts = _FromSpec(doc="Fusion capacity: items analysed per day (0: not a fusion branch).")
    reporting_culture = _FromSpec(doc="Probabilities of reporting proactively and on request.")
    report_writing = _FromSpec(doc="Report-writing skill in [0, 1].")
    languages = _FromSpec(doc="Working languages.")
    local_knowledge = _FromSpec(doc="Local knowledge in [0, 1].")
    trust_threshold = _FromSpec(doc="Trust needed before it shares.")
    focus = _FromSpec(doc="Horizon and PMESII domains of its interest.")
    mandate_fidelity = _FromSpec(doc="Share of effort spent on the mandated tasks.")
    rivals = _FromSpec(doc="Units it is in rivalry with.")
    consumer = _FromSpec(doc="Mandate lines, horizons and lead time, if it decides on intelligence.")

    def __init__(self, model: mesa.Model, index: int, spec: dict[str, Any]):
        super().__init__(model)
        self.index = index
        self.unit_id: str = spec["id"]
        self.spec = spec

    @property
    def strength(self) -> int:
        """Personnel strength (0 if unknown)."""
        return int(self.spec["strength"] or 0)

    @property
    def is_branch(self) -> bool:
        """Whether the unit fuses reports into assessments (it has analysts)."""
        return self.analysts > 0

    @property
    def is_consumer(self) -> bool:
        """Whether the unit is a decision-maker for some mandate line."""
        return bool(self.consumer and self.consumer["lines"])

    def competence_in(self, other: Unit) -> float:
        """This unit's current trust in `other`'s competence (the prior if they have not interacted)."""
        return trust_of(self.model, self.index, other.index)[0]

    def goodwill_in(self, other: Unit) -> float:
        """This unit's current trust in `other`'s goodwill (the prior if they have not interacted)."""
        return trust_of(self.model, self.index, other.index)[1]

    def trust_in(self, other: Unit) -> float:
        """This unit's current trust in `other`: the mean of its two components (as `mean_trust`)."""
        competence, goodwill = trust_of(self.model, self.index, other.index)
        return 0.5 * (competence + goodwill)

    @property
    def mean_trust_received(self) -> float:
        """Mean trust (both components) the units that interacted with this unit place in it now; NaN if none."""
        fl = self.model.engine_state.flow
        n = int(fl.counters[engine.C_NDYAD])
        mine = fl.dy_i[engine.DY_TRUSTEE, :n] == self.index
        if not mine.any():
            return float("nan")
        both = fl.dy_f[engine.DY_COMPETENCE, :n][mine] + fl.dy_f[engine.DY_GOODWILL, :n][mine]
        return float(0.5 * both.mean())

    @property
    def reports_sent(self) -> int:
        """Hops this unit attempted so far (messages it passed to others)."""
        counts = self.model.engine_state.flow.edge_counts
        return int(counts[self.model.engine_static.net.ei[engine.E_SRC] == self.index, engine.EC_HOPS].sum())

    @property
    def reports_received(self) -> int:
        """Messages that crossed an edge into this unit so far."""
        counts = self.model.engine_state.flow.edge_counts
        return int(counts[self.model.engine_static.net.ei[engine.E_DST] == self.index, engine.EC_DELIVERED].sum())

    @property
    def open_tasks(self) -> int:
        """Collection tasks currently open on this unit."""
        expiry = self.model.engine_state.task_expiry[self.index]
        return int(np.sum(expiry >= self.model.time))
