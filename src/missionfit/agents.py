"""The units of a mission as Mesa agents.

One agent per organizational unit (MODEL.md §2). An agent carries the unit's identity and every attribute
as resolved from the scenario (after interventions and fit knobs), and exposes its live state (trust,
reports, open tasks) from the model's engine. The engine (`missionfit.engine`) runs the daily processes of
all units at once for speed; the agents remain the units the model is made of, what the browser view and
users' analyses look at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from missionfit import engine

if TYPE_CHECKING:
    from missionfit.model import MissionModel


class Unit(mesa.Agent):
    """An organizational unit: a battalion, an S2/G2/U2 cell, ASIFU, JMAC, a sector HQ, a board, ...

    Attributes:
        index: Position of the unit in the engine's arrays.
        unit_id: The scenario's id of the unit (Mesa's `unique_id` is assigned automatically).
        spec: The resolved attributes (see `missionfit.schema.UnitSpec`).
    """

    def __init__(self, model: MissionModel, index: int, spec: dict[str, Any]):
        super().__init__(model)
        self.index = index
        self.unit_id: str = spec["id"]
        self.spec = spec
        self.name: str = spec["name"]
        self.kind: str = spec["kind"]
        self.component: str = spec["component"]
        self.contributor: str = spec["contributor"]
        self.group: str = spec["group"]
        self.location: str | None = spec["location"]
        self.sector: str | None = spec["sector"]
        self.strength: int = int(spec["strength"] or 0)
        self.tech_level: float = spec["tech_level"]
        self.security_level: int = spec["security_level"]
        self.procedures: str = spec["procedures"]
        self.analysts: float = spec["analysts"]
        self.reporting_culture: dict[str, float] = spec["reporting_culture"]
        self.report_writing: float = spec["report_writing"]
        self.languages: list[str] = spec["languages"]
        self.local_knowledge: float = spec["local_knowledge"]
        self.trust_threshold: float = spec["trust_threshold"]
        self.focus: dict[str, Any] = spec["focus"]
        self.mandate_fidelity: float = spec["mandate_fidelity"]
        self.rivals: list[str] = spec["rivals"]
        self.consumer: dict[str, Any] | None = spec["consumer"]

    @property
    def is_branch(self) -> bool:
        """Whether the unit fuses reports into assessments (it has analysts)."""
        return self.analysts > 0

    @property
    def is_consumer(self) -> bool:
        """Whether the unit is a decision-maker for some mandate line."""
        return bool(self.consumer and self.consumer["lines"])

    def trust_in(self, other: Unit) -> float:
        """This unit's current trust in `other`."""
        return float(self.model.engine_state.flow.trust[self.index, other.index])

    @property
    def mean_trust_received(self) -> float:
        """Mean trust the other units currently place in this unit."""
        trust = self.model.engine_state.flow.trust[:, self.index]
        return float((trust.sum() - trust[self.index]) / max(1, trust.size - 1))

    @property
    def reports_sent(self) -> int:
        """Hops this unit attempted so far (messages it passed to others)."""
        counts = self.model.engine_state.flow.edge_counts
        return int(counts[self.model.engine_static.net.ei[engine.E_SRC] == self.index, 0].sum())

    @property
    def reports_received(self) -> int:
        """Messages that crossed an edge into this unit so far."""
        counts = self.model.engine_state.flow.edge_counts
        return int(counts[self.model.engine_static.net.ei[engine.E_DST] == self.index, 1].sum())

    @property
    def open_tasks(self) -> int:
        """Collection tasks currently open on this unit."""
        expiry = self.model.engine_state.task_expiry[self.index]
        return int(np.sum(expiry >= self.model.time))
