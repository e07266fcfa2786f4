"""Rivalry, from the units' `rivals` to the engine's sharing decision, in one place.

p. 395: JMAC and ASIFU competed and tended to "keep information to themselves"; pp. 396-397: the distance
between the mission's military, civilian and external components. The whole path of rivalry:

1. `rivalry_matrix` (called by `build.build_scenario`): 1.0 for each pair of units of which one lists the
   other in `rivals` (symmetric), else 0.0.
2. `fitted_rivalry` (called by `fit.apply_fit`): times `mechanisms.rivalry_strength`, times
   (1 - strategic fit); kept as `CompiledScenario.rivalry`.
3. `edge_share` (called by `compiler.compile_arrays`): per edge, (1 - rivalry[source, target]) times
   (1 - civmil_distance x the civil-military share of the two components): the edge's `edge_share`, row
   `E_SHARE` of the engine's `Net.ef`.
4. The engine: `missionfit.engine.transmission.send` shares a message with probability
   edge_share / (1 + exp(-share_steepness x (trust - threshold))), unless authority overrides it; under a
   coordinating board, `missionfit.engine.boards.meet_boards` uses the same probability for a cell keeping
   out of another's lane.

The arithmetic and its order are those the model's results were recorded with: change them only on purpose.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def rivalry_matrix(units: list[dict[str, Any]]) -> np.ndarray:
    """`[i, j]` = 1.0 if unit i lists unit j as a rival or j lists i, else 0.0 (step 1 of the module docstring)."""
    index = {u["id"]: i for i, u in enumerate(units)}
    rivalry = np.zeros((len(units), len(units)))
    for i, u in enumerate(units):
        for r in u["rivals"]:
            rivalry[i, index[r]] = rivalry[index[r], i] = 1.0
    return rivalry


def fitted_rivalry(rivalry: np.ndarray, strength: float, strategic: float) -> np.ndarray:
    """Rivalry scaled by `rivalry_strength` and reduced by the strategic fit knob (step 2)."""
    return rivalry * strength * (1.0 - strategic)


def civmil_share(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Share of the civil-military distance between two units' components (pp. 396-397)."""
    comps = {a["component"], b["component"]}
    if "military" in comps and "external" in comps:
        return 1.0
    if "military" in comps and "civilian" in comps:
        return 0.5
    return 0.0


def edge_share(rivalry: float, civmil_distance: float, source: dict[str, Any], target: dict[str, Any]) -> float:
    """An edge's sharing multiplier from its ends' rivalry and civil-military distance (step 3)."""
    return (1.0 - rivalry) * (1.0 - civmil_distance * civmil_share(source, target))
