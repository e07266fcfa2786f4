"""Defaults of scenario keys that are tables of data (`missionfit.scenario.schema.ScenarioSpec`)."""

from __future__ import annotations

from typing import Any

#: Days of a run when neither the run (`sim.days`) nor the scenario (`days:`) says: one rotation.
DEFAULT_DAYS = 180

#: The civil-military distance rules of a scenario that sets none (`ScenarioSpec.civmil_shares`): the v1 rule,
#: military <-> external 1.0, military <-> civilian 0.5 (pp. 396-397; docs/parameters.md §4).
DEFAULT_CIVMIL_SHARES = (
    {"between": [{"component": "military"}, {"component": "external"}], "share": 1.0},
    {"between": [{"component": "military"}, {"component": "civilian"}], "share": 0.5},
)


def _default_sensor_profiles() -> dict[str, dict[str, Any]]:
    """The design's sensor profiles (docs/design/v2-core.md §2.1; stylized, priors in docs/validation.md §10.4)."""
    return {
        "patrol": {"facets": ["what", "where"], "yield": 0.8, "error": 0.15},
        "humint": {"facets": ["who", "what"], "yield": 0.8, "error": 0.25},
        "uav": {"facets": ["what", "where", "when"], "yield": 0.9, "error": 0.10},
        "helicopter": {"facets": ["what", "where", "when"], "yield": 0.8, "error": 0.15},
        "riverine": {"facets": ["what", "where"], "yield": 0.8, "error": 0.15},
        "security_network": {"facets": ["who", "what"], "yield": 0.7, "error": 0.25},
    }
