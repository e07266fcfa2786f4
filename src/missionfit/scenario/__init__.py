"""Scenarios: the schema, loading from config folders, interventions, validation, fit knobs and compilation.

The pipeline of `build_scenario` (`missionfit.scenario.build`) takes a plain mapping (a loaded YAML file),
patches, resolves, validates and fit-adjusts it, and compiles it to the arrays the engine runs on
(`CompiledScenario`, `missionfit.scenario.compiler`). Nothing here imports Hydra or the engine.
"""

from missionfit.scenario.build import build_scenario
from missionfit.scenario.compiler import CompiledScenario
from missionfit.scenario.errors import ScenarioError
from missionfit.scenario.loading import available, load, read_intervention, scenario_file
from missionfit.scenario.resolve import UNIT_DEFAULTS

__all__ = [
    "UNIT_DEFAULTS",
    "CompiledScenario",
    "ScenarioError",
    "available",
    "build_scenario",
    "load",
    "read_intervention",
    "scenario_file",
]
