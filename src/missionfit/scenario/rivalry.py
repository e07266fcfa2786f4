"""Rivalry, from the units' `rivals` to the engine's sharing decision, in one place.

p. 395: JMAC and ASIFU competed and tended to "keep information to themselves"; pp. 396-397: the distance
between the mission's military, civilian and external components. The whole path of rivalry:

1. `rivalry_matrix` (called by `build.build_scenario`): 1.0 for each pair of units of which one lists the
   other in `rivals` (symmetric), else 0.0.
2. `fitted_rivalry` (called by `fit.apply_fit`): times `mechanisms.rivalry_strength`, times
   (1 - strategic fit); kept as `CompiledScenario.rivalry`.
3. `edge_share` (called by `compiler.compile_arrays`): per edge, (1 - rivalry[source, target]) times
   (1 - civmil_distance x the civil-military share of its two ends, `civmil_share`, from the scenario's
   `civmil_shares` rules, data): the edge's `edge_share`, row `E_SHARE` of the engine's `Net.ef`.
4. The engine: `missionfit.engine.transmission.send` shares a message with probability
   edge_share / (1 + exp(-share_steepness x (trust - threshold))), unless authority overrides it; under a
   coordinating board, `missionfit.engine.boards.meet_boards` uses the same probability for a cell keeping
   out of another's lane.

The arithmetic and its order are those the model's results were recorded with: change them only on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from missionfit.scenario.schema import DEFAULT_CIVMIL_SHARES


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


def matches(unit: Mapping[str, Any], selector: Mapping[str, Any]) -> bool:
    """Whether a resolved unit matches a selector: every attribute one of its values; `role`: holds one of them."""
    for attr, want in selector.items():
        values = list(want) if isinstance(want, (list, tuple)) else [want]
        if attr == "role":
            if not set(values) & set(unit.get("roles") or ()):
                return False
        elif unit.get(attr) not in values:
            return False
    return True


def civmil_share(
    a: Mapping[str, Any], b: Mapping[str, Any], rules: Sequence[Mapping[str, Any]] = DEFAULT_CIVMIL_SHARES
) -> float:
    """Share of the civil-military distance between two resolved units (pp. 396-397).

    Args:
        a: One end of the edge.
        b: The other end.
        rules: The scenario's `civmil_shares` (`schema.ScenarioSpec`): `{between: [selector, selector], share}`;
            a rule applies when the ends match its two selectors in either order.

    Returns:
        The largest share of the rules that apply, 0.0 if none does.
    """
    share = 0.0
    for rule in rules:
        first, second = rule["between"]
        if (matches(a, first) and matches(b, second)) or (matches(a, second) and matches(b, first)):
            share = max(share, float(rule["share"]))
    return share


def edge_share(
    rivalry: float,
    civmil_distance: float,
    source: Mapping[str, Any],
    target: Mapping[str, Any],
    rules: Sequence[Mapping[str, Any]] = DEFAULT_CIVMIL_SHARES,
) -> float:
    """An edge's sharing multiplier from its ends' rivalry and civil-military distance (step 3)."""
    return (1.0 - rivalry) * (1.0 - civmil_distance * civmil_share(source, target, rules))
