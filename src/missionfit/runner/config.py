"""Typed root config of the `missionfit` app, registered in Hydra's ConfigStore.

`configs/config.yaml` lists `missionfit_schema` first in its defaults, so every value composed on top of it —
the scenario file, the intervention files, experiments and command-line overrides — is checked against these
dataclasses when the config is loaded: a wrong type or an unknown key fails at composition. Range checks
(days, replicates, fit knobs) are done by `missionfit.runner.validate`; scenario ranges and references by
`missionfit.scenario.build_scenario`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from hydra.core.config_store import ConfigStore

from missionfit.scenario.schema import (
    FitSpec,
    InterventionSpec,
    MechanismSpec,
    ScenarioSpec,
    SimSpec,
)

#: Scenario lists whose elements are validated by `missionfit.runner.validate.check_entries` instead of
#: OmegaConf: a typed merge of MINUSMA's ~100 units and ~250 edges costs ~0.7 s per composition (every sweep
#: job composes), an untyped one ~0.2 s. Everything else in a scenario file is typed by Hydra at load.
FAST_LISTS = ("units", "edges")

_PARTIAL: dict[type, type] = {}


def _without_none(tp: Any) -> Any:
    """`T` for an annotation `T | None`, else the annotation itself."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _partial(cls: type, name: str | None = None) -> type:
    """`cls` with every field optional and unset (`None`), recursively through nested dataclasses and lists of them.

    A scenario file may `extends:` others (`missionfit.scenario.loading.compose_scenario`), so what Hydra composes
    from it is only part of the scenario: a field the file does not set must stay unset, not take the schema's
    default, or it would override the value of the file it extends. Types are still checked at load.
    """
    if name is None and cls in _PARTIAL:
        return _PARTIAL[cls]
    hints = typing.get_type_hints(cls)
    fields = []
    for f in dataclasses.fields(cls):
        tp = _without_none(hints[f.name])
        item = (typing.get_args(tp) or (None,))[0] if typing.get_origin(tp) is list else None
        if name is not None and f.name in FAST_LISTS:
            fields.append((f.name, list[dict[str, Any]] | None, field(default=None)))
        elif dataclasses.is_dataclass(tp):
            # a node, not None, so that `scenario.trust.default=0.3` can set one key of it
            fields.append((f.name, _partial(tp), field(default_factory=_partial(tp))))
        elif dataclasses.is_dataclass(item):
            fields.append((f.name, list[_partial(item)] | None, field(default=None)))
        else:
            fields.append((f.name, tp | None, field(default=None)))
    node = dataclasses.make_dataclass(name or f"Partial{cls.__name__}", fields, module=__name__)
    node.__doc__ = f"`{cls.__module__}.{cls.__name__}` with every field unset unless a config file sets it."
    if name is None:
        _PARTIAL[cls] = node
    # a module attribute, so that pickle finds the class by name in another process (submitit and Ray send the
    # composed config to their workers; this module builds the same classes there on import)
    globals()[node.__name__] = node
    return node


def _scenario_node() -> type:
    """ScenarioSpec as Hydra composes it: every field unset unless a file sets it; units and edges untyped."""
    node = _partial(ScenarioSpec, "ScenarioNode")
    node.__doc__ = (
        "`missionfit.scenario.schema.ScenarioSpec` as composed by Hydra: fields a scenario file leaves out stay "
        "unset (`None`, inherited through `extends:`); units and edges are checked apart (`check_entries`)."
    )
    return node


ScenarioNode = _scenario_node()


@dataclass
class DesignSpec:
    """An experimental design evaluated as a Hydra sweep by the `missionfit` sweeper.

    Attributes:
        method: none (plain grid sweep from the command line), grid, lhs, sobol or morris.
        params: Design parameters, a dotted config key -> [low, high] (e.g. `fit.cultural: [0, 1]`).
        n: Points of a Latin hypercube; base samples of Sobol (Saltelli) and trajectories of Morris.
        levels: Levels per parameter of a full-factorial grid; grid levels of Morris.
        seed: Seed of the sampler (kept apart from the simulation seeds).
        batch_size: Design points evaluated by one Hydra job (amortizes the per-job overhead).
        batch: Set by the sweeper on each job when `batch_size` > 1: the batch to evaluate.
        point: Set by the sweeper on each job when `batch_size` = 1: the design point's index.
    """

    method: str = "none"
    params: dict[str, list[float]] = field(default_factory=dict)
    n: int = 16
    levels: int = 5
    seed: int = 0
    batch_size: int = 1
    batch: int | None = None
    point: int | None = None


@dataclass
class SensitivitySpec:
    """Global sensitivity analysis of a design sweep (SALib).

    Attributes:
        method: sobol (Saltelli sampling, Sobol indices) or morris (elementary effects).
        n: Base samples (Sobol) or trajectories (Morris).
        second_order: Also sample for second-order Sobol indices (costs n·(2D+2) instead of n·(D+2) points).
        num_levels: Grid levels of Morris.
        metrics: Metrics to analyse; empty = every scalar metric.
        seed: Seed of the bootstrap confidence intervals.
    """

    method: str = "sobol"
    n: int = 32
    second_order: bool = False
    num_levels: int = 4
    metrics: list[str] = field(default_factory=list)
    seed: int = 0


@dataclass
class ComparisonSpec:
    """Paired counterfactual comparison at the end of a sweep over `interventions`.

    Attributes:
        baseline: Arm label of the baseline (the job with `interventions=[]`).
        all_label: Arm label of the job combining every intervention of the sweep.
    """

    baseline: str = "baseline"
    all_label: str = "all"


@dataclass
class MissionfitConfig:
    """The root config: one scenario, its interventions, fit knobs, mechanisms and the run settings."""

    scenario: ScenarioNode = field(default_factory=ScenarioNode)  # type: ignore[valid-type]
    interventions: dict[str, InterventionSpec] = field(default_factory=dict)
    seed: int = 0
    sim: SimSpec = field(default_factory=SimSpec)
    fit: FitSpec = field(default_factory=FitSpec)
    mechanisms: MechanismSpec = field(default_factory=MechanismSpec)
    experiment_name: str = "sweep"
    design: DesignSpec = field(default_factory=DesignSpec)
    sensitivity: SensitivitySpec = field(default_factory=SensitivitySpec)
    comparison: ComparisonSpec = field(default_factory=ComparisonSpec)


def register_configs() -> None:
    """Store the schemas in Hydra's ConfigStore (idempotent).

    Nodes: `missionfit_schema` (the root, first in `config.yaml`'s defaults), and `schema/scenario`,
    `schema/intervention` for files that want to name their schema explicitly
    (`defaults: [/schema/scenario@_here_]`).
    """
    cs = ConfigStore.instance()
    cs.store(name="missionfit_schema", node=MissionfitConfig, provider="missionfit")
    cs.store(group="schema", name="scenario", node=ScenarioSpec, provider="missionfit")
    cs.store(group="schema", name="intervention", node=InterventionSpec, provider="missionfit")
